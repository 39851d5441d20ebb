// end to end: a sync stopped by SIGTERM commits and exits 143; a sync killed with SIGKILL
// at several points resumes and ends exact
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Simulator } from "@landed/freshdesk-simulator"
import * as Cli from "./support/Cli.ts"
import * as Data from "./support/Dataset.ts"

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

const currentTickets = (out: string) =>
  Data.query(out, "SELECT id, epoch(updated_at)::BIGINT AS at FROM tickets ORDER BY id").then((rows) =>
    rows.map((r) => `${String(r.id)}@${String(r.at)}`)
  )

const accountTickets = (sim: Simulator.SimulatorHandle) =>
  sim
    .data("tickets")
    .map((t) => `${String(t.id)}@${Date.parse(String(t.updated_at)) / 1000}`)
    .sort((a, b) => Number(a.split("@")[0]) - Number(b.split("@")[0]))

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

  it("resumes after SIGKILL at several points and ends exact, every file readable, no orphan left", async () => {
    const sim = await Simulator.start({ seed: 22, windowMs: 1000, latency: 25, counts: { tickets: 1500 } })
    const out = await Cli.tempDir()
    try {
      const kills: Array<NodeJS.Signals | null> = []
      for (const commits of [1, 2, 3, 2]) {
        const before = await snapshotCount(out, "tickets")
        const running = Cli.start(cli, ["sync"], envFor(sim, out))
        let exited = false
        void running.done.then(() => {
          exited = true
        })
        await Cli.waitFor(async () => exited || (await snapshotCount(out, "tickets")) >= before + commits, 60_000)
        running.child.kill("SIGKILL")
        kills.push((await running.done).signal)
        sim.update("tickets", commits * 7, { subject: `edited after a kill at ${before + commits}` })
      }

      const last = await Cli.run(cli, ["sync"], envFor(sim, out))
      const verify = await Cli.run(cli, ["verify", "--out", out, "--log-format", "json"], {})
      const staging = await Cli.files(Path.join(out, "_staging"))

      expect(kills).toEqual(["SIGKILL", "SIGKILL", "SIGKILL", "SIGKILL"])
      expect(last.code).toBe(0)
      expect(verify.code).toBe(0)
      expect(JSON.parse(verify.stdout).ok).toBe(true)
      expect(staging).toEqual([])
      expect(await currentTickets(out)).toEqual(accountTickets(sim))
      for (const stream of [
        "contacts",
        "companies",
        "agents",
        "groups",
        "roles",
        "products",
        "time_entries"
      ] as const) {
        const rows = await Data.query(out, `SELECT id::VARCHAR AS id FROM ${stream} ORDER BY id`)
        const ids = sim.data(stream).map((r) => String(r.id))
        expect(rows.map((r) => r.id)).toEqual(ids.sort((a, b) => Number(BigInt(a) - BigInt(b))))
      }
    } finally {
      await sim.stop()
      await Cli.removeDir(out)
    }
  })
})
