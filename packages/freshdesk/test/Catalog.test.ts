import { describe, expect, it } from "@effect/vitest"
import * as Catalog from "../src/Catalog.ts"
import * as Streams from "../src/Streams.ts"

describe("Catalog", () => {
  describe("make", () => {
    it("describes each stream's mode, cursor, key and typed columns as plain JSON", () => {
      const catalog = Catalog.make()

      expect(JSON.parse(JSON.stringify(catalog))).toEqual(catalog)
      expect(catalog.streams.map((s) => [s.name, s.sync_mode, s.cursor_field])).toEqual([
        ["tickets", "incremental", "updated_at"],
        ["contacts", "incremental", "updated_at"],
        ["companies", "incremental", "updated_at"],
        ["agents", "full_refresh", null],
        ["groups", "full_refresh", null],
        ["roles", "full_refresh", null],
        ["products", "full_refresh", null],
        ["time_entries", "full_refresh", null]
      ])
      const tickets = catalog.streams[0]!
      expect(tickets.primary_key).toEqual(["id"])
      expect(tickets.columns.find((c) => c.name === "id")).toEqual({
        name: "id",
        type: "BIGINT",
        description: "ticket display id (small, per account)"
      })
    })

    it("describes only the streams it is given", () => {
      const catalog = Catalog.make([Streams.roles])

      expect(catalog.streams.map((s) => s.name)).toEqual(["roles"])
    })
  })
})
