/**
 * The pipeline's configuration: the only module that reads environment variables (through
 * Effect `Config`, so tests supply a `ConfigProvider`). A flag given on the command line
 * wins over its variable; a value that cannot be used fails with a message naming the
 * flag and the variable, what was given and what is expected (exit code 2).
 *
 * | flag | variable | default |
 * |---|---|---|
 * | `--out` | `PIPELINE_OUT` | `./data` |
 * | `--streams` | `PIPELINE_STREAMS` | all eight |
 * | `--start-date` | `PIPELINE_START_DATE` | all history |
 * | `--full-refresh` | `PIPELINE_FULL_REFRESH` | off |
 * | `--plan` | `PIPELINE_PLAN` | learned from headers |
 * | `--budget-share` | `PIPELINE_BUDGET_SHARE` | 1 |
 * | `--ticket-include` | `PIPELINE_TICKET_INCLUDE` | `description` |
 * | `--checkpoint-rows` | `PIPELINE_CHECKPOINT_ROWS` | 10000 |
 * | `--checkpoint-seconds` | `PIPELINE_CHECKPOINT_SECONDS` | 60 |
 * | `--log-format` | `PIPELINE_LOG_FORMAT` | text on a TTY, else json |
 *
 * Credentials: `FRESHDESK_API_KEY` (kept `Redacted`), `FRESHDESK_SUBDOMAIN`,
 * `FRESHDESK_BASE_URL`. `PIPELINE_RATE_WINDOW_MS` shortens the rate-limit window for
 * simulators and tests (Freshdesk's is one minute).
 *
 * @since 0.1.0
 */
import * as Path from "node:path"
import { SyncStream } from "@landed/freshdesk"
import { Config, Data, Effect, Option, Redacted } from "effect"

/**
 * A configuration value that cannot be used.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConfigError extends Data.TaggedError("ConfigError")<{
  readonly reason: "Missing" | "InvalidValue"
  readonly message: string
}> {}

/**
 * How logs and the report are written.
 *
 * @since 0.1.0
 * @category models
 */
export type LogFormat = "text" | "json"

/**
 * The plans `--plan` accepts.
 *
 * @since 0.1.0
 * @category models
 */
export const plans = ["free", "growth", "pro", "enterprise"] as const

/**
 * The embeds `--ticket-include` accepts.
 *
 * @since 0.1.0
 * @category models
 */
export const ticketIncludes = ["description", "requester", "stats", "company"] as const

/**
 * The flags of `sync`, as parsed (`None` when not given).
 *
 * @since 0.1.0
 * @category models
 */
export interface SyncFlags {
  readonly out: Option.Option<string>
  readonly streams: Option.Option<string>
  readonly startDate: Option.Option<string>
  readonly fullRefresh: boolean
  readonly plan: Option.Option<string>
  readonly budgetShare: Option.Option<string>
  readonly ticketInclude: Option.Option<string>
  readonly checkpointRows: Option.Option<string>
  readonly checkpointSeconds: Option.Option<string>
  readonly logFormat: Option.Option<string>
}

/**
 * Where Freshdesk is and the key to read it with, before validation by
 * `@landed/freshdesk`'s `FreshdeskConfig.make`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Credentials {
  readonly apiKey: Redacted.Redacted<string>
  readonly subdomain: string | undefined
  readonly baseUrl: string | undefined
}

/**
 * The resolved settings of a `sync`.
 *
 * @since 0.1.0
 * @category models
 */
export interface SyncConfig {
  /** absolute path of the dataset root */
  readonly out: string
  readonly streams: ReadonlyArray<SyncStream.StreamName>
  readonly startDate: Date | null
  readonly fullRefresh: boolean
  readonly plan: (typeof plans)[number] | undefined
  readonly budgetShare: number
  readonly ticketInclude: ReadonlyArray<(typeof ticketIncludes)[number]>
  readonly checkpointRows: number
  readonly checkpointSeconds: number
  readonly logFormat: LogFormat
  readonly rateWindowMs: number | undefined
}

const invalid = (flag: string, variable: string, given: string, expected: string) =>
  new ConfigError({
    reason: "InvalidValue",
    message: `\`--${flag}\` (${variable}) is ${JSON.stringify(given)}; expected ${expected}`
  })

const env = (name: string): Effect.Effect<Option.Option<string>, ConfigError> =>
  Config.option(Config.string(name)).pipe(
    Effect.map(Option.filter((value) => value.trim() !== "")),
    Effect.mapError((e) => new ConfigError({ reason: "InvalidValue", message: `${name}: ${String(e)}` }))
  )

// the flag when given, else the environment variable
const pick = (flag: Option.Option<string>, variable: string) =>
  Option.isSome(flag) ? Effect.succeed(flag) : env(variable)

