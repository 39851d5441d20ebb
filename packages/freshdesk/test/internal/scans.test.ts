import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Entities from "../../src/internal/entities.ts"
import * as Streams from "../../src/Streams.ts"
import * as Sim from "../support/sim.ts"

type Company = { readonly id: number; readonly updated_at: string }

describe("scans", () => {
  it.scopedLive("keeps only companies changed since the cursor of the last full scan", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({ counts: { companies: 250 } })
      const layer = Sim.client(sim)
      const first = yield* Sim.sync(Streams.companies).pipe(Effect.provide(layer))
      const target = (sim.data("companies") as ReadonlyArray<Company>)[7]!
      sim.update("companies", target.id, { industry: "Aerospace" })

      const second = yield* Sim.syncWith(layer)(Streams.companies, { cursor: first.cursor })

      expect(first.rows.length).toBe(250)
      expect(second.rows.map((row) => row.id)).toContain(target.id)
      expect(second.rows.length).toBeLessThan(5)
      expect(second.rows.every((row) => row.deleted === false)).toBe(true)
      expect(Streams.companies.cursorWatermark(second.cursor)).toBe(
        second.rows.at(-1) && (second.cursor as { since: string }).since
      )
    })
  )

  it.scopedLive("loses no company edited while the scan pages once a follow-up sync has run", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({
        counts: { companies: 600 },
        editDuringPaging: { stream: "companies", everyNRequests: 1, count: 4 },
        now: Sim.tickingClock()
      })
      const layer = Sim.client(sim)
      const first = yield* Sim.sync(Streams.companies).pipe(Effect.provide(layer))
      sim.configure({ editDuringPaging: [] })

      const second = yield* Sim.syncWith(layer)(Streams.companies, { cursor: first.cursor })

      const landed = Sim.current([...first.rows, ...second.rows])
      for (const company of sim.data("companies") as ReadonlyArray<Company>) {
        expect(landed.get(String(company.id))?.updated_at).toBe(company.updated_at)
      }
    })
  )

  it.scopedLive("reads a full-refresh stream whole with a null cursor", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({ counts: { timeEntries: 230 } })

      const result = yield* Sim.sync(Streams.timeEntries).pipe(Effect.provide(Sim.client(sim)))

      expect(result.rows.length).toBe(230)
      expect(result.batches.every((batch) => batch.cursor === null)).toBe(true)
      for (const row of result.rows) {
        expect(row.time_spent_minutes).toBe(Entities.minutesOf(row.time_spent))
      }
      expect(result.rows.every((row) => typeof row.time_spent_minutes === "number")).toBe(true)
    })
  )

  describe("minutesOf", () => {
    it("reads hh:mm as minutes", () => {
      expect(Entities.minutesOf("01:30")).toBe(90)
      expect(Entities.minutesOf("120:05")).toBe(7205)
      expect(Entities.minutesOf("1:75")).toBeNull()
      expect(Entities.minutesOf(null)).toBeNull()
    })
  })
})
