// helpers for tests against the simulator over a real loopback socket
import { Simulator } from "@landed/freshdesk-simulator"
import { Chunk, Effect, type Layer, Redacted, Stream } from "effect"
import * as FreshdeskClient from "../../src/FreshdeskClient.ts"
import type { Batch, ReadInput, SyncStream } from "../../src/SyncStream.ts"

export type Sim = Awaited<ReturnType<typeof Simulator.start>>

/** A simulator for the test's scope, stopped when the scope closes. */
export const simulator = (options: Parameters<typeof Simulator.start>[0] = {}) =>
  Effect.acquireRelease(
    Effect.promise(() => Simulator.start({ windowMs: 1000, ...options })),
    (sim) => Effect.promise(() => sim.stop())
  )

/** The client layer against a simulator, with a one-second rate-limit window. */
export const client = (sim: Sim, options: Partial<FreshdeskClient.Options> = {}) =>
  FreshdeskClient.layer({
    config: { baseUrl: sim.url, apiKey: Redacted.make(sim.apiKey) },
    windowMs: 1000,
    ...options
  })

export interface Synced {
  readonly batches: ReadonlyArray<Batch>
  readonly rows: ReadonlyArray<Readonly<Record<string, unknown>>>
  readonly cursor: unknown
}

const synced = (chunk: Chunk.Chunk<Batch>, saved: unknown): Synced => {
  const batches = Chunk.toReadonlyArray(chunk)
  const cursor = batches.at(-1)?.cursor ?? saved ?? null
  return { batches, rows: batches.flatMap((b) => b.rows), cursor }
}

/** Reads a stream to its end. */
export const sync = (stream: SyncStream, input: Partial<ReadInput> = {}) => {
  const read = stream.read({ cursor: null, startDate: null, ...input })
  return Effect.map(Stream.runCollect(read), (chunk) => synced(chunk, input.cursor))
}

/** {@link sync} with a client layer provided. */
export const syncWith =
  <E>(layer: Layer.Layer<FreshdeskClient.FreshdeskClient, E>) =>
  (stream: SyncStream, input: Partial<ReadInput> = {}) =>
    Effect.provide(sync(stream, input), layer)

/** The simulator's true records of a stream, with a record type. */
export const records = <A>(sim: Sim, stream: Parameters<Sim["data"]>[0]) =>
  sim.data(stream) as unknown as ReadonlyArray<A>

/** Records neither deleted nor spam nor blocked. */
interface Flags {
  readonly deleted?: boolean
  readonly spam?: boolean
  readonly blocked?: boolean
}

export const live = <A extends Flags>(records: ReadonlyArray<A>) =>
  records.filter((r) => !r.deleted && !r.spam && !r.blocked)

/** The latest row per id, by `updated_at`, like the current view. */
export const current = (rows: ReadonlyArray<Readonly<Record<string, unknown>>>) => {
  const latest = new Map<string, Readonly<Record<string, unknown>>>()
  for (const row of rows) {
    const id = String(row.id)
    const seen = latest.get(id)
    if (seen === undefined || String(row.updated_at) >= String(seen.updated_at)) latest.set(id, row)
  }
  return latest
}

/** A simulator clock that moves a second per reading, so edits get distinct times. */
export const tickingClock = (start = Date.now()) => {
  let ticks = 0
  return () => new Date(Math.floor(start / 1000) * 1000 + 1000 * ticks++)
}
