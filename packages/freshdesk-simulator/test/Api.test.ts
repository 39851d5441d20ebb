import * as Http from "node:http"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { basic, get, getJson, nextUrl, pageAll, type Sim, startSim } from "./helpers.ts"

const rawGet = (sim: Sim, path: string, host: string): Promise<Http.IncomingMessage> =>
  new Promise((resolve, reject) => {
    const req = Http.request(`${sim.url}/api/v2/${path}`, {
      headers: { host, authorization: basic(sim.apiKey) }
    })
    req.on("response", (res) => {
      res.resume()
      resolve(res)
    })
    req.on("error", reject)
    req.end()
  })

describe("Api", () => {
  let sim: Sim
  beforeAll(async () => {
    sim = await startSim({ counts: { companies: 20, contacts: 130 } })
  })
  afterAll(() => sim.stop())

  describe("auth", () => {
    it("accepts the key as user name with any password", async () => {
      const res = await fetch(`${sim.url}/api/v2/roles`, {
        headers: { authorization: `Basic ${btoa(`${sim.apiKey}:whatever`)}` }
      })

      expect(res.status).toBe(200)
    })

    it("answers 401 without credentials", async () => {
      const res = await fetch(`${sim.url}/api/v2/roles`)

      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({
        code: "invalid_credentials",
        message: "You have to be logged in to perform this action."
      })
    })

    it("answers 401 to a wrong key and to email-style credentials", async () => {
      const wrong = await get(sim, "roles", "not-the-key")
      const email = await get(sim, "roles", "agent@example.com")

      expect([wrong.status, email.status]).toEqual([401, 401])
    })
  })

  describe("routes", () => {
    it("answers unknown routes with 404 and an empty body", async () => {
      const res = await get(sim, "widgets")

      expect(res.status).toBe(404)
      expect(await res.text()).toBe("")
    })

    it("answers a write to a listing with 405", async () => {
      const res = await fetch(`${sim.url}/api/v2/tickets`, {
        method: "POST",
        headers: { authorization: basic(sim.apiKey), "content-type": "application/json" },
        body: "{}"
      })

      expect(res.status).toBe(405)
      expect(res.headers.get("allow")).toBe("GET")
    })

    it("carries the version and cache headers on errors too", async () => {
      const res = await get(sim, "roles", "bad")

      expect(res.headers.get("x-freshdesk-api-version")).toBe("latest=v2; requested=v2")
      const cache = "no-cache, no-store, max-age=0, must-revalidate"
      expect(res.headers.get("cache-control")).toBe(cache)
    })
  })

  describe("paging", () => {
    it("returns 30 rows by default", async () => {
      const rows = await getJson(sim, "contacts")

      expect(rows).toHaveLength(30)
    })

    it("clamps per_page above 100 to 100", async () => {
      const rows = await getJson(sim, "contacts?per_page=500")

      expect(rows).toHaveLength(100)
    })

    it("falls back to the defaults for missing, zero or non-numeric values", async () => {
      const zero = await getJson(sim, "contacts?per_page=0&page=0")
      const text = await getJson(sim, "contacts?per_page=abc&page=x")
      const first = await getJson(sim, "contacts?page=1")

      expect(zero).toEqual(first)
      expect(text).toEqual(first)
    })

    it("rejects per_page above 100 in reject mode", async () => {
      sim.configure({ perPageMode: "reject" })
      const res = await get(sim, "contacts?per_page=101")
      sim.configure({ perPageMode: "clamp" })

      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({
        description: "Validation failed",
        errors: [{ field: "per_page", message: expect.any(String), code: "invalid_value" }]
      })
    })

    it("links the next page with every original parameter", async () => {
      const since = "updated_since=2020-01-01T00%3A00%3A00Z"
      const res = await get(sim, `tickets?${since}&per_page=5&page=2&order_by=updated_at`)

      const expected = `tickets?${since}&per_page=5&order_by=updated_at&page=3`
      expect(nextUrl(res)).toBe(`${sim.url}/api/v2/${expected}`)
    })

    it("sends no Link on a last page that is exactly full", async () => {
      const full = await get(sim, "companies?per_page=10&page=2")
      const before = await get(sim, "companies?per_page=10&page=1")

      expect((await full.json()) as Array<unknown>).toHaveLength(10)
      expect(full.headers.get("link")).toBeNull()
      expect(nextUrl(before)).toContain("page=2")
    })

    it("builds the Link from the request's Host header", async () => {
      const res = await rawGet(sim, "companies?per_page=5", "example.test:8443")

      const url = "http://example.test:8443/api/v2/companies?per_page=5&page=2"
      expect(res.headers.link).toBe(`<${url}>; rel="next"`)
    })

    it("reassembles the whole listing from pages of any size", async () => {
      const whole = await getJson(sim, "contacts?per_page=100")
      const rest = await getJson(sim, "contacts?per_page=100&page=2")
      const expected = [...whole, ...rest].map((r) => r.id)

      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 4, max: 100 }), async (perPage) => {
          const { rows } = await pageAll(sim, `contacts?per_page=${perPage}`)
          expect(rows.map((r) => r.id)).toEqual(expected)
        }),
        { numRuns: 12 }
      )
    })
  })
})
