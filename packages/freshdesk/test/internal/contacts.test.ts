import { describe, expect, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import * as Contacts from "../../src/internal/contacts.ts"
import * as Streams from "../../src/Streams.ts"
import * as Sim from "../support/sim.ts"

type Contact = {
  readonly id: number
  readonly updated_at: string
  readonly deleted: boolean
  readonly blocked: boolean
  readonly org_contact_id?: unknown
}

describe("contacts", () => {
  it.scopedLive("flags deleted and blocked contacts and keeps ids above 2^53 exactly", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({
        counts: { contacts: 300 },
        fractions: { deletedContacts: 0.1, blockedContacts: 0.1 }
      })

      const result = yield* Sim.sync(Streams.contacts).pipe(Effect.provide(Sim.client(sim)))

      const landed = Sim.current(result.rows)
      const truth = sim.data("contacts") as ReadonlyArray<Contact>
      expect(landed.size).toBe(truth.length)
      for (const contact of truth) {
        const row = landed.get(String(contact.id))
        expect([row?.deleted, row?.blocked]).toEqual([contact.deleted, contact.blocked])
        expect(row?.org_contact_id).toBe(contact.org_contact_id)
      }
      const unsafe = (c: Contact) => {
        return typeof c.org_contact_id === "bigint" && c.org_contact_id > 2n ** 53n
      }
      expect(truth.some(unsafe)).toBe(true)
    })
  )

  it.scopedLive("resumes a pass from its last committed page", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({
        counts: { contacts: 450 },
        fractions: { deletedContacts: 0, blockedContacts: 0 }
      })
      const layer = Sim.client(sim)
      const firstTwo = yield* Stream.runCollect(
        Stream.take(Streams.contacts.read({ cursor: null, startDate: null }), 2)
      ).pipe(Effect.provide(layer))
      const saved = [...firstTwo].at(-1)!.cursor as Contacts.Cursor

      const rest = yield* Sim.sync(Streams.contacts, { cursor: saved }).pipe(Effect.provide(layer))

      expect(saved.normal).toMatchObject({ since: null, page: 2 })
      const read = [...[...firstTwo].flatMap((b) => b.rows), ...rest.rows]
      const ids = new Set(read.map((row) => row.id))
      expect(ids.size).toBe(450)
      expect(rest.rows.length).toBe(450 - 100)
    })
  )

  it.scopedLive("keeps its since when a contact leaves the listing while it pages", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({
        counts: { contacts: 500 },
        fractions: { deletedContacts: 0, blockedContacts: 0 },
        editDuringPaging: { stream: "contacts", everyNRequests: 2, count: 3, action: "delete" }
      })
      const layer = Sim.client(sim)
      const first = yield* Sim.sync(Streams.contacts).pipe(Effect.provide(layer))
      sim.configure({ editDuringPaging: [] })

      const second = yield* Sim.syncWith(layer)(Streams.contacts, { cursor: first.cursor })

      expect((first.cursor as Contacts.Cursor).normal.since).toBeNull()
      const landed = Sim.current([...first.rows, ...second.rows])
      for (const contact of sim.data("contacts") as ReadonlyArray<Contact>) {
        expect(landed.get(String(contact.id))?.updated_at).toBe(contact.updated_at)
      }
    })
  )

  it.scopedLive("loses no contact edited while a pass pages once a follow-up sync has run", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({
        counts: { contacts: 600 },
        editDuringPaging: { stream: "contacts", everyNRequests: 1, count: 4 },
        now: Sim.tickingClock()
      })
      const layer = Sim.client(sim)
      const first = yield* Sim.sync(Streams.contacts).pipe(Effect.provide(layer))
      sim.configure({ editDuringPaging: [] })

      const second = yield* Sim.syncWith(layer)(Streams.contacts, { cursor: first.cursor })

      const landed = Sim.current([...first.rows, ...second.rows])
      for (const contact of sim.data("contacts") as ReadonlyArray<Contact>) {
        expect(landed.get(String(contact.id))?.updated_at).toBe(contact.updated_at)
      }
    })
  )

  it.scopedLive("reads only changed contacts on an incremental sync", () =>
    Effect.gen(function* () {
      const sim = yield* Sim.simulator({ counts: { contacts: 300 } })
      const layer = Sim.client(sim)
      const first = yield* Sim.sync(Streams.contacts).pipe(Effect.provide(layer))
      const target = Sim.live(Sim.records<Contact>(sim, "contacts"))[0]!
      sim.update("contacts", target.id, { job_title: "Chief Tester" })

      const second = yield* Sim.syncWith(layer)(Streams.contacts, { cursor: first.cursor })

      expect(second.rows.find((row) => row.id === target.id)?.job_title).toBe("Chief Tester")
      expect(second.rows.length).toBeLessThan(10)
    })
  )

  describe("watermark", () => {
    it("claims the latest since or max of its passes", () => {
      const pass = { since: "2024-01-01T00:00:00Z", page: null, max: null, startedAt: null }
      const normal = { ...pass, page: 3, max: "2024-05-01T00:00:00Z" }
      const cursor = { normal, deleted: pass, blocked: pass }

      expect(Contacts.watermark(cursor)).toBe("2024-05-01T00:00:00Z")
      expect(Contacts.watermark(null)).toBeNull()
    })
  })
})
