/**
 * Live progress on a terminal: one line per stream (status, records, pages, requests,
 * retries, rate-limit waits, elapsed), redrawn once a second from the run's counters.
 * `cli-progress` draws it on stderr; it is wrapped in a scoped resource so the lines are
 * stopped (and the cursor restored) however the run ends. Off when stderr is not a TTY.
 *
 * @since 0.1.0
 */
import cliProgress from "cli-progress"
import { Effect, Schedule } from "effect"
import type { Scope } from "effect"
import type * as RunReport from "./RunReport.ts"

/**
 * What the reporter reads on each redraw.
 *
 * @since 0.1.0
 * @category models
 */
export interface Source {
  readonly streams: ReadonlyArray<string>
  readonly counters: ReadonlyMap<string, RunReport.Counters>
  readonly status: (stream: string) => string
  readonly http: Effect.Effect<ReadonlyMap<string, RunReport.HttpCounters>>
}

const FORMAT =
  "{stream} {status} | {records} records | {pages} pages | {requests} requests | {retries} retries | {waits} rate-limit waits | {elapsed}"

const elapsed = (counters: RunReport.Counters | undefined, now: number) => {
  if (counters?.startedAt === null || counters === undefined) return "-"
  const seconds = ((counters.finishedAt ?? now) - counters.startedAt) / 1000
  return seconds < 60 ? `${seconds.toFixed(1)}s` : `${Math.floor(seconds / 60)}m${Math.round(seconds % 60)}s`
}

const width = (names: ReadonlyArray<string>) => Math.max(...names.map((n) => n.length))

const payload = (source: Source, stream: string, http: ReadonlyMap<string, RunReport.HttpCounters>, now: number) => {
  const counters = source.counters.get(stream)
  const h = http.get(stream)
  return {
    stream: stream.padEnd(width(source.streams)),
    status: source.status(stream).padEnd(11),
    records: String(counters?.records ?? 0).padStart(8),
    pages: String(Math.max(h?.pages ?? 0, counters?.pages ?? 0)).padStart(5),
    requests: String(h?.requests ?? 0).padStart(5),
    retries: String(h?.retries ?? 0),
    waits: String(h?.rateLimitWaits ?? 0),
    elapsed: elapsed(counters, now)
  }
}

/**
 * Shows progress for the life of the scope when `enabled` (stderr is a terminal and the
 * log format is text).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (source: Source, enabled: boolean): Effect.Effect<void, never, Scope.Scope> => {
  if (!enabled) return Effect.void
  return Effect.gen(function* () {
    const multi = yield* Effect.acquireRelease(
      Effect.sync(
        () =>
          new cliProgress.MultiBar({
            format: FORMAT,
            hideCursor: true,
            fps: 2,
            stream: process.stderr,
            noTTYOutput: false
          })
      ),
      (bars) => Effect.sync(() => bars.stop())
    )
    const bars = new Map(source.streams.map((s) => [s, multi.create(1, 0, payload(source, s, new Map(), Date.now()))]))
    const redraw = Effect.gen(function* () {
      const http = yield* source.http
      const now = Date.now()
      for (const [stream, bar] of bars) bar.update(0, payload(source, stream, http, now))
    })
    yield* Effect.addFinalizer(() => redraw)
    yield* Effect.forkScoped(Effect.repeat(redraw, Schedule.spaced("1 second")))
  })
}
