/**
 * The service every Freshdesk stream reads through.
 *
 * One client per run: it holds the validated configuration, the run's settings
 * (plan, budget share, ticket embeds) and the `@landed/http-source` pieces
 * built from them: one rate budget shared by all streams (seeded from the plan,
 * or learned), the request executor (basic auth with the key as user name and
 * `X` as password, base `<origin>/api/v2`) and the per-stream counters the app
 * shows as progress.
 *
 * @since 0.1.0
 */
import { NodeHttpClient } from "@effect/platform-node"
import type { HttpClient } from "@effect/platform"
import type { HttpSourceError, Retry } from "@landed/http-source"
import { HttpSource, RateBudget, SourceStats } from "@landed/http-source"
import { Context, Duration, Effect, Layer, Redacted } from "effect"
import * as FreshdeskConfig from "./FreshdeskConfig.ts"
import * as FreshdeskError from "./FreshdeskError.ts"
import * as Errors from "./internal/errors.ts"
import * as Labels from "./Labels.ts"
import * as Plan from "./Plan.ts"

/**
 * The embeds a ticket listing may ask for with `include=`, two extra credits
 * each.
 *
 * @since 0.1.0
 * @category constants
 */
export const ticketIncludes = ["description", "requester", "stats", "company"] as const

/**
 * One embed of {@link ticketIncludes}.
 *
 * @since 0.1.0
 * @category models
 */
export type TicketInclude = (typeof ticketIncludes)[number]

/**
 * What a stream needs from the run.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly config: FreshdeskConfig.FreshdeskConfig
  /** the plan the budget was seeded with (a learned plan once recognised) */
  readonly plan: Plan.Plan
  /** share of the account's limits this run may use, 0 < share <= 1 */
  readonly budgetShare: number
  readonly ticketInclude: ReadonlyArray<TicketInclude>
  /** length of a rate-limit window in milliseconds (Freshdesk: one minute) */
  readonly windowMs: number
  readonly source: HttpSource.HttpSource
  readonly budget: RateBudget.RateBudget
  readonly stats: SourceStats.SourceStats
  /** sends one request, failing with a Freshdesk error that names `request.stream` */
  readonly request: (
    request: HttpSource.SourceRequest
  ) => Effect.Effect<HttpSource.SourceResponse, FreshdeskError.FreshdeskError>
  /** the code tables, custom statuses included when `/ticket_fields` is readable (cached) */
  readonly labels: Effect.Effect<Labels.Labels>
}

const tagId = "@landed/freshdesk/FreshdeskClient"

/**
 * The Freshdesk client of a run.
 *
 * @since 0.1.0
 * @category tags
 */
export class FreshdeskClient extends Context.Tag(tagId)<FreshdeskClient, Service>() {}

/**
 * Options of {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** validated settings, or raw ones validated here */
  readonly config: FreshdeskConfig.FreshdeskConfig | FreshdeskConfig.Input
  /** a preset, its name, or the adaptive default (undefined) */
  readonly plan?: Plan.Plan | Plan.Name | undefined
  /** share of the limits this run may use (default 1) */
  readonly budgetShare?: number | undefined
  /** ticket embeds (default `["description"]`) */
  readonly ticketInclude?: ReadonlyArray<TicketInclude> | undefined
  /** the rate-limit window (default 60000; tests use 1000) */
  readonly windowMs?: number | undefined
  /** requests in flight at most (default 16) */
  readonly maxInFlight?: number | undefined
  /** overrides of http-source's retry policy */
  readonly retry?: Partial<Retry.RetryPolicy> | undefined
  /** with the adaptive plan, ask `/agents/me` once to recognise the plan (default true) */
  readonly learnPlan?: boolean | undefined
}

type FdError = FreshdeskError.FreshdeskError

type Requires = HttpClient.HttpClient

type LayerOf<R> = Layer.Layer<Provided, FdError, R>

/**
 * What the layers provide: the client and the run's per-stream counters.
 *
 * @since 0.1.0
 * @category models
 */
export type Provided = FreshdeskClient | SourceStats.SourceStats

const invalid = (message: string) => Effect.fail(FreshdeskError.make("InvalidConfig", message))

/**
 * Parses `--ticket-include`: a comma list of embeds, or `none` (or empty) for
 * none.
 *
 * @since 0.1.0
 * @category constructors
 */
export const parseTicketInclude = (
  text: string
): Effect.Effect<ReadonlyArray<TicketInclude>, FreshdeskError.FreshdeskError> => {
  const names = text.split(",").map((name) => name.trim().toLowerCase())
  const wanted = names.filter((name) => name !== "" && name !== "none")
  const allowed: ReadonlyArray<string> = ticketIncludes
  const unknown = wanted.filter((name) => !allowed.includes(name))
  if (unknown.length > 0) {
    const named = unknown.map((u) => `\`${u}\``).join(", ")
    return invalid(
      [
        `\`ticket-include\` (PIPELINE_TICKET_INCLUDE) names ${named};`,
        `expected a comma list of ${ticketIncludes.join(", ")}, or \`none\`.`,
        "Each embed costs two extra credits per page."
      ].join(" ")
    )
  }
  return Effect.succeed([...new Set(wanted)] as ReadonlyArray<TicketInclude>)
}

const resolveConfig = (config: Options["config"]) =>
  "origin" in config ? Effect.succeed(config) : FreshdeskConfig.make(config)

const resolvePlan = (plan: Options["plan"]): Effect.Effect<Plan.Plan, FdError> =>
  typeof plan === "string" || plan === undefined ? Plan.fromName(plan) : Effect.succeed(plan)

