/**
 * The request executor of an HTTP source.
 *
 * `request` sends one logical request and applies everything a source needs around it:
 * the run's rate budget (pace, pauses, requests in flight), the retry policy for transient
 * failures, a timeout per attempt, lossless JSON decoding, the per-stream counters and a
 * Debug log line per attempt. Non-2xx answers become an `HttpSourceError` with the right
 * reason; 4xx bodies are read for the server's `code`, `message` and `errors[]`.
 *
 * Credentials are `Redacted` until the request is built; they reach no log line, error,
 * span or file: tracing of the platform client is turned off for these requests, since
 * its spans would record the full URL and headers.
 *
 * @since 0.1.0
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Context, Duration, Effect, FiberRef, Layer, LogLevel, Option, Redacted } from "effect"
import type { HttpSourceError } from "./HttpSourceError.ts"
import { stripQuery } from "./HttpSourceError.ts"
import * as Classify from "./internal/classify.ts"
import * as Url from "./internal/url.ts"
import * as Wire from "./internal/wire.ts"
import * as Json from "./Json.ts"
import * as RateBudget from "./RateBudget.ts"
import * as Retry from "./Retry.ts"
import * as SourceStats from "./SourceStats.ts"

/**
 * One logical request of a stream.
 *
 * @since 0.1.0
 * @category models
 */
export interface SourceRequest {
  /** the stream the request belongs to, for counters and logs */
  readonly stream: string
  /** a path below `baseUrl` */
  readonly path?: string
  /** an absolute URL (such as a `Link` next URL); wins over `path` */
  readonly url?: string
  /** query parameters set on the URL; `undefined` values are left out */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>
  /** credits the request costs (default 1) */
  readonly cost?: number
  /** the sub-limits of the budget the request counts against */
  readonly groups?: ReadonlyArray<string>
  /** `GET` unless said otherwise */
  readonly method?: "GET" | "POST"
  /** a JSON body, sent with `POST` */
  readonly body?: Json.JsonValue
}

/**
 * A successful answer, its body parsed losslessly.
 *
 * @since 0.1.0
 * @category models
 */
export interface SourceResponse {
  readonly status: number
  /** response headers, names in lower case */
  readonly headers: Readonly<Record<string, string>>
  /** the full URL requested, query included */
  readonly url: string
  readonly text: string
  /** the parsed body; `null` for an empty one */
  readonly body: Json.JsonValue
  readonly receivedAt: Date
}

/**
 * How the executor talks to the source.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** the origin and base path that request paths are relative to */
  readonly baseUrl: string
  /** headers sent with every request; `Redacted` values are never logged */
  readonly headers?: Readonly<Record<string, string | Redacted.Redacted<string>>>
  /** HTTP Basic credentials */
  readonly basicAuth?: {
    readonly username: Redacted.Redacted<string>
    readonly password: Redacted.Redacted<string>
  }
  /** overrides of `Retry.defaultPolicy` */
  readonly retry?: Partial<Retry.RetryPolicy>
  /** the longest one attempt may take, body included (default 60 seconds) */
  readonly timeout?: Duration.DurationInput
  /** query parameters whose values logs must hide, besides names that look secret */
  readonly secretQueryParams?: ReadonlyArray<string>
}

/**
 * The request executor of a run.
 *
 * @since 0.1.0
 * @category models
 */
export interface HttpSource {
  /** sends a request through the budget, retrying transient failures */
  readonly request: (request: SourceRequest) => Effect.Effect<SourceResponse, HttpSourceError>
  /** the counters this executor (and the paginators using it) adds to */
  readonly stats: SourceStats.SourceStats
  /** the budget every request goes through */
  readonly budget: RateBudget.RateBudget
  readonly retryPolicy: Retry.RetryPolicy
}

/**
 * The service tag of the run's {@link HttpSource}.
 *
 * @since 0.1.0
 * @category tags
 */
export const HttpSource: Context.Tag<HttpSource, HttpSource> = Context.GenericTag<HttpSource>(
  "@landed/http-source/HttpSource"
)

interface Env {
  readonly client: Wire.Client
  readonly budget: RateBudget.RateBudget
  readonly stats: SourceStats.SourceStats
  readonly policy: Retry.RetryPolicy
  readonly baseUrl: string
  readonly headers: Readonly<Record<string, string>>
  /** a GET with the static headers, so a request only swaps its URL in */
  readonly getTemplate: HttpClientRequest.HttpClientRequest
  readonly timeoutMillis: number
  readonly secretQueryParams: ReadonlySet<string>
}

