// end to end: the CLI as a child process against the simulator on a loopback port
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Simulator } from "@landed/freshdesk-simulator"
import * as Cli from "./support/Cli.ts"
import * as Data from "./support/Dataset.ts"

let cli = ""
beforeAll(() => {
  cli = Cli.build("sync")
})
afterAll(() => Cli.removeBuild(cli))

const envFor = (sim: Simulator.SimulatorHandle, out: string, extra: Record<string, string> = {}) => ({
  FRESHDESK_API_KEY: sim.apiKey,
  FRESHDESK_BASE_URL: sim.url,
  PIPELINE_OUT: out,
  PIPELINE_LOG_FORMAT: "json",
  PIPELINE_PLAN: "pro",
  PIPELINE_RATE_WINDOW_MS: "1000",
  ...extra
})

const withSimulator = async <A>(
  options: Simulator.SimulatorOptions,
  use: (sim: Simulator.SimulatorHandle, out: string) => Promise<A>
): Promise<A> => {
  const sim = await Simulator.start({ windowMs: 1000, ...options })
  const out = await Cli.tempDir()
  try {
    return await use(sim, out)
  } finally {
    await sim.stop()
    await Cli.removeDir(out)
  }
}

const status = (report: Cli.RunReportJson) => Object.fromEntries(report.streams.map((s) => [s.stream, s.status]))

describe("sync", () => {
  it("lands every stream, then an incremental run picks up edits, creations and deletions", () =>
    withSimulator({ seed: 11 }, async (sim, out) => {
      const first = await Cli.run(cli, ["sync"], envFor(sim, out))
      const edited = sim.update("tickets", 3, { subject: "edited after the first sync" })
      const created = sim.create("tickets", { subject: "created after the first sync" })
      sim.remove("tickets", 4)

      const second = await Cli.run(cli, ["sync"], envFor(sim, out))
      const tickets = await Data.query(out, "SELECT count(*) AS n, count(DISTINCT id) AS ids FROM tickets")
      const changed = await Data.query(
        out,
        `SELECT id, subject, deleted FROM tickets WHERE id IN (3, 4, ${String(created.id)}) ORDER BY id`
      )

      expect(first.code).toBe(0)
      expect(Cli.report(first).streams.every((s) => s.status === "committed" && s.verification === "passed")).toBe(true)
      expect(second.code).toBe(0)
      expect(Cli.report(second).streams[0]?.requests).toBeLessThan(Cli.report(first).streams[0]!.requests)
      expect(tickets).toEqual([{ n: String(sim.data("tickets").length), ids: String(sim.data("tickets").length) }])
      expect(changed).toEqual([
        { id: "3", subject: edited.subject, deleted: false },
        { id: "4", subject: expect.any(String), deleted: true },
        { id: String(created.id), subject: "created after the first sync", deleted: false }
      ])
    }))

  it("shows one current row per id in every stream, matching the account", () =>
    withSimulator({ seed: 12 }, async (sim, out) => {
      await Cli.run(cli, ["sync"], envFor(sim, out))
      sim.update("contacts", sim.data("contacts")[0]!.id as number, { name: "Renamed" })
      await Cli.run(cli, ["sync"], envFor(sim, out))

      const streams = ["tickets", "contacts", "companies", "agents", "groups", "roles", "products", "time_entries"]
      const counts = await Promise.all(
        streams.map(async (s) => {
          const [row] = await Data.query(out, `SELECT count(*) AS n, count(DISTINCT id) AS ids FROM ${s}`)
          return [s, Number(row?.n), Number(row?.ids)]
        })
      )

      expect(counts).toEqual(streams.map((s) => [s, sim.data(s as never).length, sim.data(s as never).length]))
    }))

  it("fails the two streams the key may not read, names the fix, and commits the other six", () =>
    withSimulator(
      { seed: 13, forbidden: { products: "require_feature", time_entries: "access_denied" } },
      async (sim, out) => {
        const result = await Cli.run(cli, ["sync"], envFor(sim, out))
        const report = Cli.report(result)
        const verify = await Cli.run(cli, ["verify", "--out", out, "--log-format", "json"], {})

        expect(result.code).toBe(1)
        expect(status(report)).toEqual({
          tickets: "committed",
          contacts: "committed",
          companies: "committed",
          agents: "committed",
          groups: "committed",
          roles: "committed",
          products: "failed",
          time_entries: "failed"
        })
        expect(report.streams.find((s) => s.stream === "time_entries")?.error?.message).toContain("Admin")
        expect(report.streams.find((s) => s.stream === "products")?.error?.reason).toBe("RequireFeature")
        expect(verify.code).toBe(0)
      }
    ))

  it("writes rejected records verbatim with their reason and exits 4", () =>
    withSimulator(
      { seed: 14, corruptions: [{ stream: "tickets", id: 5, field: "priority", value: "urgent!" }] },
      async (sim, out) => {
        const result = await Cli.run(cli, ["sync", "--streams", "tickets"], envFor(sim, out))
        const report = Cli.report(result)
        const text = await Fs.readFile(Path.join(out, "_rejected", "tickets", `${report.runId}.jsonl`), "utf8")
        const [line] = text
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l))
        const stored = await Data.query(out, "SELECT count(*) AS n FROM tickets WHERE id = 5")

        expect(result.code).toBe(4)
        expect(report.streams[0]?.rejects).toBe(1)
        expect(line).toMatchObject({ stream: "tickets", id: "5", field: "priority" })
        expect(line.record.priority).toBe("urgent!")
        expect(stored).toEqual([{ n: "0" }])
      }
    ))

  it("refuses a stream another process is syncing with exit 5 and the holder's details", () =>
    withSimulator({ seed: 15, latency: 150 }, async (sim, out) => {
      const first = Cli.start(cli, ["sync", "--streams", "tickets"], envFor(sim, out))
      await Cli.waitFor(() =>
        Fs.access(Path.join(out, "_state/tickets/lock")).then(
          () => true,
          () => false
        )
      )

      const second = await Cli.run(cli, ["sync", "--streams", "tickets"], envFor(sim, out))
      first.child.kill("SIGTERM")
      await first.done
      const report = Cli.report(second)

      expect(second.code).toBe(5)
      expect(report.streams[0]?.status).toBe("locked")
      expect(report.streams[0]?.error?.message).toContain(`pid ${first.child.pid}`)
    }))
})
