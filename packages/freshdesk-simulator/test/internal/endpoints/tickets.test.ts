import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { defaultWindowStart } from "../../../src/internal/endpoints/tickets.ts"
import { FIXED_NOW, get, getJson, idsOf, pageAll, qs, type Row, type Sim, startSim } from "../../helpers.ts"

const byId = (a: Row, b: Row) => (a.id as number) - (b.id as number)

describe("GET /tickets", () => {
  let sim: Sim
  let truth: ReadonlyArray<Row>
  let live: ReadonlyArray<Row>
  beforeAll(async () => {
    const fractions = { deletedTickets: 0.05, spamTickets: 0.05 }
    sim = await startSim({ counts: { tickets: 600 }, fractions })
    truth = sim.data("tickets")
    live = truth.filter((t) => t.deleted !== true && t.spam !== true)
  })
  afterAll(() => sim.stop())

  it("answers page 301 with the documented 400 body", async () => {
    const res = await get(sim, "tickets?page=301&updated_since=2000-01-01")

    expect(res.status).toBe(400)
    expect(await res.text()).toBe(
      '{"description":"Validation failed","errors":[{"field":"page","message":' +
        '"You cannot access tickets beyond the 300th page. Please provide a smaller page number.",' +
        '"code":"invalid_value"}]}'
    )
  })

  it("serves page 300", async () => {
    const res = await get(sim, "tickets?page=300&updated_since=2000-01-01")

    expect(res.status).toBe(200)
  })

  it("lists only tickets created since today's start minus a month without a filter", async () => {
    const { rows } = await pageAll(sim, "tickets?per_page=100")

    const since = Date.parse("2026-02-15T00:00:00Z")
    const expected = live.filter((t) => Date.parse(t.created_at as string) > since)
    expect(rows.map((r) => r.id).sort()).toEqual(expected.map((t) => t.id).sort())
    expect(expected.length).toBeGreaterThan(5)
    expect(expected.length).toBeLessThan(live.length)
  })

  it("lifts the 30-day window as soon as a filter parameter is present", async () => {
    const { rows } = await pageAll(sim, "tickets?per_page=100&updated_since=2000-01-01T00:00:00Z")

    expect(rows).toHaveLength(live.length)
  })

  it("orders by created_at desc by default", async () => {
    const rows = await getJson(sim, "tickets?per_page=100")

    const created = rows.map((r) => r.created_at as string)
    expect(created).toEqual([...created].sort().reverse())
  })

  it("treats updated_since as inclusive", async () => {
    const target = live[live.length - 5]!
    const since = target.updated_at as string

    const { rows } = await pageAll(
      sim,
      `tickets?per_page=100&updated_since=${since}&order_by=updated_at&order_type=asc`
    )

    expect(rows.map((r) => r.id)).toContain(target.id)
    expect(rows.every((r) => (r.updated_at as string) >= since)).toBe(true)
    expect(rows).toHaveLength(live.filter((t) => (t.updated_at as string) >= since).length)
  })

  it("accepts offsets in updated_since and rejects what is not a date-time", async () => {
    const offset = await get(sim, "tickets?updated_since=2025-01-01T05:30:00%2B05:30")
    const bad = await get(sim, "tickets?updated_since=yesterday")

    expect(offset.status).toBe(200)
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({
      description: "Validation failed",
      errors: [{ field: "updated_since", message: expect.any(String), code: "invalid_date" }]
    })
  })

  it("breaks ties on the order key by id ascending in both directions", async () => {
    const query = (dir: string) =>
      qs({ per_page: 100, order_by: "status", order_type: dir, updated_since: "2000-01-01" })
    const asc = await pageAll(sim, `tickets?${query("asc")}`)
    const desc = await pageAll(sim, `tickets?${query("desc")}`)

    const status = (r: Row) => r.status as number
    const key = (dir: number) => (a: Row, b: Row) => dir * (status(a) - status(b)) || byId(a, b)
    expect(idsOf(asc.rows)).toEqual(idsOf([...live].sort(key(1))))
    expect(idsOf(desc.rows)).toEqual(idsOf([...live].sort(key(-1))))
  })

  it("rejects an unknown order_by or order_type listing the allowed values", async () => {
    const res = await get(sim, "tickets?order_by=priority&order_type=up")

    expect(await res.json()).toEqual({
      description: "Validation failed",
      errors: [
        {
          field: "order_by",
          message: "It should be one of these values: 'created_at,due_by,updated_at,status'",
          code: "invalid_value"
        },
        {
          field: "order_type",
          message: "It should be one of these values: 'asc,desc'",
          code: "invalid_value"
        }
      ]
    })
  })

  it("rejects an unknown filter listing the allowed values", async () => {
    const res = await get(sim, "tickets?filter=all")

    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toContain("new_and_my_open,watching,spam,deleted")
  })

  it("rejects unknown parameters as invalid_field", async () => {
    const res = await get(sim, "tickets?updated_after=2020-01-01&foo=1")

    const message = "Unexpected/invalid field in request"
    expect(await res.json()).toEqual({
      description: "Validation failed",
      errors: [
        { field: "updated_after", message, code: "invalid_field" },
        { field: "foo", message, code: "invalid_field" }
      ]
    })
  })

  it("hides deleted and spam tickets from the normal listing", async () => {
    const { rows } = await pageAll(sim, "tickets?per_page=100&updated_since=2000-01-01")

    expect(rows.some((r) => r.spam === true || "deleted" in r)).toBe(false)
  })

  it("lists deleted tickets only with filter=deleted, marked deleted: true", async () => {
    const { rows } = await pageAll(sim, "tickets?per_page=100&filter=deleted")

    const deleted = truth.filter((t) => t.deleted === true)
    expect(rows.map((r) => r.id).sort()).toEqual(deleted.map((t) => t.id).sort())
    expect(rows.every((r) => r.deleted === true)).toBe(true)
  })

  it("lists spam tickets with filter=spam, marked spam: true", async () => {
    const { rows } = await pageAll(sim, "tickets?per_page=100&filter=spam")

    const spam = truth.filter((t) => t.spam === true && t.deleted !== true)
    expect(rows.map((r) => r.id).sort()).toEqual(spam.map((t) => t.id).sort())
    expect(rows.every((r) => r.spam === true && !("deleted" in r))).toBe(true)
  })

  it("combines filters with AND", async () => {
    const company = live.find((t) => t.company_id !== null)!.company_id as number
    const since = "2025-06-01T00:00:00Z"
    const query = qs({ per_page: 100, company_id: company, updated_since: since })
    const { rows } = await pageAll(sim, `tickets?${query}`)

    const expected = live.filter((t) => t.company_id === company && (t.updated_at as string) >= since)
    expect(rows.map((r) => r.id).sort()).toEqual(expected.map((t) => t.id).sort())
  })

  it("filters by requester e-mail", async () => {
    const contacts = sim.data("contacts").filter((c) => typeof c.email === "string")
    const someone = contacts.find((c) => live.some((t) => t.requester_id === c.id))!

    const email = encodeURIComponent(someone.email as string)
    const { rows } = await pageAll(sim, `tickets?per_page=100&email=${email}`)

    expect(rows.length).toBe(live.filter((t) => t.requester_id === someone.id).length)
  })

  it("charges 2 extra credits per include and adds the embedded objects", async () => {
    sim.configure({ plan: "pro" })
    const res = await get(sim, "tickets?include=requester,stats&per_page=3")
    sim.configure({ plan: "unlimited" })

    const rows = (await res.json()) as Array<Row>
    expect(res.headers.get("x-ratelimit-used-currentrequest")).toBe("5")
    const requesterKeys = Object.keys(rows[0]!.requester as Row).sort()
    expect(requesterKeys).toEqual(["email", "id", "mobile", "name", "phone"])
    expect(rows[0]!.stats).toHaveProperty("resolved_at")
    expect(rows[0]).not.toHaveProperty("description")
  })

  it("returns description and description_text only with include=description", async () => {
    const plain = await getJson(sim, "tickets?per_page=2")
    const described = await getJson(sim, "tickets?per_page=2&include=description")

    expect(plain[0]).not.toHaveProperty("description_text")
    expect(described[0]!.description).toMatch(/^<div>/)
    expect(typeof described[0]!.description_text).toBe("string")
  })

  it("rejects an unknown include with not_included", async () => {
    const res = await get(sim, "tickets?include=requester,conversations")

    expect(await res.json()).toEqual({
      description: "Validation failed",
      errors: [
        {
          field: "include",
          message: "It should be one of these values: 'requester,stats,description,company'",
          code: "not_included"
        }
      ]
    })
  })

  it("lists open tickets that are unassigned or mine with new_and_my_open", async () => {
    const me = await getJson<Row>(sim, "agents/me")
    const { rows } = await pageAll(sim, "tickets?per_page=100&filter=new_and_my_open")

    expect(rows.length).toBeGreaterThan(0)
    const mine = (r: Row) => r.responder_id === null || r.responder_id === me.id
    expect(rows.every((r) => r.status === 2 && mine(r))).toBe(true)
  })

  it("uses the configured now for the 30-day window", async () => {
    sim.configure({ now: new Date("2030-01-01T00:00:00Z") })
    const rows = await getJson(sim, "tickets")
    sim.configure({ now: FIXED_NOW })

    expect(rows).toEqual([])
  })
})

describe("defaultWindowStart", () => {
  it("goes back one calendar month from the start of the day, clamping the day", () => {
    const days = ["2026-03-31T18:00:00Z", "2024-03-30T01:00:00Z", "2026-01-15T23:59:59Z"]

    const starts = days.map((t) => new Date(defaultWindowStart(Date.parse(t))).toISOString())

    expect(starts).toEqual(["2026-02-28T00:00:00.000Z", "2024-02-29T00:00:00.000Z", "2025-12-15T00:00:00.000Z"])
  })
})
