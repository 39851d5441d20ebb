import { describe, expect, it } from "vitest"
import { FIXED_NOW, get, getJson, pageAll, type Row, startSim } from "./helpers.ts"

const asc = "tickets?per_page=10&order_by=updated_at&order_type=asc&updated_since=2000-01-01"
const nowStamp = "2026-03-15T12:00:00Z"

describe("Scenarios", () => {
  describe("editDuringPaging", () => {
    it("edits records after every Nth listing request, stamping them now", async () => {
      const sim = await startSim({
        counts: { tickets: 100 },
        editDuringPaging: { stream: "tickets", everyNRequests: 3, count: 2 }
      })
      try {
        for (let page = 1; page <= 5; page++) await getJson(sim, `${asc}&page=${page}`)

        const edited = sim.data("tickets").filter((t) => t.updated_at === nowStamp)
        expect(edited).toHaveLength(2)
        const subjects = edited.map((t) => t.subject as string)
        expect(subjects.every((s) => s.startsWith("Edited while paging"))).toBe(true)
      } finally {
        await sim.stop()
      }
    })

    it("moves edited records to the end of an updated_at asc listing", async () => {
      const sim = await startSim({
        counts: { tickets: 60 },
        fractions: { deletedTickets: 0, spamTickets: 0 },
        editDuringPaging: { stream: "tickets", everyNRequests: 1, count: 3 }
      })
      try {
        const { rows } = await pageAll(sim, asc)

        const tail = rows.slice(-3).map((r) => r.updated_at)
        expect(tail).toEqual([nowStamp, nowStamp, nowStamp])
      } finally {
        await sim.stop()
      }
    })

    it("creates and deletes records while paging", async () => {
      const sim = await startSim({
        counts: { tickets: 50, contacts: 40 },
        fractions: { deletedTickets: 0, spamTickets: 0, deletedContacts: 0, blockedContacts: 0 },
        editDuringPaging: [
          { stream: "tickets", everyNRequests: 2, count: 1, action: "create" },
          { stream: "contacts", everyNRequests: 1, count: 1, action: "delete" }
        ]
      })
      try {
        for (let page = 1; page <= 4; page++) await getJson(sim, `${asc}&page=${page}`)
        await getJson(sim, "contacts?per_page=5")
        await getJson(sim, "contacts?per_page=5&page=2")

        const tickets = sim.data("tickets")
        expect(tickets).toHaveLength(52)
        expect(tickets.slice(-2).map((t) => [t.id, t.created_at])).toEqual([
          [51, nowStamp],
          [52, nowStamp]
        ])
        expect(sim.data("contacts").filter((c) => c.deleted === true)).toHaveLength(2)
      } finally {
        await sim.stop()
      }
    })
  })

  describe("corruptions", () => {
    it("puts the given values into one record's listing row only", async () => {
      const sim = await startSim({
        counts: { tickets: 20 },
        corruptions: [
          { stream: "tickets", id: 20, field: "priority", value: "high" },
          { stream: "tickets", id: 20, field: "subject", raw: '"broken \\ud800 half"' },
          { stream: "tickets", id: 20, field: "custom_fields.cf_brand_new", value: 1 }
        ]
      })
      try {
        const res = await get(sim, "tickets?updated_since=2000-01-01&order_by=created_at")
        const text = await res.text()
        const rows = JSON.parse(text) as Array<Row>

        const hit = rows.find((r) => r.id === 20)!
        expect(hit.priority).toBe("high")
        expect(text).toContain('"subject":"broken \\ud800 half"')
        expect((hit.custom_fields as Row).cf_brand_new).toBe(1)
        const others = rows.filter((r) => r.id !== 20)
        expect(others.every((r) => typeof r.priority === "number")).toBe(true)
        expect(sim.data("tickets").find((t) => t.id === 20)!.priority).toEqual(expect.any(Number))
      } finally {
        await sim.stop()
      }
    })

    it("changes a field's type on the chosen pages only", async () => {
      const sim = await startSim({
        now: FIXED_NOW,
        counts: { companies: 30 },
        fieldFlips: [{ stream: "companies", field: "id", pages: [2] }]
      })
      try {
        const pageOf = (p: number) => getJson(sim, `companies?per_page=10&page=${p}`)
        const [p1, p2, p3] = await Promise.all([1, 2, 3].map(pageOf))

        expect(p1!.every((r) => typeof r.id === "number")).toBe(true)
        expect(p2!.every((r) => typeof r.id === "string")).toBe(true)
        expect(p3!.every((r) => typeof r.id === "number")).toBe(true)
      } finally {
        await sim.stop()
      }
    })
  })
})
