/**
 * The commands of `landed-freshdesk` (also `pnpm -s pipeline <command>`), with
 * `@effect/cli`: `sync`, `check`, `discover`, `verify`, `query` and `demo`, each with
 * `--help`. A command ends with its exit code as a `CommandExit` failure (0 succeeds);
 * `bin.ts` turns it into the process's exit code.
 *
 * @since 0.1.0
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Data, Deferred, Effect, Option } from "effect"
import * as Config from "./Config.ts"
import * as DuckDb from "./DuckDb.ts"
import * as table from "./internal/table.ts"
import * as Shutdown from "./Shutdown.ts"
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

/**
 * The root command with its subcommands.
 *
 * @since 0.1.0
 * @category commands
 */
export const root = Command.make("landed-freshdesk").pipe(
  Command.withDescription("Freshdesk into partitioned Parquet, verified by DuckDB"),
  Command.withSubcommands([verify, query])
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
