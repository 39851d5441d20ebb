import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { get, getJson, pageAll, type Sim, startSim } from "./helpers.ts"

describe("Mutations", () => {
  let sim: Sim
  beforeAll(async () => {
    const fractions = { deletedTickets: 0, spamTickets: 0 }
    sim = await startSim({ counts: { tickets: 120 }, fractions })
  })
  afterAll(() => sim.stop())

  it("stamps an edit with now, later than every generated updated_at", () => {
    const latest = sim
      .data("tickets")
      .map((t) => t.updated_at as string)
      .sort()
      .at(-1)!

    const edited = sim.update("tickets", 7, { priority: 4 })

    expect(edited.updated_at).toBe("2026-03-15T12:00:00Z")
    expect((edited.updated_at as string) > latest).toBe(true)
    expect(edited.priority).toBe(4)
  })

  it("follows a moving clock", () => {
    let now = new Date("2026-03-15T13:00:00Z")
    sim.configure({ now: () => now })

    const first = sim.update("tickets", 8)
    now = new Date("2026-03-15T13:00:05Z")
    const second = sim.update("tickets", 8)
    sim.configure({ now: new Date("2026-03-15T12:00:00Z") })

    const stamps = [first.updated_at, second.updated_at]
    expect(stamps).toEqual(["2026-03-15T13:00:00Z", "2026-03-15T13:00:05Z"])
  })

  it("soft-deletes a ticket so that only filter=deleted lists it", async () => {
    sim.remove("tickets", 9)

    const normal = await pageAll(sim, "tickets?per_page=100&updated_since=2000-01-01")
    const deleted = await getJson(sim, "tickets?filter=deleted")

    expect(normal.rows.map((r) => r.id)).not.toContain(9)
    expect(deleted.map((r) => [r.id, r.deleted])).toEqual([[9, true]])
    expect(sim.data("tickets").find((t) => t.id === 9)!.deleted).toBe(true)
  })

  it("soft-deletes a contact into state=deleted and removes a company for good", async () => {
    const contact = sim.data("contacts").find((c) => c.deleted === false && c.blocked === false)!
    const company = sim.data("companies")[0]!

    sim.remove("contacts", contact.id as number)
    sim.remove("companies", company.id as number)
    const deleted = await getJson(sim, "contacts?state=deleted&per_page=100")

    expect(deleted.map((c) => c.id)).toContain(contact.id)
    expect(sim.data("companies").map((c) => c.id)).not.toContain(company.id)
  })

  it("creates a ticket with the next display id, visible in the default listing", async () => {
    const created = sim.create("tickets", { subject: "Brand new" })

    const rows = await getJson(sim, "tickets")

    expect(created.id).toBe(121)
    const createdAt = "2026-03-15T12:00:00Z"
    expect(rows[0]).toMatchObject({ id: 121, subject: "Brand new", created_at: createdAt })
  })

  it("blocks and unblocks a contact through flags in the patch", async () => {
    const contact = sim.data("contacts").find((c) => c.deleted === false && c.blocked === false)!

    const id = contact.id as number
    const listBlocked = () => getJson(sim, "contacts?state=blocked&per_page=100")

    sim.update("contacts", id, { blocked: true })
    const blocked = await listBlocked()
    sim.update("contacts", id, { blocked: false })
    const unblocked = await listBlocked()

    expect(blocked.map((c) => c.id)).toContain(id)
    expect(unblocked.map((c) => c.id)).not.toContain(id)
  })

  it("refuses unknown streams and ids with a tagged error", () => {
    const reason = (r: string) => expect.objectContaining({ reason: r })
    expect(() => sim.update("tickets", 99_999)).toThrow(reason("NotFound"))
    expect(() => sim.data("widgets" as "tickets")).toThrow(reason("UnknownStream"))
  })

  it("keeps listings in order after edits", async () => {
    sim.update("tickets", 1, { status: 5 })

    const query = "order_by=updated_at&order_type=desc&updated_since=2000-01-01&per_page=100"
    const res = await get(sim, `tickets?${query}`)
    const rows = (await res.json()) as Array<Record<string, unknown>>

    const stamps = rows.map((r) => r.updated_at as string)
    expect(stamps).toEqual([...stamps].sort().reverse())
    expect(rows.slice(0, 4).map((r) => r.id)).toContain(1)
  })
})
