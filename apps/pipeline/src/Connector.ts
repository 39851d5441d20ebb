/**
 * The pipeline's side of `@landed/freshdesk`: one Freshdesk client layer per run (one rate
 * budget, one set of request counters, shared by every stream), a credentials probe that
 * tells a wrong key (exit 3) apart before any stream starts or any file is written, and
 * the translation of the source's counters into the run report's.
 *
 * @since 0.1.0
 */
import { Catalog, Check, FreshdeskClient, FreshdeskConfig, type FreshdeskError, Streams } from "@landed/freshdesk"
import type { SourceStats } from "@landed/http-source"
import { Data, Effect, Layer } from "effect"
import type * as Config from "./Config.ts"
import type * as RunReport from "./RunReport.ts"
import * as Views from "./Views.ts"

/**
 * A run that cannot start: a configuration problem (exit 2) or credentials Freshdesk
 * refused (exit 3).
 *
 * @since 0.1.0
 * @category errors
 */
export class PreflightError extends Data.TaggedError("PreflightError")<{
  readonly reason: "InvalidConfig" | "InvalidCredentials"
  readonly message: string
}> {
  /** the exit code of the run */
  get code(): number {
    return this.reason === "InvalidConfig" ? 2 : 3
  }
}

/**
 * The settings of the Freshdesk client of a run.
 *
 * @since 0.1.0
 * @category models
 */
export interface ClientSettings {
  readonly plan?: Config.SyncConfig["plan"]
  readonly budgetShare?: number
  readonly ticketInclude?: Config.SyncConfig["ticketInclude"]
  readonly rateWindowMs?: number | undefined
}

const preflight = (error: FreshdeskError.FreshdeskError) =>
  new PreflightError({
    reason: error.reason === "InvalidCredentials" ? "InvalidCredentials" : "InvalidConfig",
    message: error.message
  })

/**
 * Validates the credentials' shape (no request yet).
 *
 * @since 0.1.0
 * @category constructors
 */
export const config = (
  credentials: Config.Credentials
): Effect.Effect<FreshdeskConfig.FreshdeskConfig, PreflightError> =>
  Effect.mapError(FreshdeskConfig.make(credentials), preflight)

/**
 * The Freshdesk client of a run, with the run's request counters.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  validated: FreshdeskConfig.FreshdeskConfig,
  settings: ClientSettings
): Layer.Layer<FreshdeskClient.FreshdeskClient | SourceStats.SourceStats, PreflightError> =>
  Layer.mapError(
    FreshdeskClient.layer({
      config: validated,
      plan: settings.plan,
      budgetShare: settings.budgetShare,
      ticketInclude: settings.ticketInclude,
      windowMs: settings.rateWindowMs
    }),
    preflight
  )

/**
 * One cheap request (`GET /agents/me`) that fails with `InvalidCredentials` on a 401;
 * other failures are left to the streams, which report them one by one.
 *
 * @since 0.1.0
 * @category checks
 */
export const probeCredentials: Effect.Effect<void, PreflightError, FreshdeskClient.FreshdeskClient> = Effect.gen(
  function* () {
    const client = yield* FreshdeskClient.FreshdeskClient
    yield* client.request({ stream: "credentials", path: "/agents/me" }).pipe(
      Effect.asVoid,
      Effect.catchAll((error) =>
        error.reason === "InvalidCredentials"
          ? Effect.fail(preflight(error))
          : Effect.logWarning("credentials probe failed").pipe(Effect.annotateLogs("error.message", error.message))
      )
    )
  }
)

/**
 * The streams of the catalog, and those a run selected.
 *
 * @since 0.1.0
 * @category streams
 */
export const catalog = Streams.all

/**
 * The selected streams, in catalog order.
 *
 * @since 0.1.0
 * @category streams
 */
export const select = (names: ReadonlyArray<string>) => Streams.all.filter((s) => names.includes(s.name))

const toReport = (c: SourceStats.StreamCounters): RunReport.HttpCounters => ({
  requests: c.requests,
  credits: c.credits,
  retries: c.retries,
  rateLimitWaits: c.rateLimitWaits,
  rateLimitWaitSeconds: Math.round(c.rateLimitWaitMillis / 100) / 10,
  duplicatesDropped: c.duplicates,
  pages: c.pages
})

/**
 * The request counters of a run per stream, in the run report's terms.
 *
 * @since 0.1.0
 * @category counters
 */
export const httpCounters = (
  stats: SourceStats.SourceStats
): Effect.Effect<ReadonlyMap<string, RunReport.HttpCounters>> =>
  Effect.map(stats.snapshot, (snapshot) => new Map([...snapshot].map(([stream, c]) => [stream, toReport(c)])))

/**
 * What `check` reports: the connector's check plus the exit code it implies.
 *
 * @since 0.1.0
 * @category checks
 */
export interface CheckReport extends Check.CheckReport {
  readonly type: "check_report"
  readonly exitCode: number
}

/**
 * Checks the credentials and whether the key can read each named stream; a 401 fails
 * with `InvalidCredentials` (exit 3).
 *
 * @since 0.1.0
 * @category checks
 */
export const check = (
  names: ReadonlyArray<Config.CheckConfig["streams"][number]>
): Effect.Effect<CheckReport, PreflightError, FreshdeskClient.FreshdeskClient> =>
  Check.run(names).pipe(
    Effect.map((report) => ({ type: "check_report" as const, ...report, exitCode: Check.exitCode(report) })),
    Effect.mapError(preflight)
  )

/**
 * The catalog `discover` prints: the connector's streams and columns, plus where and how
 * the pipeline stores each one.
 *
 * @since 0.1.0
 * @category catalog
 */
export const discover = () => ({
  streams: Catalog.make().streams.map((stream) => ({
    ...stream,
    storage: {
      path: `${stream.name}/${stream.sync_mode === "incremental" ? "updated_month=YYYY-MM" : "run=<run_id>"}/part-<run_id>-<seq>.parquet`,
      partition_column: Views.partitionColumn({ mode: stream.sync_mode }),
      added_columns: [
        { name: "_run_id", type: "VARCHAR", description: "the run that extracted the row" },
        { name: "_extracted_at", type: "TIMESTAMPTZ", description: "when the row's page was received" }
      ],
      views: { current: stream.name, history: `${stream.name}_history` }
    }
  }))
})
