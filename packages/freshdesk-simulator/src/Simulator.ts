/**
 * The simulator's entry point: generate an account, serve it on a loopback port
 * and hand back a handle to inspect and steer it.
 *
 * @example
 * const sim = await Simulator.start({ counts: { tickets: 5000 }, plan: "growth", windowMs: 1000 })
 * // point the connector at sim.url with sim.apiKey, then
 * sim.stats().rateLimited
 * await sim.stop()
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, type Scope } from "effect"
import * as Api from "./Api.ts"
import type { Controls } from "./Control.ts"
import { FaultPicker } from "./Faults.ts"
import { generate } from "./Generator.ts"
import * as Mutations from "./Mutations.ts"
import {
  type Endpoint,
  mergeRuntime,
  resolveRuntime,
  type RuntimeOptions,
  type SimulatorOptions,
  type StreamName,
  streamNames
} from "./Options.ts"
import { RateLimiter } from "./RateLimiter.ts"
import type { Rec } from "./Records.ts"
import { PagingMutator } from "./Scenarios.ts"
import * as Server from "./Server.ts"
import { type SimulatorStats, StatsCollector } from "./Stats.ts"
import { derive } from "./internal/prng.ts"
import type { State } from "./internal/state.ts"

export type { SimulatorOptions, RuntimeOptions, StreamName, Endpoint, SimulatorStats, Rec }

/**
 * A running simulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface SimulatorHandle {
  /** origin to use as the API base, e.g. `http://127.0.0.1:41234` (paths are `/api/v2/...`) */
  readonly url: string
  readonly port: number
  readonly apiKey: string
  /** request counters of the API routes since start or the last reset */
  readonly stats: () => SimulatorStats
  readonly resetStats: () => void
  /** closes every rate-limit window, as if a long pause had passed */
  readonly resetRateLimits: () => void
  /** the true current records, deleted/blocked/spam ones included with their flags */
  readonly data: (stream: StreamName) => ReadonlyArray<Rec>
  /** edits a record (stamping `updated_at` with `now` unless the patch sets it) */
  readonly update: (stream: StreamName, id: number, patch?: Rec) => Rec
  /** creates a record created and updated at `now` */
  readonly create: (stream: StreamName, partial?: Rec) => Rec
  /** deletes a record (soft for tickets and contacts) */
  readonly remove: (stream: StreamName, id: number) => void
  /** changes runtime options: plan, window, latency, faults, 403s, scenarios, `now` */
  readonly configure: (options: RuntimeOptions) => void
  readonly stop: () => Promise<void>
}

// a key-like token derived from the seed, so a seed names one account and its key
const keyOf = (seed: number): string => {
  const part = (label: string) => derive(seed, label).toString(36)
  return `sim${part("key")}${part("key2")}`
}

const makeState = (options: SimulatorOptions): State => {
  const seed = options.seed ?? 1
  const runtime = resolveRuntime(options)
  const genOptions = { seed, now: runtime.now().getTime() }
  const account = generate({ ...options, ...genOptions })
  return {
    account,
    apiKey: options.apiKey ?? keyOf(seed),
    runtime,
    url: "",
    limiter: new RateLimiter(runtime.limits, runtime.windowMs),
    faults: new FaultPicker(seed, runtime.faults),
    stats: new StatsCollector(),
    mutator: new PagingMutator(runtime.editDuringPaging)
  }
}

const visibleCounts = (state: State): Record<string, number> =>
  Object.fromEntries(streamNames.map((s) => [s, state.account.tables[s].size]))

const controlsOf = (state: State): Controls => ({
  info: () => ({
    url: state.url,
    apiKey: state.apiKey,
    endpoints: Api.endpoints,
    counts: visibleCounts(state)
  }),
  configure: (options) => {
    state.runtime = mergeRuntime(state.runtime, options)
    state.limiter.configure(state.runtime.limits, state.runtime.windowMs)
    if (options.faults !== undefined) state.faults.configure(state.runtime.faults)
    if (options.editDuringPaging !== undefined) {
      state.mutator.configure(state.runtime.editDuringPaging)
    }
  },
  resetStats: () => state.stats.reset(),
  resetRateLimits: () => state.limiter.reset()
})

const handleOf = (state: State, controls: Controls, server: Server.Listening): SimulatorHandle => {
  const now = () => state.runtime.now().getTime()
  const stream = (s: string) => Mutations.assertStream(s)
  return {
    url: state.url,
    port: server.port,
    apiKey: state.apiKey,
    stats: () => state.stats.snapshot(),
    resetStats: controls.resetStats,
    resetRateLimits: controls.resetRateLimits,
    data: (s) => Mutations.dataOf(state.account, stream(s)),
    update: (s, id, patch = {}) => Mutations.update(state.account, stream(s), id, patch, now()),
    create: (s, partial = {}) => Mutations.create(state.account, stream(s), partial, now()),
    remove: (s, id) => Mutations.remove(state.account, stream(s), id, now()),
    configure: controls.configure,
    stop: server.close
  }
}

/**
 * Generates the account and starts serving it on 127.0.0.1.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = async (options: SimulatorOptions = {}): Promise<SimulatorHandle> => {
  const state = makeState(options)
  const controls = controlsOf(state)
  const server = await Server.listen(state, controls, options.port ?? 0)
  state.url = `http://127.0.0.1:${server.port}`
  return handleOf(state, controls, server)
}

/**
 * A simulator started for the life of a scope and stopped when the scope
 * closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const scoped = (options: SimulatorOptions = {}): Effect.Effect<SimulatorHandle, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(() => start(options)),
    (handle) => Effect.promise(() => handle.stop())
  )

/**
 * The running simulator as an Effect service.
 *
 * @since 0.1.0
 * @category tags
 */
export class Handle extends Context.Tag("@landed/freshdesk-simulator/Handle")<Handle, SimulatorHandle>() {}

/**
 * A layer that starts a simulator and stops it when the layer is released.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: SimulatorOptions = {}): Layer.Layer<Handle> => Layer.scoped(Handle, scoped(options))
