import { describe, expect, it } from "vitest"
import { generate } from "../src/Generator.ts"
import * as Mutations from "../src/Mutations.ts"
import { RawNumber, stringify } from "../src/WireJson.ts"
import { FIXED_NOW, get, getJson, qs, type Row, startSim } from "./helpers.ts"

const now = FIXED_NOW.getTime()
const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

describe("Generator", () => {
  const counts = { tickets: 2000, contacts: 400, timeEntries: 200 }
  const account = generate({ seed: 3, now, counts })
  const tickets = Mutations.dataOf(account, "tickets")
  const contacts = Mutations.dataOf(account, "contacts")

  it("makes the same account from the same seed and another from another seed", () => {
    const again = generate({ seed: 3, now, counts })
    const other = generate({ seed: 4, now, counts })

    expect(stringify(Mutations.dataOf(again, "tickets"))).toBe(stringify(tickets))
    expect(stringify(Mutations.dataOf(other, "tickets"))).not.toBe(stringify(tickets))
  })

  it("makes 60,000 tickets in a few seconds", () => {
    const started = performance.now()

    const big = generate({ seed: 1, now, counts: { tickets: 60_000 } })

    expect(big.tables.tickets.size).toBe(60_000)
    expect(performance.now() - started).toBeLessThan(8000)
  })

  it("gives tickets display ids 1..N and other records 11 to 14 digit ids", () => {
    const globals = (
      ["contacts", "companies", "agents", "groups", "roles", "products", "time_entries"] as const
    ).flatMap((s) => Mutations.dataOf(account, s).map((r) => String(r.id).length))

    expect(tickets.map((t) => t.id)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1))
    expect(globals.every((n) => n >= 11 && n <= 14)).toBe(true)
  })

  it("stamps UTC seconds, updated_at never before created_at, all before now", () => {
    const stamps = tickets.flatMap((t) => [t.created_at, t.updated_at, t.due_by])

    expect(stamps.every((s) => STAMP.test(s as string))).toBe(true)
    expect(tickets.every((t) => (t.updated_at as string) >= (t.created_at as string))).toBe(true)
    expect(tickets.every((t) => Date.parse(t.updated_at as string) < now)).toBe(true)
  })

  it("spreads tickets over about two years with some in the last 30 days", () => {
    const created = tickets.map((t) => Date.parse(t.created_at as string))
    const recent = created.filter((c) => c > now - 30 * 86_400_000).length

    expect(Math.min(...created)).toBeGreaterThan(now - 2.1 * 365 * 86_400_000)
    expect(Math.min(...created)).toBeLessThan(now - 1.8 * 365 * 86_400_000)
    expect(recent).toBeGreaterThan(20)
  })

  it("keeps org_contact_id as a bigint above 2^53", () => {
    const big = (v: unknown) => typeof v === "bigint" && v > 2n ** 53n
    expect(contacts.every((c) => big(c.org_contact_id))).toBe(true)
  })

  it("fills custom fields of every type, decimals with more digits than a double keeps", () => {
    const values = tickets.map((t) => t.custom_fields as Row)
    const amount = values.find((v) => v.cf_amount instanceof RawNumber)!.cf_amount as RawNumber

    expect(amount.digits.replace(/\D/g, "").length).toBeGreaterThan(17)
    expect(Number(amount.digits).toString()).not.toBe(amount.digits)
    expect(values.some((v) => typeof v.cf_skip_notifications === "boolean")).toBe(true)
    expect(values.some((v) => Number.isInteger(v.cf_item_count))).toBe(true)
    expect(values.some((v) => /^\d{4}-\d{2}-\d{2}$/.test(v.cf_follow_up_date as string))).toBe(true)
    expect(values.some((v) => v.cf_category === null)).toBe(true)
  })

  it("writes emoji, right-to-left text, HTML and addresses with newlines", () => {
    const subjects = tickets.map((t) => t.subject as string).join(" ")

    expect(subjects).toMatch(/\p{Extended_Pictographic}/u)
    expect(subjects).toMatch(/[\u0590-\u05ff\u0600-\u06ff]/)
    expect(tickets[0]!.description).toMatch(/^<div><p>/)
    const addresses = contacts.map((c) => c.address).filter((a) => typeof a === "string")
    expect(addresses.some((a) => a.includes("\n"))).toBe(true)
  })

  it("executes time entries at midnight with hh:mm matching the seconds", () => {
    const entries = Mutations.dataOf(account, "time_entries")

    for (const e of entries) {
      const seconds = e.time_spent_in_seconds as number
      const two = (n: number) => String(n).padStart(2, "0")
      const hhmm = `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}`
      expect(e.executed_at).toMatch(/T00:00:00Z$/)
      expect(e.time_spent).toBe(hhmm)
    }
  })

  it("emits the documentation's odd shapes only when asked", () => {
    const staff = { groups: 30, agents: 30, companies: 30 }
    const odd = generate({ seed: 5, now, oddShapes: true, counts: staff })
    const plain = generate({ seed: 5, now, counts: staff })
    const typeOf = (a: typeof odd, stream: "groups" | "agents", pick: (r: Row) => unknown) =>
      Mutations.dataOf(a, stream).map((r) => typeof pick(r))
    const shapes = (a: typeof odd) =>
      stringify(["groups", "agents", "companies"].map((s) => Mutations.dataOf(a, s as "groups")))

    expect(typeOf(odd, "groups", (g) => g.auto_ticket_assign)).toContain("boolean")
    expect(typeOf(odd, "agents", (a) => (a.contact as Row).phone)).toContain("number")
    expect(shapes(odd)).toContain("+05:30")
    expect(shapes(plain)).not.toContain("+05:30")
    expect(typeOf(plain, "groups", (g) => g.auto_ticket_assign)).not.toContain("boolean")
    expect(typeOf(plain, "agents", (a) => (a.contact as Row).phone)).not.toContain("number")
  })

  it("sends null and empty email arrays in the same page", async () => {
    const sim = await startSim({ counts: { tickets: 300 } })
    try {
      const rows = await getJson(sim, "tickets?per_page=100&updated_since=2000-01-01")

      expect(rows.some((r) => r.cc_emails === null)).toBe(true)
      expect(rows.some((r) => Array.isArray(r.cc_emails) && r.cc_emails.length === 0)).toBe(true)
    } finally {
      await sim.stop()
    }
  })

  it("places a tie group straddling position 30,000 of updated_at asc", async () => {
    const sim = await startSim({
      counts: { tickets: 31_500, contacts: 50 },
      fractions: { deletedTickets: 0, spamTickets: 0 },
      tieGroup: { size: 400, around: 30_000 }
    })
    try {
      const query = `tickets?${qs({ per_page: 100, order_by: "updated_at", order_type: "asc" })}&updated_since=2000-01-01`
      const pageOf = (p: number) => getJson(sim, `${query}&page=${p}`)
      const [p298, p299, p300] = await Promise.all([298, 299, 300].map(pageOf))
      const beyond = await get(sim, `${query}&page=301`)

      const shared = p300![0]!.updated_at
      expect([...p299!, ...p300!].every((r) => r.updated_at === shared)).toBe(true)
      expect(p298!.every((r) => r.updated_at === shared)).toBe(false)
      const tied = sim.data("tickets").filter((t) => t.updated_at === shared)
      expect(tied.length).toBeGreaterThanOrEqual(400)
      expect(beyond.status).toBe(400)
    } finally {
      await sim.stop()
    }
  })
})