const staticHeaders = (options: Options): Record<string, string> => {
  const headers: Record<string, string> = { accept: "application/json" }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers[name.toLowerCase()] = Redacted.isRedacted(value) ? Redacted.value(value) : value
  }
  if (options.basicAuth !== undefined) {
    const pair = `${Redacted.value(options.basicAuth.username)}:${Redacted.value(options.basicAuth.password)}`
    headers.authorization = `Basic ${Buffer.from(pair).toString("base64")}`
  }
  return headers
}

const buildRequest = (env: Env, request: SourceRequest, url: string): HttpClientRequest.HttpClientRequest => {
  if (request.method !== "POST") return HttpClientRequest.setUrl(env.getTemplate, url)
  const post = HttpClientRequest.post(url, { headers: env.headers })
  return request.body === undefined
    ? post
    : HttpClientRequest.bodyText(post, Json.stringify(request.body), "application/json")
}

const failuresOf = (env: Env, ctx: Classify.Context): Wire.Failures<HttpSourceError> => ({
  transport: (cause) => Classify.transport(ctx, cause),
  cutOff: () => Classify.malformed(ctx, 0, "was cut off before its end", ""),
  timedOut: () => Classify.timedOut(ctx, Duration.format(Duration.millis(env.timeoutMillis)))
})

const exchange = (env: Env, request: SourceRequest, url: string, ctx: Classify.Context) =>
  Wire.exchange(env.client, buildRequest(env, request, url), env.timeoutMillis, failuresOf(env, ctx))

const decode = (ctx: Classify.Context, wire: Wire.Wire, url: string, now: number): SourceResponse | HttpSourceError => {
  if (wire.status < 200 || wire.status > 299) return Classify.fromStatus(ctx, wire.status, wire.headers, wire.text, now)
  let body: Json.JsonValue = null
  if (wire.text !== "") {
    try {
      // the wire tested the body's bytes for long numbers, faster than Json's test on the
      // text; without one, JSON.parse reads every number exactly
      body = wire.mayHoldLongNumbers === false ? (JSON.parse(wire.text) as Json.JsonValue) : Json.parse(wire.text)
    } catch {
      return Classify.malformed(ctx, wire.status, "does not parse as JSON (it may have been cut off)", wire.text)
    }
  }
  return { status: wire.status, headers: wire.headers, url, text: wire.text, body, receivedAt: new Date(now) }
}

const bytesOf = (wire: Wire.Wire): number => {
  const declared = Number(wire.headers["content-length"])
  return Number.isFinite(declared) && declared > 0 ? declared : Buffer.byteLength(wire.text)
}

const countAdmission = (stats: SourceStats.SourceStats, stream: string, cost: number, a: RateBudget.Admission) => {
  stats.unsafeAdd(stream, "requests", 1)
  stats.unsafeAdd(stream, "credits", cost)
  if (a.paceMillis > 0) stats.unsafeAdd(stream, "paceWaitMillis", a.paceMillis)
  if (a.pauseMillis > 0) {
    stats.unsafeAdd(stream, "rateLimitWaits", 1)
    stats.unsafeAdd(stream, "rateLimitWaitMillis", a.pauseMillis)
  }
}

// the level is read from the fiber so that, with Debug off, a request builds no annotations;
// `then` runs after the log line, in the same step when there is none
const logAttemptThen = <A, E>(
  env: Env,
  ctx: Classify.Context,
  url: string,
  status: number | string,
  millis: number,
  then: Effect.Effect<A, E>
) =>
  Effect.withFiberRuntime<A, E>((fiber) =>
    LogLevel.lessThanEqual(fiber.getFiberRef(FiberRef.currentMinimumLogLevel), LogLevel.Debug)
      ? Effect.zipRight(
          Effect.logDebug("http request").pipe(
            Effect.annotateLogs({
              "http.method": ctx.method,
              "http.url": ctx.url,
              "http.query": Url.safeQuery(url, env.secretQueryParams),
              "http.status": status,
              "http.duration_ms": millis,
              "http.attempt": ctx.attempt,
              "source.stream": ctx.stream
            })
          ),
          then
        )
      : then
  )