const shareExpected = "expected a number above 0 and at most 1."

const checkShare = (share: number) =>
  share > 0 && share <= 1
    ? Effect.succeed(share)
    : invalid(`\`budget-share\` (PIPELINE_BUDGET_SHARE) is ${share}; ${shareExpected}`)

const checkPositive = (name: string, value: number) =>
  Number.isInteger(value) && value >= 1
    ? Effect.succeed(value)
    : invalid(`\`${name}\` is ${value}; expected a whole number of at least 1.`)

/**
 * The rate-budget options of a plan: the overall limit in credits and the
 * ticket and contact list sub-limits in calls, left out (learned) for the
 * adaptive plan.
 *
 * @since 0.1.0
 * @category constructors
 */
export const budgetOptions = (
  plan: Plan.Plan,
  settings: { readonly share: number; readonly windowMs: number; readonly maxInFlight: number }
): RateBudget.Options => {
  const limits = plan._tag === "Preset" ? plan.limits : undefined
  const limit = (value: number | undefined) => (value === undefined ? {} : { limit: value })
  return {
    window: Duration.millis(settings.windowMs),
    share: settings.share,
    maxInFlight: settings.maxInFlight,
    overall: limit(limits?.overall),
    groups: {
      [Plan.ticketsGroup]: limit(limits?.tickets),
      [Plan.contactsGroup]: limit(limits?.contacts)
    }
  }
}

type Config = FreshdeskConfig.FreshdeskConfig

const sourceOptions = (config: Config, retry: Options["retry"]): HttpSource.Options => ({
  baseUrl: FreshdeskConfig.apiBase(config),
  basicAuth: { username: config.apiKey, password: Redacted.make("X") },
  ...(retry === undefined ? {} : { retry })
})

const buildSource = (
  config: Config,
  budget: RateBudget.RateBudget,
  stats: SourceStats.SourceStats,
  retry: Options["retry"]
) =>
  HttpSource.make(sourceOptions(config, retry)).pipe(
    Effect.provideService(RateBudget.RateBudget, budget),
    Effect.provideService(SourceStats.SourceStats, stats)
  )

// one request through a throwaway budget: X-RateLimit-Total names the plan, if
// it is one
const learnPlan = (config: Config, windowMs: number, retry: Options["retry"]) =>
  Effect.gen(function* () {
    const budget = yield* RateBudget.make({ window: Duration.millis(windowMs), maxInFlight: 1 })
    const source = yield* buildSource(config, budget, yield* SourceStats.make, retry)
    const response = yield* source.request({ stream: "agents", path: "/agents/me" })
    const name = Plan.fromTotal(Number(response.headers["x-ratelimit-total"]))
    if (name === undefined) return Plan.adaptive
    yield* Effect.annotateLogs(Effect.logDebug("freshdesk plan recognised"), "freshdesk.plan", name)
    return Plan.preset(name)
  }).pipe(Effect.orElseSucceed(() => Plan.adaptive))

const logUnnamed = (reason: string) => {
  const log = Effect.logInfo("custom ticket statuses left unnamed")
  return Effect.annotateLogs(log, "freshdesk.reason", reason)
}

const fetchLabels = (request: Service["request"]): Effect.Effect<Labels.Labels> =>
  request({ stream: "tickets", path: "/ticket_fields" }).pipe(
    Effect.map((response) => Labels.fromTicketFields(response.body)),
    Effect.tapError((error) => logUnnamed(error.reason)),
    Effect.orElseSucceed(() => Labels.defaults)
  )

const makeService = (options: Options) =>
  Effect.gen(function* () {
    const config = yield* resolveConfig(options.config)
    const windowMs = yield* checkPositive("windowMs", options.windowMs ?? 60_000)
    const share = yield* checkShare(options.budgetShare ?? 1)
    const maxInFlight = yield* checkPositive("maxInFlight", options.maxInFlight ?? 16)
    let plan = yield* resolvePlan(options.plan)
    if (plan._tag === "Adaptive" && options.learnPlan !== false)
      plan = yield* learnPlan(config, windowMs, options.retry)
    const budget = yield* RateBudget.make(budgetOptions(plan, { share, windowMs, maxInFlight }))
    const stats = yield* SourceStats.make
    const source = yield* buildSource(config, budget, stats, options.retry)
    const longest = source.retryPolicy.longestRetryAfter
    const request: Service["request"] = (req) =>
      Effect.mapError(source.request(req), (error: HttpSourceError.HttpSourceError) =>
        Errors.fromSource(error, req.stream, longest)
      )
    const labels = yield* Effect.cached(fetchLabels(request))
    const ticketInclude = options.ticketInclude ?? ["description"]
    return {
      config,
      plan,
      budgetShare: share,
      ticketInclude,
      windowMs,
      source,
      budget,
      stats,
      request,
      labels
    }
  })

/**
 * The client of a run over a given `HttpClient`, with the run's `SourceStats`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWithoutHttpClient = (options: Options): LayerOf<Requires> =>
  Layer.effectContext(
    Effect.map(makeService(options), (service) => {
      const context = Context.make(FreshdeskClient, service)
      return Context.add(context, SourceStats.SourceStats, service.stats)
    })
  )

/**
 * The client of a run over Node's HTTP client (undici), with the run's
 * `SourceStats`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): LayerOf<never> =>
  Layer.provide(layerWithoutHttpClient(options), NodeHttpClient.layerUndici)
