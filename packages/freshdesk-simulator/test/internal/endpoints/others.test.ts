import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { errorsOf, get, getJson, idsOf, pageAll, qs, type Row, type Sim, startSim } from "../../helpers.ts"

describe("other listings", () => {
  let sim: Sim
  beforeAll(async () => {
    sim = await startSim({ counts: { companies: 40, agents: 12, timeEntries: 150 } })
  })
  afterAll(() => sim.stop())

  describe("companies", () => {
    it("lists every company ordered by name then id", async () => {
      const { rows } = await pageAll(sim, "companies?per_page=7")

      const key = (r: Row) => `${(r.name as string).toLowerCase()}|${String(r.id).padStart(20, "0")}`
      const names = rows.map(key)
      expect(names).toEqual([...names].sort())
      expect(rows).toHaveLength(40)
    })

    it("accepts no filter at all", async () => {
      const res = await get(sim, "companies?updated_since=2020-01-01T00:00:00Z")

      expect(res.status).toBe(400)
      expect((await errorsOf(res))[0]).toEqual({
        field: "updated_since",
        message: "Unexpected/invalid field in request",
        code: "invalid_field"
      })
    })
  })

  describe("agents", () => {
    it("filters by state and by e-mail", async () => {
      const agents = sim.data("agents")
      const someone = agents[3]!
      const email = (someone.contact as Row).email as string

      const occasional = await getJson(sim, "agents?state=occasional&per_page=100")
      const byEmail = await getJson(sim, `agents?email=${encodeURIComponent(email)}`)

      expect(idsOf(occasional)).toEqual(idsOf(agents.filter((a) => a.occasional === true)))
      expect(byEmail.map((a) => a.id)).toEqual([someone.id])
    })

    it("rejects an unknown state", async () => {
      const res = await get(sim, "agents?state=parttime")

      expect((await errorsOf(res))[0]!.code).toBe("invalid_value")
    })

    it("answers /agents/me with the key owner's agent", async () => {
      const me = await getJson<Row>(sim, "agents/me")

      expect(me.id).toBe(sim.data("agents")[0]!.id)
      expect(me).toHaveProperty("contact.email")
    })
  })

  describe("groups, roles and products", () => {
    it("accept only paging parameters", async () => {
      const streams = ["groups", "roles", "products"]
      const results = await Promise.all(streams.map((s) => get(sim, `${s}?name=x`)))

      expect(results.map((r) => r.status)).toEqual([400, 400, 400])
    })

    it("send groups' auto_ticket_assign as 0 or 1", async () => {
      const groups = await getJson(sim, "groups")

      expect(groups.every((g) => [0, 1].includes(g.auto_ticket_assign as number))).toBe(true)
    })
  })

  describe("time_entries", () => {
    it("filters by agent, billable and execution dates together", async () => {
      const all = sim.data("time_entries")
      const agent = all[0]!.agent_id as number

      const query = qs({
        per_page: 100,
        agent_id: agent,
        billable: "true",
        executed_after: "2024-01-01T00:00:00Z",
        executed_before: "2025-12-31T00:00:00Z"
      })
      const { rows } = await pageAll(sim, `time_entries?${query}`)

      const expected = all.filter(
        (t) =>
          t.agent_id === agent &&
          t.billable === true &&
          (t.executed_at as string) >= "2024-01-01" &&
          (t.executed_at as string) <= "2025-12-31T00:00:00Z"
      )
      expect(expected.length).toBeGreaterThan(0)
      expect(rows.map((r) => r.id)).toEqual(expected.map((t) => t.id))
    })

    it("rejects an unknown agent or company and a non-boolean billable", async () => {
      const agent = await get(sim, "time_entries?agent_id=12345")
      const company = await get(sim, "time_entries?company_id=12345")
      const billable = await get(sim, "time_entries?billable=yes")

      const [a, c, b] = await Promise.all([agent, company, billable].map(errorsOf))
      expect(a![0]).toMatchObject({ field: "agent_id", code: "invalid_value" })
      expect(c![0]).toMatchObject({ field: "company_id", code: "invalid_value" })
      expect(b![0]).toMatchObject({ field: "billable", code: "datatype_mismatch" })
    })
  })

  describe("ticket_fields", () => {
    it("names the custom statuses and lists custom fields of every type", async () => {
      const fields = await getJson(sim, "ticket_fields")

      const status = fields.find((f) => f.name === "status")!
      const choices = status.choices as Record<string, Array<string>>
      expect(choices["6"]![0]).toBe("Waiting on Customer")
      expect(choices["7"]![0]).toBe("Waiting on Third Party")
      expect(fields.map((f) => f.type)).toEqual(
        expect.arrayContaining([
          "custom_text",
          "custom_paragraph",
          "custom_dropdown",
          "custom_checkbox",
          "custom_number",
          "custom_decimal",
          "custom_date"
        ])
      )
      const priority = fields.find((f) => f.name === "priority")!
      expect(priority.choices).toEqual({ Low: 1, Medium: 2, High: 3, Urgent: 4 })
    })

    it("names exactly the cf_ keys tickets carry", async () => {
      const fields = await getJson(sim, "ticket_fields")
      const tickets = await getJson(sim, "tickets?updated_since=2000-01-01")

      const custom = fields.filter((f) => (f.name as string).startsWith("cf_")).map((f) => f.name)
      expect(Object.keys(tickets[0]!.custom_fields as Row).sort()).toEqual([...custom].sort())
    })
  })

  describe("403s", () => {
    it("answers the configured endpoints with the documented bodies", async () => {
      sim.configure({ forbidden: { products: "require_feature", time_entries: "access_denied" } })
      const products = await get(sim, "products")
      const entries = await get(sim, "time_entries")
      const tickets = await get(sim, "tickets")
      sim.configure({ forbidden: {} })

      expect(products.status).toBe(403)
      expect(await products.json()).toEqual({
        code: "require_feature",
        message: expect.stringContaining("plan")
      })
      expect(entries.status).toBe(403)
      expect(await entries.json()).toEqual({
        code: "access_denied",
        message: "You are not authorized to perform this action."
      })
      expect(tickets.status).toBe(200)
    })

    it("checks credentials before permissions", async () => {
      sim.configure({ forbidden: { products: "require_feature" } })
      const res = await get(sim, "products", "wrong")
      sim.configure({ forbidden: {} })

      expect(res.status).toBe(401)
    })
  })
})
