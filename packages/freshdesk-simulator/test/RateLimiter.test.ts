import { describe, expect, it } from "vitest"
import { RateLimiter } from "../src/RateLimiter.ts"
import { get, overallOnly, startSim } from "./helpers.ts"

const limits = { overall: 3, ticketList: 2, contactList: null }

describe("RateLimiter", () => {
  it("opens the window with its first request, not on a clock boundary", () => {
    const limiter = new RateLimiter(limits, 1000)

    const admitted = [500, 600, 700].map((t) => limiter.admit(t, undefined)._tag)
    const refused = limiter.admit(1499, undefined)
    const reopened = limiter.admit(1500, undefined)

    expect(admitted).toEqual(["Admitted", "Admitted", "Admitted"])
    expect(refused).toEqual({ _tag: "Refused", retryAfterSeconds: 1, limit: "overall" })
    expect(reopened._tag).toBe("Admitted")
  })

  it("rounds Retry-After up to whole seconds", () => {
    const limiter = new RateLimiter({ overall: 1, ticketList: null, contactList: null }, 60_000)
    limiter.admit(0, undefined)

    const refused = limiter.admit(2_500, undefined)

    expect(refused).toEqual({ _tag: "Refused", retryAfterSeconds: 58, limit: "overall" })
  })

  it("counts a sub-limit in calls in its own window", () => {
    const limiter = new RateLimiter({ overall: 100, ticketList: 2, contactList: null }, 1000)
    limiter.admit(0, undefined)
    limiter.admit(400, "ticketList")
    limiter.admit(500, "ticketList")

    const refused = limiter.admit(1200, "ticketList")
    const other = limiter.admit(1200, undefined)

    expect(refused).toEqual({ _tag: "Refused", retryAfterSeconds: 1, limit: "ticketList" })
    expect(other._tag).toBe("Admitted")
    expect(limiter.admit(1400, "ticketList")._tag).toBe("Admitted")
  })

  it("reports remaining credits and never below zero", () => {
    const limiter = new RateLimiter({ overall: 4, ticketList: null, contactList: null }, 1000)
    limiter.admit(0, undefined)
    limiter.chargeCredits(0, 6)

    expect(limiter.headers(0, 7)).toEqual({
      "X-RateLimit-Total": "4",
      "X-RateLimit-Remaining": "0",
      "X-RateLimit-Used-CurrentRequest": "7"
    })
  })

  describe("over HTTP", () => {
    it("answers 429 with the documented body, Retry-After and no X-RateLimit headers", async () => {
      const sim = await startSim({ plan: overallOnly(3), windowMs: 1000 })
      try {
        const ok = await Promise.all([1, 2, 3].map(() => get(sim, "roles")))
        const limited = await get(sim, "roles")

        const remaining = ok.map((r) => r.headers.get("x-ratelimit-remaining"))
        expect(remaining.sort()).toEqual(["0", "1", "2"])
        expect(limited.status).toBe(429)
        const body = '{"message":"You have exceeded the limit of requests per hour"}'
        expect(await limited.text()).toBe(body)
        expect(limited.headers.get("retry-after")).toMatch(/^[1-9][0-9]*$/)
        const names: Array<string> = []
        limited.headers.forEach((_value, name) => {
          names.push(name)
        })
        expect(names.some((k) => k.startsWith("x-ratelimit"))).toBe(false)
        expect(names).toContain("retry-after")
        expect(limited.headers.get("content-type")).toContain("application/json")
        expect(sim.stats().rateLimited).toBe(1)
      } finally {
        await sim.stop()
      }
    })

    it("admits requests again once the window has passed", async () => {
      const sim = await startSim({ plan: overallOnly(1), windowMs: 300 })
      try {
        await get(sim, "roles")
        const limited = await get(sim, "roles")
        await new Promise((resolve) => setTimeout(resolve, 350))
        const again = await get(sim, "roles")

        expect([limited.status, again.status]).toEqual([429, 200])
      } finally {
        await sim.stop()
      }
    })

    it("counts includes as credits against the account limit", async () => {
      const sim = await startSim({ plan: overallOnly(10), windowMs: 5000 })
      try {
        const statuses: Array<number> = []
        for (let i = 0; i < 5; i++) {
          statuses.push((await get(sim, "tickets?include=requester")).status)
        }

        expect(statuses).toEqual([200, 200, 200, 200, 429])
        expect(sim.stats().credits).toBe(12)
      } finally {
        await sim.stop()
      }
    })

    it("counts the ticket-list sub-limit in calls, includes or not", async () => {
      const sim = await startSim({ plan: { overall: 100, ticketList: 2, contactList: 2 }, windowMs: 5000 })
      try {
        const first = await get(sim, "tickets?include=stats,description")
        const tickets = [first, await get(sim, "tickets")]
        const third = await get(sim, "tickets")
        const contacts = await get(sim, "contacts")
        const companies = await get(sim, "companies")

        expect(tickets.map((r) => r.status)).toEqual([200, 200])
        expect([third.status, contacts.status, companies.status]).toEqual([429, 200, 200])
      } finally {
        await sim.stop()
      }
    })

    it("counts invalid requests too", async () => {
      const sim = await startSim({ plan: overallOnly(2), windowMs: 5000 })
      try {
        const unauthorized = await get(sim, "roles", "wrong")
        const invalid = await get(sim, "roles?x=1")
        const next = await get(sim, "roles")

        expect([unauthorized.status, invalid.status, next.status]).toEqual([401, 400, 429])
      } finally {
        await sim.stop()
      }
    })

    it("uses the plan presets", async () => {
      const sim = await startSim({ plan: "growth" })
      try {
        const res = await get(sim, "roles")

        expect(res.headers.get("x-ratelimit-total")).toBe("200")
      } finally {
        await sim.stop()
      }
    })
  })
})

describe("RateLimiter.admit", () => {
  it("asks to wait for the later window when two limits are used up", () => {
    const limiter = new RateLimiter({ overall: 3, ticketList: 1, contactList: null }, 10_000)
    limiter.admit(0, "contactList")
    limiter.admit(3000, "ticketList")
    limiter.admit(4000, "contactList")

    const refused = limiter.admit(5000, "ticketList")

    expect(refused).toMatchObject({ _tag: "Refused", retryAfterSeconds: 8, limit: "ticketList" })
  })
})
