// the container image without Docker: the bundle built as the Dockerfile builds it, placed
// in a folder holding nothing but it, package.json and the DuckDB binding (what `pnpm
// deploy --prod` leaves), then check, sync and verify run from it with plain node
import { execFileSync } from "node:child_process"
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Simulator } from "@landed/freshdesk-simulator"
import * as Cli from "./support/Cli.ts"

const packageDir = Path.resolve(import.meta.dirname, "..")
let app = ""
let sim: Simulator.SimulatorHandle

beforeAll(async () => {
  execFileSync(process.execPath, ["build.mjs"], { cwd: packageDir, stdio: "pipe" })
  app = await Cli.tempDir()
  await Fs.mkdir(Path.join(app, "dist"))
  await Fs.mkdir(Path.join(app, "node_modules", "@duckdb"), { recursive: true })
  await Fs.copyFile(Path.join(packageDir, "dist", "cli.js"), Path.join(app, "dist", "cli.js"))
  await Fs.copyFile(Path.join(packageDir, "package.json"), Path.join(app, "package.json"))
  const duckdb = await Fs.realpath(Path.join(packageDir, "node_modules", "@duckdb", "node-api"))
  await Fs.symlink(duckdb, Path.join(app, "node_modules", "@duckdb", "node-api"))
  sim = await Simulator.start({ seed: 41, windowMs: 1000 })
})

afterAll(async () => {
  await sim.stop()
  await Cli.removeDir(app)
})

describe("deploy", () => {
  it("bundles everything but DuckDB into an executable dist/cli.js", async () => {
    const bundle = await Fs.readFile(Path.join(app, "dist", "cli.js"), "utf8")
    const manifest = JSON.parse(await Fs.readFile(Path.join(packageDir, "package.json"), "utf8"))

    expect(bundle.startsWith("#!/usr/bin/env node\n")).toBe(true)
    expect(manifest.bin).toEqual({ "landed-freshdesk": "dist/cli.js" })
    expect(bundle).not.toMatch(/from "@landed\/|from "effect"/)
  })

  it("runs check, sync and verify from the bundle with nothing but node", async () => {
    const cli = Path.join(app, "dist", "cli.js")
    const data = Path.join(app, "data")
    const env = {
      FRESHDESK_API_KEY: sim.apiKey,
      FRESHDESK_BASE_URL: sim.url,
      PIPELINE_OUT: data,
      PIPELINE_LOG_FORMAT: "json",
      PIPELINE_RATE_WINDOW_MS: "1000",
      NODE_ENV: "production"
    }

    const check = await Cli.run(cli, ["check"], env)
    const sync = await Cli.run(cli, ["sync"], env)
    const verify = await Cli.run(cli, ["verify"], env)

    expect(check.code).toBe(0)
    expect(sync.code).toBe(0)
    expect(Cli.report(sync).streams.map((s) => s.status)).toEqual(Array(8).fill("committed"))
    expect(verify.code).toBe(0)
    expect(JSON.parse(verify.stdout).ok).toBe(true)
  })
})
