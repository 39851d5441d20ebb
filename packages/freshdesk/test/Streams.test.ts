import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as Streams from "../src/Streams.ts"
import type { SyncStream } from "../src/SyncStream.ts"
import * as Sim from "./support/sim.ts"

type Results = ReadonlyArray<readonly [string, Either.Either<Sim.Synced, unknown>]>

const synced = (results: Results, name: string): Sim.Synced =>
  Either.getOrThrow(results.find(([stream]) => stream === name)![1])

const syncAll = Effect.forEach(Streams.all, (stream) =>
  Effect.map(Effect.either(Sim.sync(stream)), (result) => [stream.name, result] as const)
)

describe("Streams", () => {
  it.scopedLive("fails only the two streams a 403 forbids and reads the others whole", () =>
    Effect.gen(function* () {
      const forbidden = { products: "require_feature", time_entries: "access_denied" } as const
      const sim = yield* Sim.simulator({ forbidden })

      const results = new Map(yield* syncAll.pipe(Effect.provide(Sim.client(sim))))

      const products = results.get("products")!
      const timeEntries = results.get("time_entries")!
      expect(products._tag === "Left" && products.left.reason).toBe("RequireFeature")
      expect(timeEntries._tag === "Left" && timeEntries.left.reason).toBe("AccessDenied")
      expect(timeEntries._tag === "Left" && timeEntries.left.message).toContain("Admin account")
      const readable = ["tickets", "contacts", "companies", "agents", "groups", "roles"] as const
      for (const name of readable) {
        const result = results.get(name)!
        expect(result._tag).toBe("Right")
        if (result._tag === "Right") expect(result.right.rows.length).toBe(sim.data(name).length)
      }
    })
  )

  it.scopedLive("decodes every odd payload shape of the documentation without a reject", () =>
    Effect.gen(function* () {
      const counts = { groups: 30, agents: 30, companies: 60 }
      const sim = yield* Sim.simulator({ oddShapes: true, counts })

      const results = yield* syncAll.pipe(Effect.provide(Sim.client(sim)))

      for (const [name, result] of results) {
        const synced = Either.getOrThrow(result)
        expect(
          synced.batches.flatMap((b) => b.rejected),
          name
        ).toEqual([])
      }
      const rows = (name: string) => synced(results, name).rows
      const assigns = rows("groups").map((row) => row.auto_ticket_assign)
      expect(assigns.every((value) => typeof value === "boolean")).toBe(true)
      const phones = rows("agents").map((row) => (row.contact as { phone: unknown }).phone)
      expect(phones.every((phone) => phone === null || typeof phone === "string")).toBe(true)
    })
  )

  it.scopedLive("rejects a corrupted record with its field and reason, keeping its page", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({ counts: { companies: 40 } })
      const [victim, surrogate] = sim.data("companies") as ReadonlyArray<{ readonly id: number }>
      sim.configure({
        corruptions: [
          { stream: "companies", id: victim!.id, field: "created_at", value: "not a date" },
          { stream: "companies", id: surrogate!.id, field: "name", raw: '"Acme \\ud800 Ltd"' }
        ]
      })

      const result = yield* Sim.sync(Streams.companies).pipe(Effect.provide(Sim.client(sim)))

      const rejected = result.batches.flatMap((b) => b.rejected)
      expect(rejected).toHaveLength(1)
      const where = { stream: "companies", id: String(victim!.id), field: "created_at" }
      expect(rejected[0]).toMatchObject(where)
      expect(rejected[0]?.reason).toBe("expected an ISO-8601 date-time, got a string")
      expect(rejected[0]?.raw).toContain('"created_at":"not a date"')
      expect(result.rows).toHaveLength(39)
      expect(result.batches.reduce((n, b) => n + b.replacedCharacters, 0)).toBe(1)
      expect(result.rows.find((row) => row.id === surrogate!.id)?.name).toBe("Acme \ufffd Ltd")
    })
  )

  it.scopedLive("syncs the default test account in 18 requests, then again in 14", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator()
      const layer = Sim.client(sim)
      const full = yield* syncAll.pipe(Effect.provide(layer))
      const fullRequests = sim.stats().total
      sim.resetStats()
      const again = (stream: SyncStream) => {
        return Sim.sync(stream, { cursor: synced(full, stream.name).cursor })
      }

      yield* Effect.forEach(Streams.all, again).pipe(Effect.provide(layer))

      const requests = { full: fullRequests, incremental: sim.stats().total }
      expect(requests).toEqual({ full: 18, incremental: 14 })
    })
  )

  describe("all", () => {
    it("lists the eight streams with their modes and the columns the connector adds", () => {
      const modes = Object.fromEntries(Streams.all.map((stream) => [stream.name, stream.mode]))

      expect(Object.keys(modes)).toEqual([
        "tickets",
        "contacts",
        "companies",
        "agents",
        "groups",
        "roles",
        "products",
        "time_entries"
      ])
      expect(modes.tickets).toBe("incremental")
      expect(modes.agents).toBe("full_refresh")
      const ticketColumns = Streams.tickets.columns.map((column) => column.name)
      const added = ["status_label", "deleted", "_extra", "custom_fields"]
      expect(ticketColumns).toEqual(expect.arrayContaining(added))
      const contactColumns = Streams.contacts.columns.map((column) => column.name)
      expect(contactColumns).toEqual(expect.arrayContaining(["blocked"]))
      const minutes = Streams.timeEntries.columns.find((c) => c.name === "time_spent_minutes")
      expect(minutes?.type).toBe("BIGINT")
      expect(Streams.all.every((stream) => stream.columns.at(-1)?.name === "_extra")).toBe(true)
    })
  })

  describe("byName", () => {
    it("finds a stream by its name and nothing for another name", () => {
      expect(Streams.byName("time_entries")).toBe(Streams.timeEntries)
      expect(Streams.byName("tickets ")).toBeUndefined()
      expect(Streams.isStreamName("roles")).toBe(true)
    })
  })
})
