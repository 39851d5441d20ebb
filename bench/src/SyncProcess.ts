/**
 * One `landed-freshdesk sync` as a child process of the CLI bundle, into a fresh
 * temporary `--out`, with JSON logs to a file and the run report read from the last line
 * of stdout. The dataset is removed afterwards; the log stays for diagnosis.
 *
 * @since 0.1.0
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { BenchError } from "./BenchError.ts"
import * as Child from "./Child.ts"

/**
 * How to run a sync.
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  /** the CLI bundle (`dist/cli.js`) */
  readonly bundle: string
  readonly baseUrl: string
  readonly apiKey: string
  /** `--plan`, when the run seeds its budget with a plan */
  readonly plan?: string
  /** the simulator's window, when shorter than Freshdesk's minute */
  readonly windowMs?: number
  /** node flags before the bundle (`--cpu-prof`, `--import`) */
  readonly nodeArgs?: ReadonlyArray<string>
  /** where the sync's stderr (JSON logs) goes */
  readonly logFile: string
  /** more environment variables for the child */
  readonly env?: Readonly<Record<string, string>>
}

/**
 * A stream's line of the run report, as kept by the bench.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamLine {
  readonly stream: string
  readonly status: string
  readonly records: number
  readonly pages: number
  readonly requests: number
  readonly credits: number
  readonly retries: number
  readonly rateLimitWaits: number
  readonly rateLimitWaitSeconds: number
  readonly commits: number
  readonly seconds: number
}

/**
 * What one sync did and cost.
 *
 * @since 0.1.0
 * @category models
 */
export interface SyncRun {
  readonly exitCode: number | null
  /** wall time of the process, spawn to exit */
  readonly elapsedMillis: number
  readonly peakRssBytes: number
  readonly cpuMillis: number
  /** from the report's `startedAt` to its `finishedAt` */
  readonly reportMillis: number
  readonly records: number
  readonly streams: ReadonlyArray<StreamLine>
}

const keep = (s: Readonly<Record<string, unknown>>): StreamLine => ({
  stream: String(s.stream),
  status: String(s.status),
  records: Number(s.records),
  pages: Number(s.pages),
  requests: Number(s.requests),
  credits: Number(s.credits),
  retries: Number(s.retries),
  rateLimitWaits: Number(s.rateLimitWaits),
  rateLimitWaitSeconds: Number(s.rateLimitWaitSeconds),
  commits: Number(s.commits),
  seconds: Number(s.seconds)
})

const reportOf = (stdout: string, logFile: string) => {
  const last = stdout.trim().split("\n").at(-1) ?? ""
  try {
    return JSON.parse(last) as {
      startedAt: string
      finishedAt: string
      totals: { records: number }
      streams: ReadonlyArray<Record<string, unknown>>
    }
  } catch {
    throw new BenchError("SyncFailed", `the sync printed no run report; its log is ${logFile}`)
  }
}

const environment = (settings: Settings, out: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  FRESHDESK_API_KEY: settings.apiKey,
  FRESHDESK_BASE_URL: settings.baseUrl,
  PIPELINE_LOG_FORMAT: "json",
  PIPELINE_OUT: out,
  ...(settings.plan === undefined ? {} : { PIPELINE_PLAN: settings.plan }),
  ...(settings.windowMs === undefined ? {} : { PIPELINE_RATE_WINDOW_MS: String(settings.windowMs) }),
  ...settings.env
})

/**
 * Runs one sync of every stream into a fresh temporary folder and measures it.
 *
 * @since 0.1.0
 * @category running
 */
export const run = async (settings: Settings): Promise<SyncRun> => {
  const out = mkdtempSync(join(tmpdir(), "landed-bench-"))
  try {
    const args = [...(settings.nodeArgs ?? []), settings.bundle, "sync", "--out", out]
    const child = await Child.run(process.execPath, args, {
      env: environment(settings, out),
      stderrFile: settings.logFile
    })
    const report = reportOf(child.stdout, settings.logFile)
    return {
      exitCode: child.exitCode,
      elapsedMillis: child.elapsedMillis,
      peakRssBytes: child.reading.peakRssBytes,
      cpuMillis: child.reading.userMillis + child.reading.systemMillis,
      reportMillis: Date.parse(report.finishedAt) - Date.parse(report.startedAt),
      records: report.totals.records,
      streams: report.streams.map(keep)
    }
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}
