// helpers for tests against the simulator over a real loopback socket
import { Simulator } from "@landed/freshdesk-simulator"
import { Chunk, Effect, Redacted, Stream } from "effect"
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

/** Reads a stream to its end. */
export const sync = (stream: SyncStream, input: Partial<ReadInput> = {}) =>
  Effect.map(Stream.runCollect(stream.read({ cursor: null, startDate: null, ...input })), (chunk): Synced => {
    const batches = Chunk.toReadonlyArray(chunk)
    return { batches, rows: batches.flatMap((b) => b.rows), cursor: batches.at(-1)?.cursor ?? input.cursor ?? null }
  })

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

/** A clock for the simulator that moves one second on every reading, so edits get distinct times. */
export const tickingClock = (start = Date.now()) => {
  let ticks = 0
  return () => new Date(Math.floor(start / 1000) * 1000 + 1000 * ticks++)
}
