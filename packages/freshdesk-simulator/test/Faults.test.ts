import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { FaultPicker } from "../src/Faults.ts"
import type { FaultRule } from "../src/Options.ts"
import { get, type Sim, startSim } from "./helpers.ts"

type Rules = ReadonlyArray<FaultRule>

const always = (kind: FaultRule["kind"], extra: Partial<FaultRule> = {}): Rules => [{ kind, rate: 1, ...extra }]

describe("Faults", () => {
  let sim: Sim
  beforeAll(async () => {
    sim = await startSim()
  })
  afterAll(() => sim.stop())

  it("answers 500 and 503 with JSON bodies and 502 with a proxy's HTML", async () => {
    const bodies: Array<[number, string | null]> = []
    for (const kind of ["500", "502", "503"] as const) {
      sim.configure({ faults: always(kind) })
      const res = await get(sim, "roles")
      bodies.push([res.status, res.headers.get("content-type")])
      await res.text()
    }
    sim.configure({ faults: [] })

    expect(bodies).toEqual([
      [500, "application/json; charset=utf-8"],
      [502, "text/html"],
      [503, "application/json; charset=utf-8"]
    ])
  })

  it("resets the connection without a response", async () => {
    sim.configure({ faults: always("reset") })
    const attempt = get(sim, "roles")

    await expect(attempt).rejects.toThrow()
    sim.configure({ faults: [] })
  })

  it("cuts the body off mid-JSON after a valid status", async () => {
    sim.configure({ faults: always("truncate") })
    const res = await get(sim, "tickets?updated_since=2000-01-01")
    const text = await res.text()
    sim.configure({ faults: [] })

    expect(res.status).toBe(200)
    expect(text.startsWith("[{")).toBe(true)
    expect(() => JSON.parse(text)).toThrow()
  })

  it("promises the full length and drops the socket with truncate-reset", async () => {
    sim.configure({ faults: always("truncate-reset") })
    const res = await get(sim, "tickets?updated_since=2000-01-01")

    expect(res.status).toBe(200)
    await expect(res.text()).rejects.toThrow()
    sim.configure({ faults: [] })
  })

  it("limits faults to the given endpoints and number of times", async () => {
    sim.configure({ faults: always("503", { endpoints: ["tickets"], times: 2 }) })

    const roles = await get(sim, "roles")
    const tickets: Array<Response> = []
    for (let i = 0; i < 3; i++) tickets.push(await get(sim, "tickets"))
    sim.configure({ faults: [] })

    expect(roles.status).toBe(200)
    expect(tickets.map((r) => r.status)).toEqual([503, 503, 200])
  })

  it("draws the same faults from the same seed", () => {
    const rules: ReadonlyArray<FaultRule> = [{ kind: "500", rate: 0.3 }]
    const draw = (seed: number) => {
      const picker = new FaultPicker(seed, rules)
      return Array.from({ length: 50 }, () => picker.pick("tickets") ?? "-").join("")
    }

    expect(draw(7)).toBe(draw(7))
    expect(draw(7)).not.toBe(draw(8))
    expect(draw(7)).toContain("500")
  })

  it("delays responses by the configured latency and counts the peak in flight", async () => {
    sim.configure({ latency: { ms: 150, jitterMs: 20 } })
    sim.resetStats()
    const started = Date.now()

    const results = await Promise.all([1, 2, 3].map(() => get(sim, "roles")))
    const elapsed = Date.now() - started
    sim.configure({ latency: 0 })

    expect(results.map((r) => r.status)).toEqual([200, 200, 200])
    expect(elapsed).toBeGreaterThanOrEqual(150)
    expect(elapsed).toBeLessThan(1000)
    expect(sim.stats().peakInFlight).toBe(3)
  })
})
