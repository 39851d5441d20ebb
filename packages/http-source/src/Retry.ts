/**
 * The retry policy of a source: bounded exponential backoff with full jitter, and
 * `Retry-After` obeyed to the letter.
 *
 * A transient failure (see `HttpSourceError.isTransient`) is tried again after a random
 * delay between zero and `baseDelay × 2^(n-1)`, capped at `maxDelay`, for at most
 * `maxAttempts` attempts and `maxElapsed` per request. A rate-limited answer
 * that names its wait (`Retry-After`, in seconds or as an HTTP date) is waited out exactly
 * and counts against neither bound, unless it asks for more than `longestRetryAfter`: then
 * the request fails with a message that names the wait. Every retry is logged at Warning
 * with its reason and delay.
 *
 * @since 0.1.0
 */
import { Clock, Duration, Effect, Option, Random } from "effect"
import { copyWith, type HttpSourceError, isTransient } from "./HttpSourceError.ts"

/**
 * The bounds of retrying one request.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicy {
  /** attempts in all, the first included; rate-limit waits with a `Retry-After` do not count */
  readonly maxAttempts: number
  /** time one request may take from its first attempt, attempts and backoff included, `Retry-After` waits excluded */
  readonly maxElapsed: Duration.Duration
  /** the cap of the first backoff; doubles with each retry */
  readonly baseDelay: Duration.Duration
  /** the cap of any one backoff */
  readonly maxDelay: Duration.Duration
  /** the longest `Retry-After` obeyed; a longer one fails the request */
  readonly longestRetryAfter: Duration.Duration
  /** how many `Retry-After` waits one request may take (default 100), so the loop ends */
  readonly maxRateLimitWaits?: number
}

/**
 * The default policy: 8 attempts, 10 minutes of backoff, waits from 1 s doubling up to
 * 60 s, and `Retry-After` obeyed up to one hour (legacy hourly plans reset that late).
 *
 * @since 0.1.0
 * @category policies
 */
export const defaultPolicy: RetryPolicy = {
  maxAttempts: 8,
  maxElapsed: Duration.minutes(10),
  baseDelay: Duration.seconds(1),
  maxDelay: Duration.seconds(60),
  longestRetryAfter: Duration.hours(1),
  maxRateLimitWaits: 100
}

/**
 * Fills a partial policy from {@link defaultPolicy}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({ ...defaultPolicy, ...overrides })

/**
 * Reads a `Retry-After` value: whole or decimal seconds, or an HTTP date (a date in the
 * past means no wait). Anything else is `None`.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseRetryAfter = (value: string | undefined, nowMillis: number): Option.Option<Duration.Duration> => {
  if (value === undefined) return Option.none()
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Option.some(Duration.millis(Math.ceil(Number(text) * 1000)))
  const date = Date.parse(text)
  if (Number.isNaN(date) || !/[a-z]/i.test(text)) return Option.none()
  return Option.some(Duration.millis(Math.max(0, date - nowMillis)))
}

/**
 * The backoff before retry number `retry` (1 for the first retry): full jitter, a random
 * share `random` (0 to 1) of `min(maxDelay, baseDelay × 2^(retry-1))`.
 *
 * @since 0.1.0
 * @category policies
 */
export const backoff = (policy: RetryPolicy, retry: number, random: number): Duration.Duration => {
  const base = Duration.toMillis(policy.baseDelay)
  const cap = Math.min(Duration.toMillis(policy.maxDelay), base * 2 ** Math.max(0, retry - 1))
  return Duration.millis(Math.floor(cap * random))
}

/**
 * How a retried operation meets its waits; `HttpSource` pauses the rate budget here.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryHooks {
  /** waits out a `Retry-After`; the default sleeps for it */
  readonly waitRetryAfter?: (error: HttpSourceError, wait: Duration.Duration) => Effect.Effect<void>
  /** called before each backoff, after the Warning log */
  readonly onRetry?: (error: HttpSourceError, delay: Duration.Duration) => Effect.Effect<void>
}

interface LoopState {
  readonly startedAt: number
  counted: number
  rateLimitWaits: number
  excludedMillis: number
}

const withAttempt = (error: HttpSourceError, attempt: number, message?: string): HttpSourceError =>
  copyWith(error, { attempt, message: message ?? error.message })

