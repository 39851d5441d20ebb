/**
 * The rate-limit and latency cases: a sync against a simulator enforcing a plan's limits
 * (and, for latency, answering each request after 500 ms), compared with the time the
 * limits allow for what the sync actually requested, at a steady pace. 429s come from
 * the simulator's statistics.
 *
 * @since 0.1.0
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import * as RequestLog from "./RequestLog.ts"
import type * as Settings from "./Settings.ts"
import type * as SimulatorProcess from "./SimulatorProcess.ts"
import * as Stats from "./Stats.ts"
import * as SyncProcess from "./SyncProcess.ts"

/**
 * One run of a limited case.
 *
 * @since 0.1.0
 * @category models
 */
export interface LimitRun {
  readonly sync: SyncProcess.SyncRun
  readonly demand: RequestLog.Demand
  readonly stats: SimulatorProcess.SimulatorStats
  /** the time the limits allow for the demand at a steady pace, and the limit that binds */
  readonly pace: ReturnType<typeof RequestLog.steadyPace>
  /** the sync's elapsed time over the steady-pace time */
  readonly ratio: number
}

/**
 * What the runs need.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly runs: number
  readonly bundle: string
  readonly runDir: string
  readonly windowMs: number
}

/**
 * The simulator options of a limited case.
 *
 * @since 0.1.0
 * @category constants
 */
export const simulatorOptions = (
  spec: Settings.LimitSpec,
  seed: number,
  windowMs: number,
  counts: { readonly tickets: number; readonly contacts: number }
): SimulatorProcess.SimulatorOptions => ({
  seed,
  plan: spec.plan,
  windowMs,
  latency: spec.latencyMs,
  counts
})

const once = async (
  sim: SimulatorProcess.SimulatorProcess,
  spec: Settings.LimitSpec,
  options: Options,
  index: number
): Promise<LimitRun> => {
  await sim.reset()
  const sync = await SyncProcess.run({
    bundle: options.bundle,
    baseUrl: sim.url,
    apiKey: sim.apiKey,
    plan: spec.plan,
    logFile: join(options.runDir, `${spec.name}-sync-${index}.log`),
    ...(options.windowMs === 60_000 ? {} : { windowMs: options.windowMs })
  })
  const requests = await sim.takeLog()
  writeFileSync(join(options.runDir, `${spec.name}-requests-${index}.json`), JSON.stringify(requests))
  const demand = RequestLog.demandOf(requests)
  const pace = RequestLog.steadyPace(demand, spec.limits, options.windowMs)
  return { sync, demand, stats: await sim.stats(), pace, ratio: sync.elapsedMillis / pace.millis }
}

/**
 * Runs a limited case `options.runs` times on one simulator, resetting its windows and
 * counters before each run.
 *
 * @since 0.1.0
 * @category running
 */
export const run = async (
  sim: SimulatorProcess.SimulatorProcess,
  spec: Settings.LimitSpec,
  options: Options,
  log: (line: string) => void
): Promise<ReadonlyArray<LimitRun>> => {
  const done: Array<LimitRun> = []
  for (let i = 1; i <= options.runs; i++) {
    const r = await once(sim, spec, options, i)
    log(
      `${spec.name} run ${i}: ${Stats.seconds(r.sync.elapsedMillis)} against ${Stats.seconds(r.pace.millis)} ` +
        `(${r.pace.binding}), ratio ${r.ratio.toFixed(2)}, 429s ${r.stats.rateLimited}`
    )
    done.push(r)
  }
  return done
}
