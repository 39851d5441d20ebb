// runs the CLI as a child process, the way a scheduler does: the bundle built by
// build.mjs (as the container image does), a clean environment, stdout and stderr kept
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"

const packageDir = Path.resolve(import.meta.dirname, "../..")

export interface Result {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly millis: number
}

/** builds the bundle into the package (so it finds @duckdb/node-api) and returns its path */
export const build = (name: string): string => {
  const outfile = Path.join(packageDir, ".tmp", `cli-${name}-${process.pid}.js`)
  execFileSync(process.execPath, ["build.mjs", outfile], { cwd: packageDir, stdio: "pipe" })
  return outfile
}

export const removeBuild = (outfile: string) => Fs.rm(outfile, { force: true })

export const tempDir = () => Fs.mkdtemp(Path.join(Os.tmpdir(), "pipeline-e2e-"))

export const removeDir = (dir: string) => Fs.rm(dir, { recursive: true, force: true })

export interface Running {
  readonly child: ChildProcess
  readonly done: Promise<Result>
  readonly stdout: () => string
}

/** starts the CLI with only the given environment (plus PATH and HOME) */
export const start = (
  cli: string,
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  timeoutMs = 60_000
): Running => {
  const started = Date.now()
  const child = spawn(process.execPath, [cli, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stdout = ""
  let stderr = ""
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8")
  })
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8")
  })
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
  const done = new Promise<Result>((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, millis: Date.now() - started })
    })
  })
  return { child, done, stdout: () => stdout }
}

export const run = (cli: string, args: ReadonlyArray<string>, env: Record<string, string>, timeoutMs?: number) =>
  start(cli, args, env, timeoutMs).done

/** the run report: the last line of stdout */
export const report = (result: Result): RunReportJson => {
  const lines = result.stdout.trim().split("\n")
  return JSON.parse(lines.at(-1) ?? "null") as RunReportJson
}

export interface RunReportJson {
  readonly runId: string
  readonly exitCode: number
  readonly streams: ReadonlyArray<{
    readonly stream: string
    readonly status: string
    readonly records: number
    readonly requests: number
    readonly retries: number
    readonly rateLimitWaits: number
    readonly duplicatesDropped: number
    readonly rejects: number
    readonly replacedCharacters: number
    readonly rejectedFile: string | null
    readonly files: number
    readonly commits: number
    readonly verification: string
    readonly error: { readonly reason: string; readonly message: string } | null
  }>
}

/** every JSON log line of stderr, parsed */
export const logLines = (result: Result): ReadonlyArray<Record<string, unknown>> =>
  result.stderr
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>)

/** waits until `check` holds, polling every 20 ms, for at most `timeoutMs` */
export const waitFor = async (check: () => Promise<boolean> | boolean, timeoutMs = 20_000) => {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error("condition not reached in time")
}

/** every file below `dir`, relative */
export const files = async (dir: string): Promise<ReadonlyArray<string>> => {
  try {
    const entries = await Fs.readdir(dir, { recursive: true, withFileTypes: true })
    return entries.filter((e) => e.isFile()).map((e) => Path.relative(dir, Path.join(e.parentPath, e.name)))
  } catch {
    return []
  }
}
