/**
 * Where the time of the CPU-bound sync goes: one more sync of the CPU case under
 * `node --cpu-prof`, with `internal/profileHooks.ts` timing every DuckDB statement and
 * sampling memory. Main-thread samples are split by `Profile.attribute`; the samples in
 * which the main thread idles are split by what DuckDB was doing meanwhile (a COPY to
 * Parquet, a verifying read, opening a session) or, when it was doing nothing, counted as
 * waiting for the simulator, the network or the disk.
 *
 * @since 0.1.0
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { toModule } from "./internal/transpile.ts"
import * as Profile from "./Profile.ts"
import type * as SimulatorProcess from "./SimulatorProcess.ts"
import * as SyncProcess from "./SyncProcess.ts"

type StatementKind = "copy" | "verify" | "other"

interface Hooks {
  readonly statements: ReadonlyArray<{ kind: StatementKind; start: number; end: number }>
  readonly peak: {
    readonly rss: number
    readonly heapUsed: number
    readonly heapTotal: number
    readonly external: number
    readonly arrayBuffers: number
    readonly duringRssPeak: string
  }
}

/**
 * The parts of the profiled sync's wall time.
 *
 * @since 0.1.0
 * @category models
 */
export type WallPart =
  | Exclude<Profile.Category, "idle">
  | "parquetNative"
  | "verificationNative"
  | "duckdbSession"
  | "waiting"

/**
 * What the profiled run found.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProfileOutcome {
  readonly sync: SyncProcess.SyncRun
  readonly profileFile: string
  /** main-thread CPU time by category, milliseconds (idle left out) */
  readonly cpu: Readonly<Record<Exclude<Profile.Category, "idle">, number>>
  /** the profile's whole span by part, milliseconds */
  readonly wall: Readonly<Record<WallPart, number>>
  /** wall time during which DuckDB ran at least one statement of a kind, milliseconds */
  readonly duckdb: Readonly<Record<StatementKind, number>> & { readonly statements: number }
  readonly memory: Hooks["peak"]
  readonly topFrames: Profile.Attribution["topFrames"]
}

/**
 * Wall time covered by at least one of some intervals.
 *
 * @since 0.1.0
 * @category computing
 */
export const unionMillis = (intervals: ReadonlyArray<{ start: number; end: number }>): number => {
  const sorted = [...intervals].sort((a, b) => a.start - b.start)
  let total = 0
  let end = Number.NEGATIVE_INFINITY
  for (const i of sorted) {
    if (i.end <= end) continue
    total += i.end - Math.max(i.start, end)
    end = i.end
  }
  return total / 1000
}

const activeKind = (statements: Hooks["statements"], at: number): StatementKind | undefined => {
  let found: StatementKind | undefined
  for (const s of statements) {
    if (s.start <= at && at < s.end) {
      if (s.kind === "copy") return "copy"
      found = found === "verify" ? found : s.kind
    }
  }
  return found
}

const idlePart: Readonly<Record<StatementKind, WallPart>> = {
  copy: "parquetNative",
  verify: "verificationNative",
  other: "duckdbSession"
}

/**
 * Splits a profile's span into parts, idle samples by the DuckDB statement running then.
 *
 * @since 0.1.0
 * @category computing
 */
export const wallOf = (attribution: Profile.Attribution, statements: Hooks["statements"]) => {
  const wall = {} as Record<WallPart, number>
  for (const sample of attribution.timeline) {
    const kind = sample.category === "idle" ? activeKind(statements, sample.at) : undefined
    const part: WallPart =
      sample.category !== "idle" ? sample.category : kind === undefined ? "waiting" : idlePart[kind]
    wall[part] = (wall[part] ?? 0) + sample.millis
  }
  return wall
}

const mainThreadProfile = (dir: string): string => {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread
  const file = readdirSync(dir).find((name) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(name))
  if (file === undefined) throw new Error(`no main-thread CPU profile in ${dir}`)
  return join(dir, file)
}

const withoutIdle = (byCategory: Profile.Attribution["byCategory"]) => {
  const { idle: _idle, ...cpu } = byCategory
  return cpu
}

/**
 * Runs the profiled sync and attributes its time.
 *
 * @since 0.1.0
 * @category running
 */
export const run = async (
  sim: SimulatorProcess.SimulatorProcess,
  options: { readonly bundle: string; readonly runDir: string; readonly cacheDir: string; readonly srcHooks: string }
): Promise<ProfileOutcome> => {
  const hooks = toModule(options.srcHooks, options.cacheDir)
  const profileDir = join(options.runDir, "profile")
  const hooksFile = join(options.runDir, "profile-hooks.json")
  await sim.reset()
  const sync = await SyncProcess.run({
    bundle: options.bundle,
    baseUrl: sim.url,
    apiKey: sim.apiKey,
    logFile: join(options.runDir, "profile-sync.log"),
    nodeArgs: ["--cpu-prof", "--cpu-prof-dir", profileDir, "--import", pathToFileURL(hooks).href],
    env: { BENCH_HOOKS_OUT: hooksFile }
  })
  const profileFile = mainThreadProfile(profileDir)
  const profile = JSON.parse(readFileSync(profileFile, "utf8")) as Profile.CpuProfile
  const seen = JSON.parse(readFileSync(hooksFile, "utf8")) as Hooks
  const locate = Profile.moduleLocator(readFileSync(options.bundle, "utf8"))
  const bundleUrl = pathToFileURL(options.bundle).href
  const attribution = Profile.attribute(profile, (frame) => Profile.sourceOf(frame, bundleUrl, locate))
  const ofKind = (kind: StatementKind) => unionMillis(seen.statements.filter((s) => s.kind === kind))
  return {
    sync,
    profileFile,
    cpu: withoutIdle(attribution.byCategory),
    wall: wallOf(attribution, seen.statements),
    duckdb: {
      copy: ofKind("copy"),
      verify: ofKind("verify"),
      other: ofKind("other"),
      statements: seen.statements.length
    },
    memory: seen.peak,
    topFrames: attribution.topFrames
  }
}