const parseList = <A extends string>(
  text: string,
  allowed: ReadonlyArray<A>,
  flag: string,
  variable: string
): Effect.Effect<ReadonlyArray<A>, ConfigError> => {
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "" && s !== "none")
  const unknown = items.filter((s) => !(allowed as ReadonlyArray<string>).includes(s))
  if (unknown.length > 0) {
    return Effect.fail(invalid(flag, variable, text, `a comma-separated list of ${allowed.join(", ")}`))
  }
  return Effect.succeed([...new Set(items)] as Array<A>)
}

const parseNumber = (
  text: string,
  flag: string,
  variable: string,
  valid: (n: number) => boolean,
  expected: string
): Effect.Effect<number, ConfigError> => {
  const n = Number(text)
  return text.trim() !== "" && Number.isFinite(n) && valid(n)
    ? Effect.succeed(n)
    : Effect.fail(invalid(flag, variable, text, expected))
}

const parseBoolean = (text: string, flag: string, variable: string): Effect.Effect<boolean, ConfigError> => {
  const value = text.trim().toLowerCase()
  if (["1", "true", "yes", "on"].includes(value)) return Effect.succeed(true)
  if (["0", "false", "no", "off"].includes(value)) return Effect.succeed(false)
  return Effect.fail(invalid(flag, variable, text, "true or false"))
}

const parseDate = (text: string): Effect.Effect<Date, ConfigError> => {
  const millis = /^\d{4}-\d{2}-\d{2}/.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN
  return Number.isNaN(millis)
    ? Effect.fail(
        invalid(
          "start-date",
          "PIPELINE_START_DATE",
          text,
          "an ISO-8601 date or time such as 2024-01-01 or 2024-01-01T00:00:00Z"
        )
      )
    : Effect.succeed(new Date(millis))
}

const optional = <A>(
  flag: Option.Option<string>,
  variable: string,
  parse: (text: string) => Effect.Effect<A, ConfigError>
): Effect.Effect<A | undefined, ConfigError> =>
  Effect.flatMap(pick(flag, variable), (value) =>
    Option.isSome(value) ? parse(value.value) : Effect.succeed(undefined)
  )

/**
 * The dataset root from `--out` or `PIPELINE_OUT`, as an absolute path.
 *
 * @since 0.1.0
 * @category resolving
 */
export const out = (flag: Option.Option<string>, fallback = "./data"): Effect.Effect<string, ConfigError> =>
  Effect.map(pick(flag, "PIPELINE_OUT"), (value) => Path.resolve(Option.getOrElse(value, () => fallback)))

/**
 * The log format from `--log-format` or `PIPELINE_LOG_FORMAT`; text on a terminal else JSON.
 *
 * @since 0.1.0
 * @category resolving
 */
export const logFormat = (flag: Option.Option<string>, isTty: boolean): Effect.Effect<LogFormat, ConfigError> =>
  Effect.map(
    optional(flag, "PIPELINE_LOG_FORMAT", (text) =>
      text === "text" || text === "json"
        ? Effect.succeed<LogFormat>(text)
        : Effect.fail(invalid("log-format", "PIPELINE_LOG_FORMAT", text, "text or json"))
    ),
    (format): LogFormat => format ?? (isTty ? "text" : "json")
  )

/**
 * Every stream, in the order a full sync runs them.
 *
 * @since 0.1.0
 * @category models
 */
export const allStreams: ReadonlyArray<SyncStream.StreamName> = SyncStream.streamNames

const streamsOf = (flag: Option.Option<string>) =>
  Effect.map(
    optional(flag, "PIPELINE_STREAMS", (text) =>
      parseList(text, SyncStream.streamNames, "streams", "PIPELINE_STREAMS")
    ),
    (names) => (names === undefined || names.length === 0 ? SyncStream.streamNames : names)
  )

const rateWindow = Effect.flatMap(env("PIPELINE_RATE_WINDOW_MS"), (value) =>
  Option.isNone(value)
    ? Effect.succeed(undefined)
    : parseNumber(
        value.value,
        "rate-window-ms",
        "PIPELINE_RATE_WINDOW_MS",
        (n) => n >= 100,
        "a number of milliseconds, at least 100"
      )
)

const planOf = (flag: Option.Option<string>) =>
  optional(flag, "PIPELINE_PLAN", (text) => {
    const name = text.trim().toLowerCase()
    return (plans as ReadonlyArray<string>).includes(name)
      ? Effect.succeed(name as (typeof plans)[number])
      : Effect.fail(invalid("plan", "PIPELINE_PLAN", text, `one of ${plans.join(", ")}, or unset to learn the limits`))
  })

