/**
 * The commands of `landed-freshdesk` (also `pnpm -s pipeline <command>`), with
 * `@effect/cli`: `sync`, `check`, `discover`, `verify`, `query` and `demo`, each with
 * `--help`. A command ends with its exit code as a `CommandExit` failure (0 succeeds);
 * `bin.ts` turns it into the process's exit code.
 *
 * @since 0.1.0
 */
import * as Path from "node:path"
import { Args, Command, Options } from "@effect/cli"
import { Simulator } from "@landed/freshdesk-simulator"
import { Console, Data, Deferred, Effect, Option, Redacted } from "effect"
import * as Config from "./Config.ts"
import * as Connector from "./Connector.ts"
import * as DuckDb from "./DuckDb.ts"
import * as table from "./internal/table.ts"
import * as Logging from "./Logging.ts"
import * as RunReport from "./RunReport.ts"
import * as Shutdown from "./Shutdown.ts"
import * as Sync from "./Sync.ts"
import * as Verifier from "./Verifier.ts"
import * as Views from "./Views.ts"

/**
 * A command's exit code other than 0, with what to print on stderr.
 *
 * @since 0.1.0
 * @category errors
 */
export class CommandExit extends Data.TaggedError("CommandExit")<{
  readonly code: number
  readonly message?: string
}> {}

const exitWith = (code: number, message?: string) =>
  code === 0 ? Effect.void : Effect.fail(new CommandExit(message === undefined ? { code } : { code, message }))

const configFailure = (error: Config.ConfigError) => new CommandExit({ code: 2, message: error.message })

/**
 * The `--out` flag.
 *
 * @since 0.1.0
 * @category options
 */
export const out = Options.text("out").pipe(
  Options.withPseudoName("DIR"),
  Options.withDescription("dataset root (PIPELINE_OUT, default ./data)"),
  Options.optional
)

const logFormat = Options.text("log-format").pipe(
  Options.withPseudoName("text|json"),
  Options.withDescription("log format (PIPELINE_LOG_FORMAT, default text on a TTY, else json)"),
  Options.optional
)

const isTty = () => process.stdout.isTTY === true

// stops a command that has no checkpoint to commit as soon as a signal arrives
const stoppable = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Shutdown.Shutdown, (shutdown) =>
    Effect.raceFirst(
      effect,
      Effect.flatMap(Deferred.await(shutdown.requested), () =>
        Effect.fail(new CommandExit({ code: Shutdown.exitCodeOf(shutdown.signal() ?? "SIGTERM") }))
      )
    )
  )

const printVerify = (report: Verifier.DatasetCheck, format: Config.LogFormat) => {
  if (format === "json") return Console.log(JSON.stringify(report))
  const lines = report.streams.map((s) =>
    s.problems.length === 0
      ? `${s.stream}: ok (${s.snapshots} snapshots, ${s.files} files, ${s.rows} rows)`
      : `${s.stream}: ${s.problems.length} problem(s)\n${s.problems.map((p) => `  - ${p}`).join("\n")}`
  )
  const verdict = report.ok ? "consistent" : "NOT consistent"
  return Console.log([...lines, `${report.out}: ${verdict} with its committed state`].join("\n"))
}

/**
 * Verifies a dataset and prints what it found; exit 1 on any mismatch.
 *
 * @since 0.1.0
 * @category commands
 */
export const runVerify = (dir: string, format: Config.LogFormat) =>
  Effect.gen(function* () {
    const report = yield* Verifier.dataset(dir)
    yield* printVerify(report, format)
    return report
  })

const verify = Command.make("verify", { out, logFormat }, (flags) =>
  Effect.gen(function* () {
    const dir = yield* Effect.mapError(Config.out(flags.out), configFailure)
    const format = yield* Effect.mapError(Config.logFormat(flags.logFormat, isTty()), configFailure)
    const report = yield* runVerify(dir, format)
    yield* exitWith(report.ok ? 0 : 1)
  }).pipe(stoppable, Effect.provide(DuckDb.layer()))
).pipe(
  Command.withDescription("re-check every committed file of the dataset against its snapshots (exit 1 on any mismatch)")
)