const received = (
  env: Env,
  ctx: Classify.Context,
  url: string,
  ticket: RateBudget.Ticket,
  admission: RateBudget.Admission,
  wire: Wire.Wire
) =>
  Effect.clockWith((clock) => {
    const now = clock.unsafeCurrentTimeMillis()
    env.stats.unsafeAdd(ctx.stream, "bytes", bytesOf(wire))
    if (wire.status === 429) env.stats.unsafeAdd(ctx.stream, "responses429", 1)
    const result = decode(ctx, wire, url, now)
    const outcome = "_tag" in result ? Effect.fail(result) : Effect.succeed(result)
    return Effect.zipRight(
      env.budget.observe(ticket, wire.headers, admission),
      logAttemptThen(env, ctx, url, wire.status, now - admission.admittedAt, outcome)
    )
  })

const attemptOnce = (env: Env, request: SourceRequest, url: string, ctx: Classify.Context, ticket: RateBudget.Ticket) =>
  env.budget.run(ticket, (admission) => {
    countAdmission(env.stats, request.stream, ticket.cost, admission)
    return Effect.matchEffect(exchange(env, request, url, ctx), {
      onFailure: (e) => logAttemptThen(env, ctx, url, e.reason, 0, Effect.fail(e)),
      onSuccess: (wire) => received(env, ctx, url, ticket, admission, wire)
    })
  })

const retryHooks = (env: Env, request: SourceRequest, ticket: RateBudget.Ticket): Retry.RetryHooks => ({
  waitRetryAfter: (_error, wait) =>
    Effect.zipRight(
      env.budget.rateLimited(ticket, wait),
      Effect.suspend(() => {
        env.stats.unsafeAdd(request.stream, "retries", 1)
        env.stats.unsafeAdd(request.stream, "rateLimitWaits", 1)
        env.stats.unsafeAdd(request.stream, "rateLimitWaitMillis", Duration.toMillis(wait))
        return Effect.sleep(wait)
      })
    ),
  onRetry: (error, delay) =>
    Effect.suspend(() => {
      env.stats.unsafeAdd(request.stream, "retries", 1)
      // a 429 without Retry-After still pauses its limit for the backoff
      return error.reason === "RateLimited" ? Effect.asVoid(env.budget.rateLimited(ticket, delay)) : Effect.void
    })
})

const requestWith =
  (env: Env) =>
  (request: SourceRequest): Effect.Effect<SourceResponse, HttpSourceError> =>
    Effect.suspend(() => {
      const url = Url.build(env.baseUrl, request)
      const ticket: RateBudget.Ticket = { cost: request.cost ?? 1, groups: request.groups ?? [] }
      const method = request.method ?? "GET"
      const base = { method, url: stripQuery(url), stream: request.stream }
      return Retry.run(
        env.policy,
        (attempt) => attemptOnce(env, request, url, { ...base, attempt }, ticket),
        retryHooks(env, request, ticket)
      )
    })

/**
 * Builds an executor from the client and budget in context; it counts into the
 * `SourceStats` in context when there is one, else into fresh counters of its own.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<HttpSource, never, HttpClient.HttpClient | RateBudget.RateBudget> =>
  Effect.gen(function* () {
    const client = Wire.client(yield* HttpClient.HttpClient)
    const stats = Option.getOrElse(yield* Effect.serviceOption(SourceStats.SourceStats), SourceStats.unsafeMake)
    const headers = staticHeaders(options)
    const env: Env = {
      client,
      budget: yield* RateBudget.RateBudget,
      stats,
      policy: Retry.policy(options.retry),
      baseUrl: options.baseUrl,
      headers,
      getTemplate: HttpClientRequest.get("/", { headers }),
      timeoutMillis: Duration.toMillis(Duration.decode(options.timeout ?? Duration.seconds(60))),
      secretQueryParams: new Set((options.secretQueryParams ?? []).map((name) => name.toLowerCase()))
    }
    return { request: requestWith(env), stats, budget: env.budget, retryPolicy: env.policy }
  })

/**
 * A layer with the run's executor and its counters (the `SourceStats` given to it, or a
 * fresh one).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options
): Layer.Layer<HttpSource | SourceStats.SourceStats, never, HttpClient.HttpClient | RateBudget.RateBudget> =>
  Layer.effectContext(
    Effect.map(make(options), (source) =>
      Context.make(HttpSource, source).pipe(Context.add(SourceStats.SourceStats, source.stats))
    )
  )