/**
 * Resolves the settings of `sync` from its flags and the environment.
 *
 * @since 0.1.0
 * @category resolving
 */
export const sync = (flags: SyncFlags, isTty: boolean): Effect.Effect<SyncConfig, ConfigError> =>
  Effect.all({
    out: out(flags.out),
    streams: streamsOf(flags.streams),
    startDate: Effect.map(optional(flags.startDate, "PIPELINE_START_DATE", parseDate), (d) => d ?? null),
    fullRefresh: flags.fullRefresh
      ? Effect.succeed(true)
      : Effect.map(
          optional(Option.none(), "PIPELINE_FULL_REFRESH", (t) =>
            parseBoolean(t, "full-refresh", "PIPELINE_FULL_REFRESH")
          ),
          (b) => b ?? false
        ),
    plan: optional(flags.plan, "PIPELINE_PLAN", (text) => {
      const name = text.trim().toLowerCase()
      return (plans as ReadonlyArray<string>).includes(name)
        ? Effect.succeed(name as (typeof plans)[number])
        : Effect.fail(
            invalid("plan", "PIPELINE_PLAN", text, `one of ${plans.join(", ")}, or unset to learn the limits`)
          )
    }),
    budgetShare: Effect.map(
      optional(flags.budgetShare, "PIPELINE_BUDGET_SHARE", (t) =>
        parseNumber(
          t,
          "budget-share",
          "PIPELINE_BUDGET_SHARE",
          (n) => n > 0 && n <= 1,
          "a number above 0 and at most 1"
        )
      ),
      (n) => n ?? 1
    ),
    ticketInclude: Effect.map(
      optional(flags.ticketInclude, "PIPELINE_TICKET_INCLUDE", (t) =>
        parseList(t, ticketIncludes, "ticket-include", "PIPELINE_TICKET_INCLUDE")
      ),
      (list) => list ?? ["description" as const]
    ),
    checkpointRows: Effect.map(
      optional(flags.checkpointRows, "PIPELINE_CHECKPOINT_ROWS", (t) =>
        parseNumber(
          t,
          "checkpoint-rows",
          "PIPELINE_CHECKPOINT_ROWS",
          (n) => Number.isInteger(n) && n >= 1,
          "a whole number of rows, at least 1"
        )
      ),
      (n) => n ?? 10_000
    ),
    checkpointSeconds: Effect.map(
      optional(flags.checkpointSeconds, "PIPELINE_CHECKPOINT_SECONDS", (t) =>
        parseNumber(t, "checkpoint-seconds", "PIPELINE_CHECKPOINT_SECONDS", (n) => n > 0, "a number of seconds above 0")
      ),
      (n) => n ?? 60
    ),
    logFormat: logFormat(flags.logFormat, isTty),
    rateWindowMs: rateWindow
  })

/**
 * The resolved settings of `check`.
 *
 * @since 0.1.0
 * @category models
 */
export interface CheckConfig {
  readonly streams: ReadonlyArray<SyncStream.StreamName>
  readonly plan: (typeof plans)[number] | undefined
  readonly logFormat: LogFormat
  readonly rateWindowMs: number | undefined
}

/**
 * Resolves the settings of `check` from its flags and the environment.
 *
 * @since 0.1.0
 * @category resolving
 */
export const check = (
  flags: Pick<SyncFlags, "streams" | "plan" | "logFormat">,
  isTty: boolean
): Effect.Effect<CheckConfig, ConfigError> =>
  Effect.all({
    streams: streamsOf(flags.streams),
    plan: planOf(flags.plan),
    logFormat: logFormat(flags.logFormat, isTty),
    rateWindowMs: rateWindow
  })

/**
 * Reads the credentials; a missing `FRESHDESK_API_KEY` is a configuration error.
 *
 * @since 0.1.0
 * @category resolving
 */
export const credentials: Effect.Effect<Credentials, ConfigError> = Effect.gen(function* () {
  const apiKey = yield* Config.option(Config.redacted("FRESHDESK_API_KEY")).pipe(
    Effect.orElseSucceed(() => Option.none())
  )
  if (Option.isNone(apiKey) || Redacted.value(apiKey.value).trim() === "") {
    return yield* new ConfigError({
      reason: "Missing",
      message:
        "FRESHDESK_API_KEY is not set; set it to your Freshdesk API key (Freshdesk: profile icon > Profile Settings > Your API Key). It is read only from the environment, never from a flag, so it stays out of shell history and process lists"
    })
  }
  const subdomain = Option.getOrUndefined(yield* env("FRESHDESK_SUBDOMAIN"))
  const baseUrl = Option.getOrUndefined(yield* env("FRESHDESK_BASE_URL"))
  return { apiKey: apiKey.value, subdomain, baseUrl }
})