const logRetry = (error: HttpSourceError, delay: Duration.Duration, attempt: number) =>
  Effect.logWarning("retrying request").pipe(
    Effect.annotateLogs({
      "retry.reason": error.reason,
      "retry.delay_ms": Duration.toMillis(delay),
      "retry.attempt": attempt,
      "http.method": error.method,
      "http.url": error.url,
      ...(error.status === undefined ? {} : { "http.status": error.status }),
      ...(error.stream === undefined ? {} : { "source.stream": error.stream })
    })
  )

const tooLongMessage = (error: HttpSourceError, wait: Duration.Duration, longest: Duration.Duration) =>
  `${error.method} ${error.url} was rate limited with a Retry-After of ${Duration.format(wait)}, ` +
  `longer than the longest allowed wait (\`longestRetryAfter\`, ${Duration.format(longest)}); ` +
  "run again after the limit resets or allow a longer wait"

const waitForRetryAfter = (
  error: HttpSourceError,
  wait: Duration.Duration,
  attempt: number,
  policy: RetryPolicy,
  state: LoopState,
  hooks: RetryHooks
): Effect.Effect<void, HttpSourceError> => {
  if (Duration.greaterThan(wait, policy.longestRetryAfter)) {
    return Effect.fail(withAttempt(error, attempt, tooLongMessage(error, wait, policy.longestRetryAfter)))
  }
  state.rateLimitWaits += 1
  if (state.rateLimitWaits > (policy.maxRateLimitWaits ?? 100)) {
    const message = `${error.message} (gave up after ${state.rateLimitWaits - 1} rate-limit waits)`
    return Effect.fail(withAttempt(error, attempt, message))
  }
  const sleep = hooks.waitRetryAfter?.(error, wait) ?? Effect.sleep(wait)
  return logRetry(error, wait, attempt).pipe(
    Effect.zipRight(Clock.currentTimeMillis),
    Effect.flatMap((before) =>
      Effect.zipRight(
        sleep,
        Effect.map(Clock.currentTimeMillis, (after) => {
          state.excludedMillis += after - before
        })
      )
    )
  )
}

const waitForBackoff = (
  error: HttpSourceError,
  attempt: number,
  policy: RetryPolicy,
  state: LoopState,
  hooks: RetryHooks
): Effect.Effect<void, HttpSourceError> =>
  Effect.gen(function* () {
    state.counted += 1
    if (state.counted >= policy.maxAttempts) {
      return yield* Effect.fail(withAttempt(error, attempt, `${error.message} (gave up after ${attempt} attempts)`))
    }
    const delay = backoff(policy, state.counted, yield* Random.next)
    const elapsed = (yield* Clock.currentTimeMillis) - state.startedAt - state.excludedMillis
    if (elapsed + Duration.toMillis(delay) > Duration.toMillis(policy.maxElapsed)) {
      const message = `${error.message} (gave up after ${attempt} attempts and ${Duration.format(Duration.millis(elapsed))})`
      return yield* Effect.fail(withAttempt(error, attempt, message))
    }
    yield* logRetry(error, delay, attempt)
    if (hooks.onRetry !== undefined) yield* hooks.onRetry(error, delay)
    yield* Effect.sleep(delay)
  })

/**
 * Runs `attempt` (given the attempt number, from 1) until it succeeds, fails with a
 * permanent error, or the policy's bounds are spent; the error returned carries the
 * attempt number.
 *
 * @since 0.1.0
 * @category combinators
 */
export const run = <A, R>(
  policy: RetryPolicy,
  attempt: (n: number) => Effect.Effect<A, HttpSourceError, R>,
  hooks: RetryHooks = {}
): Effect.Effect<A, HttpSourceError, R> =>
  Effect.clockWith((clock) => {
    const state: LoopState = {
      startedAt: clock.unsafeCurrentTimeMillis(),
      counted: 0,
      rateLimitWaits: 0,
      excludedMillis: 0
    }
    const loop = (n: number): Effect.Effect<A, HttpSourceError, R> =>
      Effect.catchAll(attempt(n), (error) => {
        if (!isTransient(error)) return Effect.fail(error.attempt === undefined ? withAttempt(error, n) : error)
        const wait = error.reason === "RateLimited" ? error.retryAfter : undefined
        const pause =
          wait === undefined
            ? waitForBackoff(error, n, policy, state, hooks)
            : waitForRetryAfter(error, wait, n, policy, state, hooks)
        return Effect.zipRight(
          pause,
          Effect.suspend(() => loop(n + 1))
        )
      })
    return loop(1)
  })
