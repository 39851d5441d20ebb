// the operator's procedures of docs/operations.md, run as written: re-syncing one stream
// with --full-refresh and rolling a stream back to an earlier snapshot
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Simulator } from "@landed/freshdesk-simulator"
import * as Cli from "./support/Cli.ts"
import * as Data from "./support/Dataset.ts"

let cli = ""
beforeAll(() => {
  cli = Cli.build("operations")
})
afterAll(() => Cli.removeBuild(cli))

const envFor = (sim: Simulator.SimulatorHandle, out: string) => ({
  FRESHDESK_API_KEY: sim.apiKey,
  FRESHDESK_BASE_URL: sim.url,
  PIPELINE_OUT: out,
  PIPELINE_LOG_FORMAT: "json",
  PIPELINE_PLAN: "pro",
  PIPELINE_RATE_WINDOW_MS: "1000"
})

const withSimulator = async (seed: number, use: (sim: Simulator.SimulatorHandle, out: string) => Promise<void>) => {
  const sim = await Simulator.start({ seed, windowMs: 1000 })
  const out = await Cli.tempDir()
  try {
    await use(sim, out)
  } finally {
    await sim.stop()
    await Cli.removeDir(out)
  }
}

const snapshotNames = (out: string, stream: string) =>
  Fs.readdir(Path.join(out, "_state", stream, "snapshots")).then((names) => names.sort())

describe("operations", () => {
  it("re-syncs one stream with --full-refresh: a record deleted for good leaves its current view, the others stay", () =>
    withSimulator(51, async (sim, out) => {
      await Cli.run(cli, ["sync"], envFor(sim, out))
      const gone = sim.data("companies")[0]!.id as number
      sim.remove("companies", gone)
      const ticketSnapshots = await snapshotNames(out, "tickets")

      const incremental = await Cli.run(cli, ["sync", "--streams", "companies"], envFor(sim, out))
      const [before] = await Data.query(out, `SELECT count(*) AS n FROM companies WHERE id = ${gone}`)
      const refresh = await Cli.run(cli, ["sync", "--streams", "companies", "--full-refresh"], envFor(sim, out))
      const [after] = await Data.query(out, `SELECT count(*) AS n, count(DISTINCT id) AS ids FROM companies`)
      const [history] = await Data.query(out, `SELECT count(*) AS n FROM companies_history WHERE id = ${gone}`)

      expect([incremental.code, refresh.code]).toEqual([0, 0])
      expect(before).toEqual({ n: "1" })
      expect(after).toEqual({ n: String(sim.data("companies").length), ids: String(sim.data("companies").length) })
      expect(Number(history?.n)).toBeGreaterThan(0)
      expect(await snapshotNames(out, "tickets")).toEqual(ticketSnapshots)
    }))

  it("rolls a stream back: newer snapshots moved aside, the next sync drops their files and reads again", () =>
    withSimulator(52, async (sim, out) => {
      await Cli.run(cli, ["sync", "--streams", "tickets"], envFor(sim, out))
      const [kept] = await snapshotNames(out, "tickets")
      const edited = sim.update("tickets", 5, { subject: "edited between the syncs" })
      await Cli.run(cli, ["sync", "--streams", "tickets"], envFor(sim, out))
      const names = await snapshotNames(out, "tickets")
      const aside = await Cli.tempDir()

      for (const name of names.filter((n) => n !== kept)) {
        await Fs.rename(Path.join(out, "_state/tickets/snapshots", name), Path.join(aside, name))
      }
      const inconsistent = await Cli.run(cli, ["verify", "--out", out, "--log-format", "json"], {})
      const resync = await Cli.run(cli, ["sync", "--streams", "tickets"], envFor(sim, out))
      const verify = await Cli.run(cli, ["verify", "--out", out, "--log-format", "json"], {})
      const [row] = await Data.query(out, "SELECT subject FROM tickets WHERE id = 5")
      const [counts] = await Data.query(out, "SELECT count(*) AS n, count(DISTINCT id) AS ids FROM tickets")
      await Cli.removeDir(aside)

      expect(names.length).toBeGreaterThan(1)
      expect(inconsistent.code).toBe(1)
      expect(resync.code).toBe(0)
      expect(verify.code).toBe(0)
      expect(row).toEqual({ subject: edited.subject })
      expect(counts).toEqual({ n: String(sim.data("tickets").length), ids: String(sim.data("tickets").length) })
    }))
})
