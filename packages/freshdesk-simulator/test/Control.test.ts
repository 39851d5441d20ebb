import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { get, overallOnly, type Sim, startSim } from "./helpers.ts"

type Row = Record<string, unknown>

const control = async (sim: Sim, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${sim.url}/_simulator/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
  })
  const text = await res.text()
  return { status: res.status, text, json: text === "" ? undefined : (JSON.parse(text) as unknown) }
}

describe("Control", () => {
  let sim: Sim
  beforeAll(async () => {
    sim = await startSim({ counts: { tickets: 40 } })
  })
  afterAll(() => sim.stop())

  it("describes the simulator without auth", async () => {
    const info = await control(sim, "GET", "info")

    expect(info.json).toMatchObject({ url: sim.url, apiKey: sim.apiKey, counts: { tickets: 40 } })
  })

  it("serves the stats, not counting control requests", async () => {
    await control(sim, "POST", "stats/reset")
    await get(sim, "roles")
    await get(sim, "roles", "bad")

    const stats = await control(sim, "GET", "stats")

    expect(stats.json).toMatchObject({
      total: 2,
      byEndpoint: { roles: 2 },
      byStatus: { "200": 1, "401": 1 }
    })
  })

  it("returns records with exact big integers", async () => {
    const data = await control(sim, "GET", "data/contacts")

    const first = sim.data("contacts")[0]!
    expect(data.text).toContain(`"org_contact_id":${(first.org_contact_id as bigint).toString()}`)
    expect((data.json as Array<Row>).length).toBe(sim.data("contacts").length)
  })

  it("creates, edits and deletes records", async () => {
    const created = await control(sim, "POST", "data/tickets", { subject: "From another process" })
    const id = (created.json as Row).id
    const edited = await control(sim, "PATCH", `data/tickets/${id}`, { status: 4 })
    const removed = await control(sim, "DELETE", `data/tickets/${id}`)

    expect(created.status).toBe(201)
    expect(edited.json).toMatchObject({ id, status: 4, subject: "From another process" })
    expect(removed.status).toBe(204)
    expect(sim.data("tickets").find((t) => t.id === id)!.deleted).toBe(true)
  })

  it("changes runtime options", async () => {
    await control(sim, "POST", "configure", { forbidden: { groups: "access_denied" } })
    const denied = await get(sim, "groups")
    await control(sim, "POST", "configure", { forbidden: {} })

    expect(denied.status).toBe(403)
  })

  it("resets the rate-limit windows", async () => {
    await control(sim, "POST", "configure", { plan: overallOnly(1) })
    await get(sim, "roles")
    const limited = await get(sim, "roles")
    await control(sim, "POST", "rate-limits/reset")
    const again = await get(sim, "roles")
    await control(sim, "POST", "configure", { plan: "unlimited" })

    expect([limited.status, again.status]).toEqual([429, 200])
  })

  it("answers mistakes with JSON errors", async () => {
    const stream = await control(sim, "GET", "data/widgets")
    const record = await control(sim, "PATCH", "data/tickets/999999", {})
    const body = await control(sim, "POST", "configure", "{not json")
    const route = await control(sim, "GET", "nothing")

    expect([stream.status, record.status, body.status, route.status]).toEqual([400, 404, 400, 404])
    expect(stream.json).toMatchObject({ error: "UnknownStream" })
  })
})
