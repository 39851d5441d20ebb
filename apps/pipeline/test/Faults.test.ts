// the fault suite, end to end: the CLI as a child process against the simulator on a
// loopback port, with failing responses, tight rate limits, kills at random points,
// corrupted staging files and malformed records; every case deterministic by its seed
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Cli from "./support/Cli.ts"
import * as Simulated from "./support/Simulated.ts"

let cli = ""
beforeAll(() => {
  cli = Cli.build("faults")
})
afterAll(() => Cli.removeBuild(cli))

const faultKinds = ["500", "502", "503", "reset", "truncate", "truncate-reset"] as const

const sum = (report: Cli.RunReportJson, field: "retries" | "rateLimitWaits") =>
  report.streams.reduce((n, s) => n + s[field], 0)

describe("faults", () => {
  // 5% of listing requests fail, split evenly over the six kinds. Seed 2189 draws every
  // kind among the first 27 listing requests, so this small account meets all six.
  it("ends exact through failing responses and a tight rate limit at once", () =>
    Simulated.withSimulator(
      {
        seed: 2189,
        windowMs: 250,
        plan: { overall: 30, ticketList: 5, contactList: 5 },
        counts: { tickets: 1500, contacts: 400, companies: 150, timeEntries: 200 },
        faults: faultKinds.map((kind) => ({ kind, rate: 0.05 / 6, endpoints: [...Simulated.streams] }))
      },
      async (sim, out) => {
        const result = await Cli.run(cli, ["sync"], Simulated.envFor(sim, out, { PIPELINE_RATE_WINDOW_MS: "250" }))
        const report = Cli.report(result)
        const stats = sim.stats()
        const retried = Cli.logLines(result)
          .filter((line) => line.message === "retrying request")
          .map((line) => (line.annotations as Record<string, unknown>)["retry.reason"])
        const { current, account } = await Simulated.compareAll(out, sim)

        expect(result.code).toBe(0)
        expect(report.streams.every((s) => s.status === "committed" && s.verification === "passed")).toBe(true)
        expect(current).toEqual(account)
        expect(stats.faults).toBeGreaterThanOrEqual(6)
        expect(new Set(retried)).toEqual(new Set(["ServerError", "Transport", "MalformedBody", "RateLimited"]))
        // every fault and every 429 is retried once, and nothing else is
        expect(sum(report, "retries")).toBe(stats.faults + stats.rateLimited)
        expect(sum(report, "rateLimitWaits")).toBeGreaterThan(0)
      }
    ))
})
