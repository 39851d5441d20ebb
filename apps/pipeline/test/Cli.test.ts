// end to end: every command of the CLI as a child process, its exit codes and output
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Simulator } from "@landed/freshdesk-simulator"
import * as Cli from "./support/Cli.ts"

const KEY = "sk-test-4b1d9e7f2a6c8e0d"

let cli = ""
let sim: Simulator.SimulatorHandle
let out = ""
let synced: Cli.Result

const envFor = (dir: string, extra: Record<string, string> = {}) => ({
  FRESHDESK_API_KEY: KEY,
  FRESHDESK_BASE_URL: sim.url,
  PIPELINE_OUT: dir,
  PIPELINE_LOG_FORMAT: "json",
  PIPELINE_RATE_WINDOW_MS: "1000",
  ...extra
})

beforeAll(async () => {
  cli = Cli.build("cli")
  sim = await Simulator.start({ seed: 31, apiKey: KEY, windowMs: 1000, forbidden: { products: "require_feature" } })
  out = await Cli.tempDir()
  synced = await Cli.run(cli, ["sync", "--streams", "tickets,contacts,agents"], envFor(out))
})

afterAll(async () => {
  await sim.stop()
  await Cli.removeDir(out)
  await Cli.removeBuild(cli)
})

const copyDataset = async () => {
  const copy = await Cli.tempDir()
  await Fs.cp(out, copy, { recursive: true })
  return copy
}

describe("cli", () => {
  it("shows help for every command", async () => {
    const commands = ["sync", "check", "discover", "verify", "query", "demo"]

    const results = await Promise.all(commands.map((c) => Cli.run(cli, [c, "--help"], {})))

    expect(results.map((r) => r.code)).toEqual(commands.map(() => 0))
    expect(results[0]?.stdout).toContain("PIPELINE_CHECKPOINT_ROWS")
    expect(results[0]?.stdout).toContain("--full-refresh")
  })

  it("exits 2 on a usage error and on a bad value, before writing anything", async () => {
    const dir = await Cli.tempDir()
    await Fs.rm(dir, { recursive: true })

    const unknown = await Cli.run(cli, ["sync", "--no-such-flag"], envFor(dir))
    const bad = await Cli.run(cli, ["sync", "--budget-share", "2", "--log-format", "text"], envFor(dir))
    const noKey = await Cli.run(cli, ["sync", "--log-format", "text"], {
      PIPELINE_OUT: dir,
      FRESHDESK_BASE_URL: sim.url
    })
    const clearText = await Cli.run(cli, ["sync"], envFor(dir, { FRESHDESK_BASE_URL: "http://example.com" }))

    expect([unknown.code, bad.code, noKey.code, clearText.code]).toEqual([2, 2, 2, 2])
    expect(bad.stderr).toContain('`--budget-share` (PIPELINE_BUDGET_SHARE) is "2"')
    expect(noKey.stderr).toContain("FRESHDESK_API_KEY is not set")
    expect(Cli.logLines(clearText).at(-1)).toMatchObject({ message: "run not started" })
    expect(await Cli.files(dir)).toEqual([])
  })

  it("exits 3 quickly on a refused key without writing a file", async () => {
    const dir = await Cli.tempDir()
    await Fs.rm(dir, { recursive: true })

    const result = await Cli.run(cli, ["sync"], envFor(dir, { FRESHDESK_API_KEY: "wrong-key" }))
    const check = await Cli.run(cli, ["check"], envFor(dir, { FRESHDESK_API_KEY: "wrong-key" }))

    expect(result.code).toBe(3)
    expect(result.millis).toBeLessThan(5000)
    expect(JSON.stringify(Cli.logLines(result))).toContain("Profile Settings")
    expect(check.code).toBe(3)
    expect(
      await Fs.access(dir).then(
        () => true,
        () => false
      )
    ).toBe(false)
  })

  it("checks each stream and exits 1 when one is not readable", async () => {
    const result = await Cli.run(cli, ["check"], envFor(out))
    const report = JSON.parse(result.stdout)

    expect(result.code).toBe(1)
    expect(report.streams.find((s: { stream: string }) => s.stream === "products")).toMatchObject({
      status: "require_feature"
    })
    expect(report.streams.filter((s: { status: string }) => s.status === "ok")).toHaveLength(7)
  })

  it("prints the catalog with the storage of each stream", async () => {
    const result = await Cli.run(cli, ["discover"], {})
    const catalog = JSON.parse(result.stdout)

    expect(result.code).toBe(0)
    expect(catalog.streams.map((s: { name: string }) => s.name)).toHaveLength(8)
    expect(catalog.streams[0]).toMatchObject({ name: "tickets", sync_mode: "incremental", cursor_field: "updated_at" })
    expect(catalog.streams[0].storage.partition_column).toBe("updated_month")
  })

  it("queries the views and exits 1 on an SQL error", async () => {
    const ok = await Cli.run(cli, ["query", "--out", out, "SELECT count(*) AS n FROM agents"], {})
    const missing = await Cli.run(cli, ["query", "--out", out, "SELECT count(*) FROM products"], {})
    const wrong = await Cli.run(cli, ["query", "--out", out, "SELECT nope FROM tickets"], {})

    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/^n\n─+\n\s*10\n\(1 row\)/)
    expect(missing.code).toBe(0)
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain("nope")
  })

  it("verifies a consistent dataset and catches a deleted, an added and a truncated file", async () => {
    const copy = await copyDataset()
    const files = (await Cli.files(Path.join(copy, "tickets"))).map((f) => Path.join(copy, "tickets", f))
    await Fs.rm(files[0]!)
    await Fs.copyFile(files[1]!, Path.join(Path.dirname(files[1]!), "part-stray.parquet"))
    await Fs.truncate(files[2]!, 100)

    const good = await Cli.run(cli, ["verify", "--out", out, "--log-format", "json"], {})
    const bad = await Cli.run(cli, ["verify", "--out", copy, "--log-format", "text"], {})
    await Cli.removeDir(copy)

    expect(good.code).toBe(0)
    expect(JSON.parse(good.stdout)).toMatchObject({ type: "verify_report", ok: true })
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain(`missing file ${Path.relative(copy, files[0]!)}`)
    expect(bad.stdout).toContain("part-stray.parquet is named by no snapshot")
    expect(bad.stdout).toContain(`size of ${Path.relative(copy, files[2]!)} is 100 bytes`)
  })

  it("never writes the API key to a file of the dataset or a log line", async () => {
    const refused = await Cli.run(cli, ["sync"], envFor(out, { FRESHDESK_API_KEY: `${KEY}x` }))
    const text = await Cli.run(cli, ["sync", "--streams", "agents", "--log-format", "text"], envFor(out))
    const names = await Cli.files(out)
    const contents = await Promise.all(names.map((n) => Fs.readFile(Path.join(out, n))))

    expect(synced.code).toBe(0)
    for (const result of [synced, refused, text]) {
      expect(result.stdout).not.toContain(KEY)
      expect(result.stderr).not.toContain(KEY)
    }
    expect(names.length).toBeGreaterThan(10)
    expect(contents.filter((bytes) => bytes.includes(KEY))).toEqual([])
  })
})
