/**
 * A `sync` run: the selected streams run concurrently, each under its own lock and with
 * its own checkpoints, all drawing on one Freshdesk client (one rate budget). A stream
 * that fails does not stop the others. A stop request (SIGTERM) ends every stream after
 * it commits what it has verified; the run report then carries exit code 143.
 *
 * @since 0.1.0
 */
import { FreshdeskClient } from "@landed/freshdesk"
import { Clock, type Deferred, Effect } from "effect"
import type * as Config from "./Config.ts"
import * as Connector from "./Connector.ts"
import * as Dataset from "./Dataset.ts"
import type * as DuckDb from "./DuckDb.ts"
import type { StreamShape, StreamSource } from "./internal/contract.ts"
import type * as Lock from "./Lock.ts"
import * as Progress from "./Progress.ts"
import * as RunId from "./RunId.ts"
import * as RunReport from "./RunReport.ts"
import * as StreamRun from "./StreamRun.ts"
import * as Views from "./Views.ts"

/**
 * Settings of the storage side of a run.
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  readonly out: string
  readonly runId: string
  readonly runStartedAt: Date
  readonly startDate: Date | null
  readonly fullRefresh: boolean
  readonly checkpointRows: number
  readonly checkpointSeconds: number
  readonly stop: Deferred.Deferred<void>
  /** which signal asked the run to stop, if any */
  readonly signal: () => "SIGTERM" | "SIGINT" | null
  /** draw live progress lines on stderr */
  readonly progress: boolean
  readonly lock?: Lock.Options
}

const streamReport = (
  source: StreamShape,
  outcome: StreamRun.Outcome | undefined,
  counters: RunReport.Counters,
  http: RunReport.HttpCounters,
  out: string,
  runId: string
): RunReport.StreamReport => ({
  stream: source.name,
  mode: source.mode,
  status: outcome?.status ?? "skipped",
  records: counters.records,
  pages: Math.max(counters.pages, http.pages),
  requests: http.requests,
  credits: http.credits,
  retries: http.retries,
  rateLimitWaits: http.rateLimitWaits,
  rateLimitWaitSeconds: http.rateLimitWaitSeconds,
  duplicatesDropped: http.duplicatesDropped,
  deletes: counters.deletes,
  rejects: counters.rejects,
  replacedCharacters: counters.replacedCharacters,
  commits: counters.commits,
  files: counters.files,
  verification: outcome?.verification ?? "none",
  snapshotSeq: outcome?.snapshot?.seq ?? null,
  seconds:
    counters.startedAt === null
      ? 0
      : Math.max(0, ((counters.finishedAt ?? counters.startedAt) - counters.startedAt) / 1000),
  error: outcome?.error ?? null,
  rejectedFile: counters.rejects > 0 ? Dataset.relative(out, Dataset.rejectedPath(out, source.name, runId)) : null
})

/**
 * Runs the selected streams concurrently and reports on each; never fails.
 *
 * @since 0.1.0
 * @category running
 */
export const runStreams = <E, R>(
  selected: ReadonlyArray<StreamSource<E, R>>,
  catalog: ReadonlyArray<StreamShape>,
  settings: Settings,
  http: Effect.Effect<ReadonlyMap<string, RunReport.HttpCounters>>
): Effect.Effect<RunReport.RunReport, never, R | DuckDb.DuckDb> =>
  Effect.gen(function* () {
    const counters = new Map(selected.map((s) => [s.name, RunReport.counters()]))
    const outcomes = new Map<string, StreamRun.Outcome>()
    const status = (name: string) =>
      outcomes.get(name)?.status ?? (counters.get(name)?.startedAt ? "syncing" : "waiting")
    yield* Progress.make({ streams: selected.map((s) => s.name), counters, status, http }, settings.progress)
    yield* Effect.forEach(
      selected,
      (source) =>
        Effect.map(StreamRun.run(source, { ...settings, catalog }, counters.get(source.name)!), (outcome) =>
          outcomes.set(source.name, outcome)
        ),
      { concurrency: "unbounded", discard: true }
    )
    // views.sql exists after every run, even one that committed nothing, so `query` works
    yield* Views.write(settings.out, catalog).pipe(
      Effect.catchAll((error) =>
        Effect.logWarning("views not rewritten").pipe(Effect.annotateLogs("error.message", error.message))
      )
    )
    const httpNow = yield* http
    const streams = selected.map((s) =>
      streamReport(
        s,
        outcomes.get(s.name),
        counters.get(s.name)!,
        httpNow.get(s.name) ?? RunReport.noHttp,
        settings.out,
        settings.runId
      )
    )
    const finishedAt = new Date(yield* Clock.currentTimeMillis).toISOString()
    return {
      type: "run_report",
      runId: settings.runId,
      out: settings.out,
      startedAt: settings.runStartedAt.toISOString(),
      finishedAt,
      exitCode: RunReport.exitCode(streams, settings.signal()),
      streams,
      totals: RunReport.totals(streams)
    } satisfies RunReport.RunReport
  }).pipe(Effect.scoped)

/**
 * How the process asks a run to stop.
 *
 * @since 0.1.0
 * @category models
 */
export interface Stop {
  readonly requested: Deferred.Deferred<void>
  readonly signal: () => "SIGTERM" | "SIGINT" | null
}

/**
 * A `sync`: validates the credentials' shape, builds the run's Freshdesk client, probes
 * the credentials (a 401 ends the run with exit 3 before any file is written), then runs
 * the selected streams.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  config: Config.SyncConfig,
  credentials: Config.Credentials,
  stop: Stop,
  options: { readonly progress: boolean; readonly lock?: Lock.Options } = { progress: false }
): Effect.Effect<RunReport.RunReport, Connector.PreflightError, DuckDb.DuckDb> =>
  Effect.gen(function* () {
    const runStartedAt = new Date(yield* Clock.currentTimeMillis)
    const runId = yield* RunId.make
    const validated = yield* Connector.config(credentials)
    const client = Connector.layer(validated, config)
    const settings: Settings = {
      out: config.out,
      runId,
      runStartedAt,
      startDate: config.startDate,
      fullRefresh: config.fullRefresh,
      checkpointRows: config.checkpointRows,
      checkpointSeconds: config.checkpointSeconds,
      stop: stop.requested,
      signal: stop.signal,
      progress: options.progress,
      ...(options.lock === undefined ? {} : { lock: options.lock })
    }
    return yield* Effect.gen(function* () {
      yield* Connector.probeCredentials
      const { stats } = yield* FreshdeskClient.FreshdeskClient
      yield* Effect.logInfo("sync started").pipe(
        Effect.annotateLogs({ "run.id": runId, "run.streams": config.streams.join(","), "run.out": config.out })
      )
      return yield* runStreams(
        Connector.select(config.streams),
        Connector.catalog,
        settings,
        Connector.httpCounters(stats)
      )
    }).pipe(Effect.provide(client))
  })
