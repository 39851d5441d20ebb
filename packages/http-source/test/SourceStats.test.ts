import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as SourceStats from "../src/SourceStats.ts"

describe("SourceStats", () => {
  describe("make", () => {
    it.effect("adds counters per stream and snapshots a copy", () =>
      Effect.gen(function* () {
        const stats = yield* SourceStats.make
        yield* stats.add("tickets", { requests: 2, bytes: 100 })
        stats.unsafeAdd("contacts", "pages", 1)

        const snapshot = yield* stats.snapshot
        yield* stats.add("tickets", { requests: 1 })

        expect(snapshot.get("tickets")).toEqual({ ...SourceStats.empty, requests: 2, bytes: 100 })
        expect(snapshot.get("contacts")?.pages).toBe(1)
        expect((yield* stats.snapshot).get("tickets")?.requests).toBe(3)
      })
    )
  })

  describe("total", () => {
    it.effect("sums every stream's counters", () =>
      Effect.gen(function* () {
        const stats = yield* SourceStats.make
        yield* stats.add("a", { records: 5, retries: 1 })
        yield* stats.add("b", { records: 7 })

        const total = SourceStats.total(yield* stats.snapshot)

        expect(total).toMatchObject({ records: 12, retries: 1, requests: 0 })
      })
    )
  })
})