const MAX_ROWS = 1000

/**
 * Runs SQL over the views of a dataset and returns the result as text.
 *
 * @since 0.1.0
 * @category commands
 */
export const runQuery = (dir: string, sql: string) =>
  Effect.gen(function* () {
    const duck = yield* DuckDb.DuckDb
    const result = yield* duck.session((session) =>
      Effect.zipRight(Views.install(dir, session), session.table(sql, "run the query"))
    )
    const shown = result.rows.slice(0, MAX_ROWS)
    const more = result.rows.length - shown.length
    const footer = `(${result.rows.length} row${result.rows.length === 1 ? "" : "s"}${more > 0 ? `, first ${MAX_ROWS} shown: add LIMIT or use duckdb for more` : ""})`
    return `${table.render(result.columns, result.types, shown)}\n${footer}`
  })

const sqlArg = Args.text({ name: "sql" }).pipe(
  Args.withDescription("the SQL to run; views are named after the streams")
)

const query = Command.make("query", { out, sql: sqlArg }, (input) =>
  Effect.gen(function* () {
    const dir = yield* Effect.mapError(Config.out(input.out), configFailure)
    const text = yield* runQuery(dir, input.sql).pipe(
      Effect.mapError((error) => new CommandExit({ code: 1, message: error.message }))
    )
    yield* Console.log(text)
  }).pipe(stoppable, Effect.provide(DuckDb.layer()))
).pipe(Command.withDescription("run SQL with DuckDB over the dataset's views (views.sql) and print a table"))

const flag = (name: string, pseudo: string, description: string) =>
  Options.text(name).pipe(Options.withPseudoName(pseudo), Options.withDescription(description), Options.optional)

const syncFlags = {
  out,
  streams: flag("streams", "a,b", "streams to sync (PIPELINE_STREAMS, default all eight)"),
  startDate: flag("start-date", "ISO", "lower bound of a first sync of the incremental streams (PIPELINE_START_DATE)"),
  fullRefresh: Options.boolean("full-refresh").pipe(
    Options.withDescription("ignore saved state for the selected streams (PIPELINE_FULL_REFRESH)")
  ),
  plan: flag("plan", "free|growth|pro|enterprise", "seed the rate budget with the plan's limits (PIPELINE_PLAN)"),
  budgetShare: flag(
    "budget-share",
    "0..1",
    "share of the account's limits this run may use (PIPELINE_BUDGET_SHARE, default 1)"
  ),
  ticketInclude: flag(
    "ticket-include",
    "list",
    "ticket embeds, two extra credits each per page (PIPELINE_TICKET_INCLUDE, default description)"
  ),
  checkpointRows: flag(
    "checkpoint-rows",
    "N",
    "commit a checkpoint every N rows (PIPELINE_CHECKPOINT_ROWS, default 10000)"
  ),
  checkpointSeconds: flag(
    "checkpoint-seconds",
    "S",
    "commit a checkpoint every S seconds (PIPELINE_CHECKPOINT_SECONDS, default 60)"
  ),
  logFormat
}

// a run that could not start: on a JSON log the reason is a log line, on a terminal plain text
const notStarted = (format: Config.LogFormat, code: number, message: string) =>
  format === "json"
    ? Effect.zipRight(
        Effect.logError("run not started").pipe(Effect.annotateLogs({ "error.message": message, "exit.code": code })),
        Effect.fail(new CommandExit({ code }))
      )
    : Effect.fail(new CommandExit({ code, message }))

const printReport = (report: RunReport.RunReport, format: Config.LogFormat) =>
  format === "json" ? Console.log(JSON.stringify(report)) : Console.log(RunReport.table(report))

