/**
 * The CPU-bound and memory cases, measured in the same alternating rounds against
 * simulators with no latency and no rate limit: a sync of 60,000 tickets (the other
 * streams at the simulator's default sizes), the floor client replaying the requests
 * that very sync made, and a sync of 15,000 tickets for the memory comparison.
 *
 * @since 0.1.0
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import * as Floor from "./Floor.ts"
import * as Proc from "./Proc.ts"
import * as RequestLog from "./RequestLog.ts"
import type * as SimulatorProcess from "./SimulatorProcess.ts"
import * as Stats from "./Stats.ts"
import * as SyncProcess from "./SyncProcess.ts"

/**
 * One round: the large sync, its floor, and the small sync (when measured).
 *
 * @since 0.1.0
 * @category models
 */
export interface Round {
  readonly sync: SyncProcess.SyncRun
  readonly demand: RequestLog.Demand
  readonly floor: Floor.FloorRun | null
  readonly small: SyncProcess.SyncRun | null
  /** CPU time the simulator spent serving the sync, and the floor */
  readonly serverCpuMillis: { readonly sync: number; readonly floor: number | null }
}

/**
 * What the rounds need.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly runs: number
  readonly bundle: string
  readonly runDir: string
  /** the floor client's module, when the CPU case is measured */
  readonly floorScript: string | null
  /** the simulator of the small sync, when the memory case is measured */
  readonly small: SimulatorProcess.SimulatorProcess | null
}

/**
 * The simulator options of the CPU and memory cases: no latency, no limit.
 *
 * @since 0.1.0
 * @category constants
 */
export const simulatorOptions = (seed: number, tickets: number): SimulatorProcess.SimulatorOptions => ({
  seed,
  plan: "unlimited",
  counts: { tickets }
})

const syncOn = (sim: SimulatorProcess.SimulatorProcess, options: Options, label: string) =>
  SyncProcess.run({
    bundle: options.bundle,
    baseUrl: sim.url,
    apiKey: sim.apiKey,
    logFile: join(options.runDir, `${label}.log`)
  })

const cpuOf = (pid: number) => {
  const reading = Proc.read(pid)
  return reading === undefined ? 0 : reading.userMillis + reading.systemMillis
}

// runs `work` and measures the CPU time the simulator spent meanwhile
const serving = async <A>(sim: SimulatorProcess.SimulatorProcess, work: () => Promise<A>) => {
  const before = cpuOf(sim.pid)
  const value = await work()
  return { value, serverCpuMillis: cpuOf(sim.pid) - before }
}

const round = async (large: SimulatorProcess.SimulatorProcess, options: Options, index: number): Promise<Round> => {
  await large.reset()
  const sync = await serving(large, () => syncOn(large, options, `cpu-sync-${index}`))
  const log = await large.takeLog()
  writeFileSync(join(options.runDir, `cpu-requests-${index}.json`), JSON.stringify(log))
  const replay = { baseUrl: large.url, apiKey: large.apiKey, replay: RequestLog.replayOf(log) }
  const script = options.floorScript
  const floor =
    script === null ? null : await serving(large, () => Floor.run(script, replay, options.runDir, `cpu-${index}`))
  await options.small?.reset()
  const small = options.small === null ? null : await syncOn(options.small, options, `memory-small-${index}`)
  return {
    sync: sync.value,
    demand: RequestLog.demandOf(log),
    floor: floor?.value ?? null,
    small,
    serverCpuMillis: { sync: sync.serverCpuMillis, floor: floor?.serverCpuMillis ?? null }
  }
}

const describeRound = (r: Round, index: number): string =>
  [
    `round ${index}: sync ${Stats.seconds(r.sync.elapsedMillis)} (${Stats.megabytes(r.sync.peakRssBytes)})`,
    r.floor === null ? "" : `floor ${Stats.seconds(r.floor.elapsedMillis)}`,
    r.small === null
      ? ""
      : `small sync ${Stats.seconds(r.small.elapsedMillis)} (${Stats.megabytes(r.small.peakRssBytes)})`
  ]
    .filter((part) => part !== "")
    .join(", ")

/**
 * Runs the alternating rounds (large sync, floor, small sync) on a large simulator.
 *
 * @since 0.1.0
 * @category running
 */
export const rounds = async (
  large: SimulatorProcess.SimulatorProcess,
  options: Options,
  log: (line: string) => void
): Promise<ReadonlyArray<Round>> => {
  const done: Array<Round> = []
  for (let i = 1; i <= options.runs; i++) {
    const r = await round(large, options, i)
    log(describeRound(r, i))
    done.push(r)
  }
  return done
}
