import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { get, getJson, idsOf, pageAll, type Row, type Sim, startSim } from "../../helpers.ts"

// by name, case folded, then id: the simulator's contact order
const sorted = (rows: ReadonlyArray<Row>): Array<Row> => {
  const key = (c: Row) => (c.name as string).toLowerCase()
  const byId = (a: Row, b: Row) => (a.id as number) - (b.id as number)
  return [...rows].sort((a, b) => (key(a) === key(b) ? byId(a, b) : key(a) < key(b) ? -1 : 1))
}

describe("GET /contacts", () => {
  let sim: Sim
  let truth: ReadonlyArray<Row>
  let visible: ReadonlyArray<Row>
  beforeAll(async () => {
    const fractions = { deletedContacts: 0.06, blockedContacts: 0.06 }
    sim = await startSim({ counts: { contacts: 250 }, fractions })
    truth = sim.data("contacts")
    visible = truth.filter((c) => c.deleted !== true && c.blocked !== true)
  })
  afterAll(() => sim.stop())

  it("lists neither deleted nor blocked contacts by default, ordered by name then id", async () => {
    const { rows } = await pageAll(sim, "contacts?per_page=100")

    expect(idsOf(rows)).toEqual(idsOf(sorted(visible)))
  })

  it("lists deleted and blocked contacts only with their state filter", async () => {
    const deleted = await pageAll(sim, "contacts?per_page=100&state=deleted")
    const blocked = await pageAll(sim, "contacts?per_page=100&state=blocked")

    expect(deleted.rows.map((r) => r.id).sort()).toEqual(
      truth
        .filter((c) => c.deleted === true)
        .map((c) => c.id)
        .sort()
    )
    expect(blocked.rows.map((r) => r.id).sort()).toEqual(
      truth
        .filter((c) => c.blocked === true && c.deleted !== true)
        .map((c) => c.id)
        .sort()
    )
    expect(deleted.rows.length).toBeGreaterThan(0)
    expect(blocked.rows.length).toBeGreaterThan(0)
  })

  it("splits the default listing into verified and unverified", async () => {
    const verified = await pageAll(sim, "contacts?per_page=100&state=verified")
    const unverified = await pageAll(sim, "contacts?per_page=100&state=unverified")

    expect(verified.rows.every((r) => r.active === true)).toBe(true)
    expect(unverified.rows.every((r) => r.active === false)).toBe(true)
    expect(verified.rows.length + unverified.rows.length).toBe(visible.length)
  })

  it("treats _updated_since as inclusive", async () => {
    const since = visible[10]!.updated_at as string

    const { rows } = await pageAll(sim, `contacts?per_page=100&_updated_since=${since}`)

    expect(rows.map((r) => r.id)).toContain(visible[10]!.id)
    expect(rows).toHaveLength(visible.filter((c) => (c.updated_at as string) >= since).length)
  })

  it("rejects updated_since without the underscore and a bad _updated_since", async () => {
    const plain = await get(sim, "contacts?updated_since=2020-01-01T00:00:00Z")
    const bad = await get(sim, "contacts?_updated_since=soon")

    expect(((await plain.json()) as { errors: Array<Row> }).errors[0]!.code).toBe("invalid_field")
    expect(((await bad.json()) as { errors: Array<Row> }).errors[0]!.code).toBe("invalid_date")
  })

  it("rejects an unknown state listing the allowed values", async () => {
    const res = await get(sim, "contacts?state=active")

    expect(await res.json()).toEqual({
      description: "Validation failed",
      errors: [
        {
          field: "state",
          message: "It should be one of these values: 'verified,unverified,blocked,deleted'",
          code: "invalid_value"
        }
      ]
    })
  })

  it("filters by e-mail and by company", async () => {
    const withCompany = visible.find((c) => c.company_id !== null)!
    const withEmail = visible.find((c) => c.email !== null)!

    const company = withCompany.company_id as number
    const email = encodeURIComponent(withEmail.email as string)

    const byCompany = await pageAll(sim, `contacts?per_page=100&company_id=${company}`)
    const byEmail = await getJson(sim, `contacts?email=${email}`)

    expect(idsOf(byCompany.rows)).toEqual(idsOf(sorted(visible.filter((c) => c.company_id === company))))
    expect(idsOf(byEmail)).toContain(withEmail.id)
  })

  it("emits the reduced list shape with other_companies only on rows with a company", async () => {
    const { rows } = await pageAll(sim, "contacts?per_page=100")

    const viewOnly = ["tags", "other_emails", "avatar", "deleted"]
    expect(rows.some((r) => viewOnly.some((k) => k in r))).toBe(false)
    expect(rows.every((r) => (r.company_id === null) === !("other_companies" in r))).toBe(true)
  })

  it("writes org_contact_id above 2^53 with its exact digits", async () => {
    const res = await get(sim, "contacts?per_page=5")
    const text = await res.text()

    const first = truth.find((c) => text.includes(`"id":${c.id},`))!
    expect(typeof first.org_contact_id).toBe("bigint")
    expect(first.org_contact_id as bigint).toBeGreaterThan(2n ** 53n)
    expect(text).toContain(`"org_contact_id":${(first.org_contact_id as bigint).toString()}`)
  })

  it("embeds the company with include=company and rejects other includes", async () => {
    const withCompany = visible.find((c) => c.company_id !== null)!
    const rows = await getJson(sim, `contacts?include=company&company_id=${withCompany.company_id}`)
    const bad = await get(sim, "contacts?include=requester")

    expect(rows[0]!.company).toEqual({ id: withCompany.company_id, name: expect.any(String) })
    expect(((await bad.json()) as { errors: Array<Row> }).errors[0]!.code).toBe("not_included")
  })

  it("has no page cap", async () => {
    const res = await get(sim, "contacts?page=900")

    expect(res.status).toBe(200)
    expect(await res.json()).toEqual([])
  })
})
