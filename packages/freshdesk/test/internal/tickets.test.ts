import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { FreshdeskClient } from "../../src/FreshdeskClient.ts"
import * as Tickets from "../../src/internal/tickets.ts"
import * as Streams from "../../src/Streams.ts"
import * as Sim from "../support/sim.ts"

type Ticket = { readonly id: number; readonly updated_at: string; readonly deleted?: boolean; readonly spam?: boolean }

const noFlags = { deletedTickets: 0, spamTickets: 0 }

describe("tickets", () => {
  it.scopedLive(
    "lands 31,050 tickets exactly once when 400 share one second across position 30,000",
    () =>
      Effect.gen(function* () {
        const tieGroup = { size: 400, around: 30_000 }
        const sim = yield* Sim.simulator({
          counts: { tickets: 31_050 },
          tieGroup,
          fractions: noFlags,
          plan: "unlimited"
        })

        const result = yield* Sim.sync(Streams.tickets).pipe(Effect.provide(Sim.client(sim, { ticketInclude: [] })))

        const ids = result.rows.map((row) => Number(row.id))
        const truth = sim.data("tickets") as ReadonlyArray<Ticket>
        expect(ids.length).toBe(31_050)
        expect(new Set(ids).size).toBe(31_050)
        expect(truth.every((ticket) => ids.includes(ticket.id))).toBe(true)
        const byStatus = sim.stats().byStatus as Record<string, number>
        expect(byStatus["400"]).toBeUndefined()
      }),
    60_000
  )

  it.scopedLive("stops with TooManyTies when one second holds more tickets than the page cap reaches", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({
        counts: { tickets: 1_000 },
        tieGroup: { size: 400, around: 500 },
        fractions: noFlags,
        plan: "unlimited"
      })

      const error = yield* Sim.sync({ ...Streams.tickets, read: (input) => Tickets.readWith(input, 3) }).pipe(
        Effect.provide(Sim.client(sim)),
        Effect.flip
      )

      expect(error.reason).toBe("TooManyTies")
      expect(error.message).toContain("more than 30,000 tickets share the updated_at")
    })
  )

  it.scopedLive("recognises Freshdesk's answer for page 301 as the page cap, on its own", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator()
      const query = { updated_since: "1970-01-01T00:00:00Z", per_page: 100 }
      const ask = (extra: Record<string, string | number>) =>
        Effect.flatMap(FreshdeskClient, (client) =>
          Effect.flip(client.source.request({ stream: "tickets", path: "/tickets", query: { ...query, ...extra } }))
        )

      const [capped, other] = yield* Effect.all([ask({ page: 301 }), ask({ order_by: "priority" })]).pipe(
        Effect.provide(Sim.client(sim))
      )

      expect(capped.reason).toBe("BadRequest")
      expect(Tickets.recognisePageCap(capped).reason).toBe("PageCapReached")
      expect(Tickets.recognisePageCap(other).reason).toBe("BadRequest")
    })
  )

  it.scopedLive("loses no edit made while paging once a follow-up sync has run", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({
        counts: { tickets: 2_000 },
        plan: "unlimited",
        editDuringPaging: { stream: "tickets", everyNRequests: 2, count: 5 }
      })
      const layer = Sim.client(sim, { ticketInclude: [] })
      const first = yield* Sim.sync(Streams.tickets).pipe(Effect.provide(layer))
      sim.configure({ editDuringPaging: [] })

      const second = yield* Sim.sync(Streams.tickets, { cursor: first.cursor }).pipe(Effect.provide(layer))

      const landed = Sim.current([...first.rows, ...second.rows])
      for (const ticket of sim.data("tickets") as ReadonlyArray<Ticket>) {
        expect(landed.get(String(ticket.id))?.updated_at).toBe(ticket.updated_at)
      }
    })
  )

  it.scopedLive("flags deleted tickets and keeps spam tickets with spam = true", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({
        counts: { tickets: 400 },
        fractions: { deletedTickets: 0.05, spamTickets: 0.05 }
      })
      const layer = Sim.client(sim)
      const first = yield* Sim.sync(Streams.tickets).pipe(Effect.provide(layer))
      const victim = (sim.data("tickets") as ReadonlyArray<Ticket>).find((t) => !t.deleted && !t.spam)!
      sim.remove("tickets", victim.id)

      const second = yield* Sim.sync(Streams.tickets, { cursor: first.cursor }).pipe(Effect.provide(layer))

      const truth = sim.data("tickets") as ReadonlyArray<Ticket>
      const landed = Sim.current([...first.rows, ...second.rows])
      for (const ticket of truth) {
        expect(landed.get(String(ticket.id))?.deleted).toBe(ticket.deleted === true)
        expect(landed.get(String(ticket.id))?.spam).toBe(ticket.spam === true)
      }
      expect(second.rows.find((row) => row.id === victim.id)?.deleted).toBe(true)
    })
  )

  it.scopedLive("reads tickets older than 30 days on a first sync and starts at --start-date", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({ counts: { tickets: 300 } })
      const layer = Sim.client(sim)
      const startDate = new Date(Date.now() - 90 * 86_400_000)

      const all = yield* Sim.sync(Streams.tickets).pipe(Effect.provide(layer))
      const recent = yield* Sim.sync(Streams.tickets, { startDate }).pipe(Effect.provide(layer))

      const truth = sim.data("tickets") as ReadonlyArray<Ticket>
      expect(all.rows.length).toBe(truth.length)
      const expected = truth.filter((t) => Date.parse(t.updated_at) >= Math.floor(startDate.getTime() / 1000) * 1000)
      expect(recent.rows.map((row) => row.id).sort()).toEqual(expected.map((t) => t.id).sort())
      expect(recent.rows.length).toBeLessThan(all.rows.length)
    })
  )

  it.scopedLive("reads only what changed when it resumes from its cursor", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({ counts: { tickets: 1_000 } })
      const layer = Sim.client(sim)
      const first = yield* Sim.sync(Streams.tickets).pipe(Effect.provide(layer))
      const edited = (sim.data("tickets") as ReadonlyArray<Ticket>).filter((t) => !t.deleted && !t.spam).slice(0, 3)
      for (const ticket of edited) sim.update("tickets", ticket.id, { subject: "edited" })
      sim.resetStats()

      const second = yield* Sim.sync(Streams.tickets, { cursor: first.cursor }).pipe(Effect.provide(layer))

      const changed = second.rows.filter((row) => row.subject === "edited").map((row) => row.id)
      expect(changed.sort()).toEqual(edited.map((t) => t.id).sort())
      expect(second.rows.length).toBeLessThan(20)
      expect(sim.stats().total).toBeLessThanOrEqual(5)
    })
  )

  it.scopedLive("reads slow responses in parallel time windows without losing a ticket", () =>
    Effect.gen(function* () {
      const limits = { overall: 600, ticketList: 60, contactList: 60 }
      const sim = yield* Sim.simulator({ counts: { tickets: 3_000 }, plan: limits, latency: 150, fractions: noFlags })
      const plan = { _tag: "Preset", name: "pro", limits: { overall: 600, tickets: 60, contacts: 60 } } as const

      const result = yield* Sim.sync(Streams.tickets).pipe(Effect.provide(Sim.client(sim, { plan })))

      expect(new Set(result.rows.map((row) => row.id)).size).toBe(3_000)
      expect(sim.stats().peakInFlight).toBeGreaterThan(2)
      const last = result.cursor as Tickets.Cursor
      expect(last.normal).toBe(Tickets.watermark(last))
      expect(result.rows.some((row) => row.updated_at === last.normal)).toBe(true)
    })
  )

  it.scopedLive("names custom statuses from ticket_fields", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({ counts: { tickets: 50 } })
      const ticket = (sim.data("tickets") as ReadonlyArray<Ticket>).find((t) => !t.deleted && !t.spam)!
      sim.update("tickets", ticket.id, { status: 6 })

      const result = yield* Sim.sync(Streams.tickets).pipe(Effect.provide(Sim.client(sim)))

      const row = result.rows.find((r) => r.id === ticket.id)
      expect(row?.status_label).toBe("Waiting on Customer")
      expect(result.rows.every((r) => r.priority_label !== null && r.source_label !== null)).toBe(true)
    })
  )

  describe("parseCursor", () => {
    it.effect("refuses a cursor this connector did not write", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(Tickets.parseCursor({ normal: "yesterday" }))

        expect(error.reason).toBe("InvalidConfig")
        expect(error.message).toContain("--full-refresh")
      })
    )

    it("claims the latest timestamp of its passes as the watermark", () => {
      const cursor = { normal: "2024-01-02T00:00:00Z", spam: "2024-03-01T00:00:00Z", deleted: null }

      expect(Tickets.watermark(cursor)).toBe("2024-03-01T00:00:00Z")
      expect(Tickets.watermark(null)).toBeNull()
    })
  })
})