/**
 * Runs a sync with DuckDB and the stop signal, printing its report.
 *
 * @since 0.1.0
 * @category commands
 */
export const runSync = (config: Config.SyncConfig, credentials: Config.Credentials) =>
  Effect.gen(function* () {
    const shutdown = yield* Shutdown.Shutdown
    const progress = config.logFormat === "text" && process.stderr.isTTY === true
    const report = yield* Sync.run(config, credentials, shutdown, { progress }).pipe(
      Effect.catchTag("PreflightError", (error: Connector.PreflightError) =>
        notStarted(config.logFormat, error.code, error.message)
      )
    )
    yield* printReport(report, config.logFormat)
    return report
  }).pipe(Effect.provide(DuckDb.layer()))

const formatOrText = (flag: Option.Option<string>) =>
  Config.logFormat(flag, isTty()).pipe(Effect.orElseSucceed((): Config.LogFormat => "text"))

// the logger is installed once per command: a nested one would print every line twice
const withLogging = <A, E, R>(
  flag: Option.Option<string>,
  body: (format: Config.LogFormat) => Effect.Effect<A, E, R>
) => Effect.flatMap(formatOrText(flag), (format) => Effect.provide(body(format), Logging.layer(format)))

const sync = Command.make("sync", syncFlags, (flags) =>
  withLogging(flags.logFormat, (format) =>
    Effect.gen(function* () {
      const config = yield* Config.sync(flags, isTty()).pipe(Effect.catchAll((e) => notStarted(format, 2, e.message)))
      const credentials = yield* Config.credentials.pipe(Effect.catchAll((e) => notStarted(format, 2, e.message)))
      const report = yield* runSync(config, credentials)
      yield* exitWith(report.exitCode)
    })
  )
).pipe(
  Command.withDescription(
    "extract the selected streams into the dataset and commit them (exit 0 ok, 1 a stream failed, 2 configuration, 3 credentials, 4 rejects, 5 locked, 143 SIGTERM)"
  )
)

const SAMPLE_QUERY =
  "SELECT status_label, count(*) AS tickets, count(*) FILTER (WHERE spam) AS spam, count(*) FILTER (WHERE deleted) AS deleted FROM tickets GROUP BY ALL ORDER BY tickets DESC"

// the simulated Pro plan's limits per 6-second window instead of per minute, so the demo
// shows pacing without taking a minute
const DEMO_WINDOW_MS = 6000

