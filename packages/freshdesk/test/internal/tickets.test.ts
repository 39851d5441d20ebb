import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { FreshdeskClient } from "../../src/FreshdeskClient.ts"
import * as Tickets from "../../src/internal/tickets.ts"
import * as Plan from "../../src/Plan.ts"
import * as Streams from "../../src/Streams.ts"
import type { SyncStream } from "../../src/SyncStream.ts"
import * as Sim from "../support/sim.ts"

interface Ticket {
  readonly id: number
  readonly updated_at: string
  readonly deleted?: boolean
  readonly spam?: boolean
}

const noFlags = { deletedTickets: 0, spamTickets: 0 }

const tickets = (sim: Sim.Sim) => Sim.records<Ticket>(sim, "tickets")

describe("tickets", () => {
  it.scopedLive(
    "lands 31,050 tickets exactly once when 400 share one second across position 30,000",
    () =>
      Effect.gen(function* () {
        const sim = yield* Sim.simulator({
          counts: { tickets: 31_050 },
          tieGroup: { size: 400, around: 30_000 },
          fractions: noFlags,
          plan: "unlimited"
        })
        const sync = Sim.syncWith(Sim.client(sim, { ticketInclude: [] }))

        const result = yield* sync(Streams.tickets)

        const ids = result.rows.map((row) => Number(row.id))
        expect(ids.length).toBe(31_050)
        expect(new Set(ids).size).toBe(31_050)
        expect(tickets(sim).every((ticket) => ids.includes(ticket.id))).toBe(true)
        const byStatus = sim.stats().byStatus as Record<string, number>
        expect(byStatus["400"]).toBeUndefined()
      }),
    60_000
  )

  it.scopedLive("stops with TooManyTies when one second outgrows the page cap", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({
        counts: { tickets: 1_000 },
        tieGroup: { size: 400, around: 500 },
        fractions: noFlags,
        plan: "unlimited"
      })
      const capped: SyncStream = { ...Streams.tickets, read: (input) => Tickets.readWith(input, 3) }

      const error = yield* Effect.flip(Sim.syncWith(Sim.client(sim))(capped))

      expect(error.reason).toBe("TooManyTies")
      expect(error.message).toContain("more than 30,000 tickets share the updated_at")
    })
  )

  it.scopedLive("recognises Freshdesk's answer for page 301 as the page cap, on its own", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator()
      const query = { updated_since: "1970-01-01T00:00:00Z", per_page: 100 }
      const ask = (extra: Record<string, string | number>) =>
        Effect.flatMap(FreshdeskClient, (client) => {
          const request = { stream: "tickets", path: "/tickets", query: { ...query, ...extra } }
          return Effect.flip(client.source.request(request))
        })

      const both = Effect.all([ask({ page: 301 }), ask({ order_by: "priority" })])
      const [capped, other] = yield* Effect.provide(both, Sim.client(sim))

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
      const sync = Sim.syncWith(Sim.client(sim, { ticketInclude: [] }))
      const first = yield* sync(Streams.tickets)
      sim.configure({ editDuringPaging: [] })

      const second = yield* sync(Streams.tickets, { cursor: first.cursor })

      const landed = Sim.current([...first.rows, ...second.rows])
      for (const ticket of tickets(sim)) {
        expect(landed.get(String(ticket.id))?.updated_at).toBe(ticket.updated_at)
      }
    })
  )

  it.scopedLive("flags deleted tickets and keeps spam tickets with spam = true", () =>
    Effect.gen(function* () {
      const fractions = { deletedTickets: 0.05, spamTickets: 0.05 }
      const sim = yield* Sim.simulator({ counts: { tickets: 400 }, fractions })
      const sync = Sim.syncWith(Sim.client(sim))
      const first = yield* sync(Streams.tickets)
      const victim = Sim.live(tickets(sim))[0]!
      sim.remove("tickets", victim.id)

      const second = yield* sync(Streams.tickets, { cursor: first.cursor })

      const landed = Sim.current([...first.rows, ...second.rows])
      for (const ticket of tickets(sim)) {
        const row = landed.get(String(ticket.id))
        expect([row?.deleted, row?.spam]).toEqual([ticket.deleted === true, ticket.spam === true])
      }
      expect(second.rows.find((row) => row.id === victim.id)?.deleted).toBe(true)
    })
  )

  it.scopedLive("reads tickets older than 30 days on a first sync and starts at --start-date", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({ counts: { tickets: 300 } })
      const sync = Sim.syncWith(Sim.client(sim))
      const startDate = new Date(Math.floor(Date.now() / 1000 - 90 * 86_400) * 1000)

      const all = yield* sync(Streams.tickets)
      const recent = yield* sync(Streams.tickets, { startDate })

      expect(all.rows.length).toBe(tickets(sim).length)
      const since = tickets(sim).filter((t) => Date.parse(t.updated_at) >= startDate.getTime())
      expect(recent.rows.map((row) => row.id).sort()).toEqual(since.map((t) => t.id).sort())
      expect(recent.rows.length).toBeLessThan(all.rows.length)
    })
  )

  it.scopedLive("reads only what changed when it resumes from its cursor", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({ counts: { tickets: 1_000 } })
      const sync = Sim.syncWith(Sim.client(sim))
      const first = yield* sync(Streams.tickets)
      const edited = Sim.live(tickets(sim)).slice(0, 3)
      for (const ticket of edited) sim.update("tickets", ticket.id, { subject: "edited" })
      sim.resetStats()

      const second = yield* sync(Streams.tickets, { cursor: first.cursor })

      const changed = second.rows.filter((row) => row.subject === "edited").map((row) => row.id)
      expect(changed.sort()).toEqual(edited.map((t) => t.id).sort())
      expect(second.rows.length).toBeLessThan(20)
      expect(sim.stats().total).toBeLessThanOrEqual(5)
    })
  )

  it.scopedLive("reads slow responses in parallel time windows without losing a ticket", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({
        counts: { tickets: 3_000 },
        plan: { overall: 600, ticketList: 60, contactList: 60 },
        latency: 150,
        fractions: noFlags
      })
      const plan = Plan.custom({ overall: 600, tickets: 60, contacts: 60 })

      const result = yield* Sim.syncWith(Sim.client(sim, { plan }))(Streams.tickets)

      expect(new Set(result.rows.map((row) => row.id)).size).toBe(3_000)
      expect(sim.stats().peakInFlight).toBeGreaterThan(2)
      const last = result.cursor as Tickets.Cursor
      expect(last.normal).toBe(Tickets.watermark(last))
      expect(result.rows.some((row) => row.updated_at === last.normal)).toBe(true)
    })
  )

  it.scopedLive("reads the spam and deleted passes beside the normal one, each batch covered", () =>
    Effect.gen(function* () {
      const fractions = { deletedTickets: 0.1, spamTickets: 0.1 }
      const sim = yield* Sim.simulator({ counts: { tickets: 2_000 }, fractions, latency: 30, plan: "unlimited" })

      const result = yield* Sim.syncWith(Sim.client(sim, { ticketInclude: [] }))(Streams.tickets)

      // one reader a pass (an unlimited budget never splits a pass), three at once
      expect(sim.stats().peakInFlight).toBe(3)
      expect(new Set(result.rows.map((row) => row.id)).size).toBe(tickets(sim).length)
      // a batch's position of a pass never runs ahead of the rows that pass gave so far,
      // so a sync committed at any batch resumes without a gap
      const passOf = (row: Readonly<Record<string, unknown>>): Tickets.Pass =>
        row.deleted === true ? "deleted" : row.spam === true ? "spam" : "normal"
      const reached: Record<Tickets.Pass, number> = { normal: 0, spam: 0, deleted: 0 }
      for (const batch of result.batches) {
        for (const row of batch.rows) {
          const pass = passOf(row)
          reached[pass] = Math.max(reached[pass], Date.parse(String(row.updated_at)))
        }
        const position = batch.cursor as Tickets.Cursor
        for (const pass of Tickets.passes) {
          const at = position[pass]
          if (at !== null) expect(Date.parse(at)).toBeLessThanOrEqual(reached[pass])
        }
      }
    })
  )

  it.scopedLive("decodes every embed and charges two extra credits for each", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({ counts: { tickets: 150 }, fractions: noFlags })
      const ticketInclude = ["description", "requester", "stats", "company"] as const
      const sync = Sim.syncWith(Sim.client(sim, { ticketInclude, plan: "pro" }))

      const result = yield* sync(Streams.tickets)

      const listings = sim.stats().byEndpoint.tickets ?? 0
      expect(sim.stats().credits).toBe(listings * 9 + 1)
      expect(result.batches.flatMap((b) => b.rejected)).toEqual([])
      const row = result.rows[0]!
      expect(row.requester).toMatchObject({ id: expect.anything() })
      expect(row.stats).toHaveProperty("closed_at")
      expect(typeof row.description).toBe("string")
      expect(result.rows.every((r) => r._extra === null)).toBe(true)
    })
  )

  it.scopedLive("names custom statuses from ticket_fields", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({ counts: { tickets: 50 } })
      const ticket = Sim.live(tickets(sim))[0]!
      sim.update("tickets", ticket.id, { status: 6 })

      const result = yield* Sim.syncWith(Sim.client(sim))(Streams.tickets)

      const row = result.rows.find((r) => r.id === ticket.id)
      expect(row?.status_label).toBe("Waiting on Customer")
      expect(result.rows.every((r) => r.priority_label !== null)).toBe(true)
      expect(result.rows.every((r) => r.source_label !== null)).toBe(true)
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
