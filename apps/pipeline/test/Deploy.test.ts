// the container image without Docker: the bundle built as the Dockerfile builds it, placed
// in a folder holding nothing but it, package.json and the DuckDB binding (what `pnpm
// deploy --prod` leaves), then check, sync and verify run from it with plain node
import { execFileSync, spawn } from "node:child_process"
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Simulator } from "@landed/freshdesk-simulator"
import * as Cli from "./support/Cli.ts"

const streams = ["tickets", "contacts", "companies", "agents", "groups", "roles", "products", "time_entries"]

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

// the Airflow DAG without Airflow: the file compiles, and its own task code
// (`run_stream`, `outcome`) runs the bundle for all eight streams at once on one dataset,
// as the scheduler would, each task in its own process
describe("airflow dag", () => {
  const dagDir = Path.resolve(packageDir, "../../deploy/airflow")
  const python = (code: string, env: Record<string, string>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn("python3", ["-c", code], {
        cwd: dagDir,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
        stdio: ["ignore", "pipe", "pipe"]
      })
      let stdout = ""
      let stderr = ""
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8")
      })
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8")
      })
      child.on("close", (code) => resolve({ code, stdout, stderr }))
    })

  it("compiles and maps the spec's exit codes to task states", async () => {
    execFileSync("python3", ["-m", "py_compile", Path.join(dagDir, "landed_freshdesk.py")], { stdio: "pipe" })
    const codes = [0, 1, 2, 3, 4, 5, 143]
    const mapped = await python(
      `import json, landed_freshdesk as d; print(json.dumps([d.outcome(c) for c in ${JSON.stringify(codes)}]))`,
      {}
    )

    expect(mapped.code).toBe(0)
    expect(JSON.parse(mapped.stdout)).toEqual([
      "success",
      "fail",
      "fail_fast",
      "fail_fast",
      "warning",
      "retry",
      "retry"
    ])
  })

  it("runs the eight tasks' exact commands side by side on one dataset", async () => {
    const data = Path.join(app, "airflow-data")
    const env = {
      LANDED_FRESHDESK_CLI: `${process.execPath} ${Path.join(app, "dist", "cli.js")}`,
      LANDED_FRESHDESK_DATASET: data,
      PIPELINE_RATE_WINDOW_MS: "1000"
    }
    const printed = await python("import landed_freshdesk as d; d._print_commands()", env)
    const tasks = printed.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { task: string; command: Array<string>; env: Record<string, string> })

    const runs = await Promise.all(
      tasks.map(({ task }) =>
        python(
          [
            "import json, landed_freshdesk as d",
            `code, report = d.run_stream(${JSON.stringify(task.replace(/^sync_/, ""))}, ${JSON.stringify(sim.apiKey)}, "", ${JSON.stringify(sim.url)})`,
            "print(json.dumps({'code': code, 'state': d.outcome(code), 'report': report}))"
          ].join("\n"),
          env
        )
      )
    )
    const verify = await Cli.run(Path.join(app, "dist", "cli.js"), ["verify", "--out", data], {})

    expect(tasks.map((t) => t.task)).toEqual(streams.map((s) => `sync_${s}`))
    expect(tasks[0]!.command).toEqual([
      process.execPath,
      Path.join(app, "dist", "cli.js"),
      "sync",
      "--streams",
      "tickets",
      "--out",
      data
    ])
    expect(JSON.stringify(tasks)).not.toContain(sim.apiKey)
    const outcomes = runs.map((run) => JSON.parse(run.stdout.trim().split("\n").at(-1)!))
    expect(outcomes.map((o) => [o.code, o.state])).toEqual(Array(8).fill([0, "success"]))
    expect(
      outcomes.map((o) => o.report.streams.map((s: { stream: string; status: string }) => [s.stream, s.status]))
    ).toEqual(streams.map((s) => [[s, "committed"]]))
    expect(verify.code).toBe(0)
  })
})
