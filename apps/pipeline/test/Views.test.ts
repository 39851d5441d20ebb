import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as DuckDb from "../src/DuckDb.ts"
import * as Views from "../src/Views.ts"
import * as Harness from "./support/Harness.ts"
import * as Synthetic from "./support/Synthetic.ts"

describe("Views", () => {
  it.scoped("gives a stream with no committed data empty views with its columns", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const shapes = [Synthetic.tickets(Synthetic.account([])), Synthetic.agents({ agents: [] })]

      yield* Views.write(out, shapes)
      const rows = yield* Harness.query(
        out,
        "SELECT count(*) AS n FROM tickets UNION ALL SELECT count(*) FROM agents_history"
      )
      const columns = yield* Harness.query(out, "SELECT column_name, column_type FROM (DESCRIBE tickets)")

      expect(rows).toEqual([{ n: "0" }, { n: "0" }])
      expect(columns.map((c) => `${c.column_name} ${c.column_type}`)).toEqual([
        "id BIGINT",
        "subject VARCHAR",
        "updated_at TIMESTAMP WITH TIME ZONE",
        "custom_fields JSON",
        "tags VARCHAR[]",
        "deleted BOOLEAN",
        "_run_id VARCHAR",
        "_extracted_at TIMESTAMP WITH TIME ZONE",
        "updated_month VARCHAR"
      ])
    }).pipe(Effect.provide(DuckDb.layer()))
  )

  it.scoped("lists committed files by relative path, never by glob", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      yield* Harness.syncOnce(Synthetic.tickets(Synthetic.account([Synthetic.ticket(1, "2026-11-01T00:00:00Z")])), out)

      const text = yield* Effect.promise(() => Fs.readFile(Path.join(out, "views.sql"), "utf8"))

      expect(text).toMatch(/read_parquet\(\['tickets\/updated_month=2026-11\/part-[^']+-00001\.parquet'\]/)
      expect(text).not.toContain(out)
      expect(text).not.toContain("*.parquet")
    }).pipe(Effect.provide(DuckDb.layer()))
  )

  it.scoped("picks the row with the latest updated_at, then the latest extraction, per id", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const acct = Synthetic.account([Synthetic.ticket(1, "2026-11-01T00:00:00Z", { subject: "first" })])
      yield* Harness.syncOnce(Synthetic.tickets(acct), out)
      acct.tickets[0] = Synthetic.ticket(1, "2026-11-01T00:00:00Z", { subject: "same second, later read" })
      yield* Harness.syncOnce(Synthetic.tickets(acct), out)

      const rows = yield* Harness.query(out, "SELECT subject FROM tickets")

      expect(rows).toEqual([{ subject: "same second, later read" }])
    }).pipe(Effect.provide(DuckDb.layer()))
  )
})