const demoNow = () => new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`)

const demoConfig = (dir: string, format: Config.LogFormat): Config.SyncConfig => ({
  out: dir,
  streams: Config.allStreams,
  startDate: null,
  fullRefresh: false,
  plan: "pro",
  budgetShare: 1,
  ticketInclude: ["description"],
  checkpointRows: 10_000,
  checkpointSeconds: 60,
  logFormat: format,
  rateWindowMs: DEMO_WINDOW_MS
})

/**
 * Starts the simulator, syncs it into `dir`, verifies, and shows a sample query.
 *
 * @since 0.1.0
 * @category commands
 */
export const runDemo = (dir: string, format: Config.LogFormat) =>
  Effect.gen(function* () {
    const sim = yield* Simulator.scoped({
      seed: 7,
      now: demoNow(),
      plan: "pro",
      windowMs: DEMO_WINDOW_MS,
      counts: { tickets: 1500, contacts: 300, companies: 40 }
    })
    yield* Console.log(`demo: simulated Freshdesk at ${sim.url}, syncing into ${dir}`)
    const credentials = { apiKey: Redacted.make(sim.apiKey), subdomain: undefined, baseUrl: sim.url }
    const report = yield* runSync(demoConfig(dir, format), credentials)
    if (format === "json") yield* Console.log(`\n${RunReport.table(report)}`)
    const verified = yield* runVerify(dir, "text").pipe(Effect.provide(DuckDb.layer()))
    yield* Console.log(`\n${SAMPLE_QUERY}\n`)
    yield* Console.log(yield* runQuery(dir, SAMPLE_QUERY).pipe(Effect.provide(DuckDb.layer())))
    yield* Console.log(`\nexplore: pnpm -s pipeline query --out ${dir} "SELECT * FROM tickets LIMIT 5"`)
    return report.exitCode !== 0 ? report.exitCode : verified.ok ? 0 : 1
  }).pipe(Effect.scoped)

const demo = Command.make("demo", { out, logFormat }, (flags) =>
  withLogging(flags.logFormat, (format) =>
    Effect.gen(function* () {
      const dir = Option.match(flags.out, { onNone: () => "./demo-data", onSome: (d) => d })
      yield* exitWith(yield* runDemo(Path.resolve(dir), format))
    })
  )
).pipe(
  Command.withDescription(
    "start the simulator on loopback, sync it into --out (default ./demo-data), verify, and print the summary and a sample query"
  )
)

const checkFlags = {
  streams: syncFlags.streams,
  plan: syncFlags.plan,
  logFormat
}

const printCheck = (report: Connector.CheckReport, format: Config.LogFormat) => {
  if (format === "json") return Console.log(JSON.stringify(report))
  const width = Math.max(...report.streams.map((s) => s.stream.length))
  const lines = report.streams.map((s) => `${s.stream.padEnd(width)}  ${s.status.padEnd(15)}  ${s.message}`)
  return Console.log([`credentials ok (agent ${report.agentId ?? "unknown"})`, ...lines].join("\n"))
}

/**
 * Checks the configuration and the credentials, and whether the key reads each stream.
 *
 * @since 0.1.0
 * @category commands
 */
export const runCheck = (config: Config.CheckConfig, credentials: Config.Credentials) =>
  Effect.gen(function* () {
    const validated = yield* Connector.config(credentials)
    const report = yield* Connector.check(config.streams).pipe(
      Effect.provide(Connector.layer(validated, { plan: config.plan, rateWindowMs: config.rateWindowMs }))
    )
    yield* printCheck(report, config.logFormat)
    return report
  }).pipe(
    Effect.catchTag("PreflightError", (error: Connector.PreflightError) =>
      notStarted(config.logFormat, error.code, error.message)
    )
  )

const check = Command.make("check", checkFlags, (flags) =>
  withLogging(flags.logFormat, (format) =>
    Effect.gen(function* () {
      const config = yield* Config.check(flags, isTty()).pipe(Effect.catchAll((e) => notStarted(format, 2, e.message)))
      const credentials = yield* Config.credentials.pipe(Effect.catchAll((e) => notStarted(format, 2, e.message)))
      const report = yield* runCheck(config, credentials)
      yield* exitWith(report.exitCode)
    })
  ).pipe(stoppable)
).pipe(
  Command.withDescription(
    "validate configuration and credentials and report, per stream, whether the key can read it (exit 0 all readable, 1 some not, 2 configuration, 3 credentials)"
  )
)

const discover = Command.make("discover", {}, () => Console.log(JSON.stringify(Connector.discover(), null, 2))).pipe(
  Command.withDescription("print the catalog as JSON: each stream, its sync mode, cursor and columns with types")
)

/**
 * The root command with its subcommands.
 *
 * @since 0.1.0
 * @category commands
 */
export const root = Command.make("landed-freshdesk").pipe(
  Command.withDescription("Freshdesk into partitioned Parquet, verified by DuckDB"),
  Command.withSubcommands([sync, check, discover, verify, query, demo])
)

/**
 * Parses `argv` (as `process.argv`) and runs the command it names.
 *
 * @since 0.1.0
 * @category running
 */
export const run = Command.run(root, { name: "landed-freshdesk", version: "0.1.0" })

/**
 * Reads an optional flag's value, for tests.
 *
 * @since 0.1.0
 * @category utils
 */
export const optionValue = <A>(option: Option.Option<A>): A | undefined => Option.getOrUndefined(option)
