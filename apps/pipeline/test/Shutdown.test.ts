// end to end: a sync stopped by SIGTERM commits and exits 143 (SIGKILL at random points is
// in Faults.test.ts)
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Simulator } from "@landed/freshdesk-simulator"
import * as Cli from "./support/Cli.ts"

let cli = ""
beforeAll(() => {
  cli = Cli.build("shutdown")
})
afterAll(() => Cli.removeBuild(cli))

const envFor = (sim: Simulator.SimulatorHandle, out: string, extra: Record<string, string> = {}) => ({
  FRESHDESK_API_KEY: sim.apiKey,
  FRESHDESK_BASE_URL: sim.url,
  PIPELINE_OUT: out,
  PIPELINE_LOG_FORMAT: "json",
  PIPELINE_PLAN: "pro",
  PIPELINE_RATE_WINDOW_MS: "1000",
  PIPELINE_CHECKPOINT_ROWS: "100",
  ...extra
})

const exists = (path: string) =>
  Fs.access(path).then(
    () => true,
    () => false
  )

const snapshotCount = async (out: string, stream: string) =>
  (await Cli.files(Path.join(out, "_state", stream, "snapshots"))).length

describe("signals", () => {
  it("commits its verified work, releases its locks and exits 143 on SIGTERM", async () => {
    const sim = await Simulator.start({ seed: 21, windowMs: 1000, latency: 40, counts: { tickets: 2000 } })
    const out = await Cli.tempDir()
    try {
      const running = Cli.start(cli, ["sync"], envFor(sim, out))
      await Cli.waitFor(async () => (await snapshotCount(out, "tickets")) >= 2)

      running.child.kill("SIGTERM")
      const result = await running.done
      const report = Cli.report(result)
      const tickets = report.streams.find((s) => s.stream === "tickets")!
      const current = JSON.parse(await Fs.readFile(Path.join(out, "_state/tickets/current.json"), "utf8"))
      const locks = await Promise.all(report.streams.map((s) => exists(Path.join(out, "_state", s.stream, "lock"))))
      const verify = await Cli.run(cli, ["verify", "--out", out], {})

      expect(result.code).toBe(143)
      expect(report.exitCode).toBe(143)
      expect(tickets.status).toBe("interrupted")
      expect(current.totalRows).toBe(tickets.records)
      expect(current.complete).toBe(false)
      expect(locks.every((held) => !held)).toBe(true)
      expect(verify.code).toBe(0)
    } finally {
      await sim.stop()
      await Cli.removeDir(out)
    }
  })
})
