import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Duration, Effect, Exit, Fiber, Option, TestClock } from "effect"
import { HttpSourceError, type Reason } from "../src/HttpSourceError.ts"
import * as Retry from "../src/Retry.ts"
import * as Logs from "./support/Logs.ts"

const failure = (reason: Reason, retryAfter?: Duration.Duration) =>
  new HttpSourceError({
    reason,
    message: `answered ${reason}`,
    method: "GET",
    url: "http://127.0.0.1/items",
    stream: "items",
    ...(retryAfter === undefined ? {} : { retryAfter })
  })

// an attempt function that fails with the scripted errors in turn, then succeeds, and
// records the (test) clock time of every attempt
const scripted = (errors: ReadonlyArray<HttpSourceError>) => {
  const times: Array<number> = []
  const attempt = (n: number) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      times.push(now)
      const error = errors[n - 1]
      return error === undefined ? Effect.succeed(`ok after ${n}`) : Effect.fail(error)
    })
  return { times, attempt }
}

describe("Retry", () => {
  describe("parseRetryAfter", () => {
    it("reads whole and decimal seconds", () => {
      expect(Retry.parseRetryAfter("30", 0)).toEqual(Option.some(Duration.seconds(30)))
      expect(Retry.parseRetryAfter("0.25", 0)).toEqual(Option.some(Duration.millis(250)))
    })

    it("reads an HTTP date relative to now, a past date meaning no wait", () => {
      const now = Date.parse("2024-05-01T10:00:00Z")

      expect(Retry.parseRetryAfter("Wed, 01 May 2024 10:01:30 GMT", now)).toEqual(Option.some(Duration.seconds(90)))
      expect(Retry.parseRetryAfter("Wed, 01 May 2024 09:00:00 GMT", now)).toEqual(Option.some(Duration.zero))
    })

    it("gives none for a missing or unreadable value", () => {
      expect(Retry.parseRetryAfter(undefined, 0)).toEqual(Option.none())
      expect(Retry.parseRetryAfter("soon", 0)).toEqual(Option.none())
      expect(Retry.parseRetryAfter("-5", 0)).toEqual(Option.none())
    })
  })

  describe("backoff", () => {
    test.prop([fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })])(
      "stays between zero and the doubled base capped at maxDelay",
      (retry, random) => {
        const delay = Duration.toMillis(Retry.backoff(Retry.defaultPolicy, retry, random))

        expect(delay).toBeGreaterThanOrEqual(0)
        expect(delay).toBeLessThanOrEqual(Math.min(60_000, 1000 * 2 ** (retry - 1)))
      }
    )
  })

  describe("run", () => {
    it.effect("retries transient failures until one succeeds", () =>
      Effect.gen(function* () {
        const { attempt } = scripted([failure("ServerError"), failure("Transport"), failure("MalformedBody")])

        const fiber = yield* Effect.fork(Retry.run(Retry.defaultPolicy, attempt))
        yield* TestClock.adjust("10 minutes")

        expect(yield* Fiber.join(fiber)).toBe("ok after 4")
      })
    )

    it.effect("does not retry a permanent failure", () =>
      Effect.gen(function* () {
        const { times, attempt } = scripted([failure("Forbidden")])

        const exit = yield* Effect.exit(Retry.run(Retry.defaultPolicy, attempt))

        expect(times).toHaveLength(1)
        expect(exit).toEqual(Exit.fail(expect.objectContaining({ reason: "Forbidden", attempt: 1 })))
      })
    )

    it.effect("gives up after maxAttempts with backoffs inside the jitter bounds", () =>
      Effect.gen(function* () {
        const { times, attempt } = scripted(Array.from({ length: 20 }, () => failure("ServerError")))

        const fiber = yield* Effect.fork(Effect.either(Retry.run(Retry.defaultPolicy, attempt)))
        yield* TestClock.adjust("10 minutes")
        const result = yield* Fiber.join(fiber)

        expect(times).toHaveLength(8)
        const gaps = times.slice(1).map((t, i) => t - times[i]!)
        const caps = gaps.map((_, i) => Math.min(60_000, 1000 * 2 ** i))
        expect(gaps.every((gap, i) => gap <= caps[i]!)).toBe(true)
        expect(result._tag === "Left" && result.left.message).toContain("gave up after 8 attempts")
      })
    )

    it.effect("stops when the next backoff would pass maxElapsed", () =>
      Effect.gen(function* () {
        const policy = Retry.policy({
          maxAttempts: 100,
          maxElapsed: Duration.seconds(5),
          baseDelay: Duration.seconds(2)
        })
        const { times, attempt } = scripted(Array.from({ length: 100 }, () => failure("Transport")))

        const fiber = yield* Effect.fork(Effect.either(Retry.run(policy, attempt)))
        yield* TestClock.adjust("1 minute")
        const result = yield* Fiber.join(fiber)

        expect(times[times.length - 1]!).toBeLessThanOrEqual(5000)
        expect(result._tag).toBe("Left")
      })
    )

    it.effect("waits out each Retry-After exactly, outside the attempt and time bounds", () =>
      Effect.gen(function* () {
        const policy = Retry.policy({ maxAttempts: 3, maxElapsed: Duration.seconds(10) })
        const limited = Array.from({ length: 10 }, () => failure("RateLimited", Duration.seconds(30)))
        const { times, attempt } = scripted(limited)

        const fiber = yield* Effect.fork(Retry.run(policy, attempt))
        yield* TestClock.adjust("299 seconds")
        const before = times.length
        yield* TestClock.adjust("1 second")

        expect(before).toBe(10)
        expect(yield* Fiber.join(fiber)).toBe("ok after 11")
        expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual(Array.from({ length: 10 }, () => 30_000))
      })
    )

    it.effect("fails a Retry-After longer than longestRetryAfter with a message that names it", () =>
      Effect.gen(function* () {
        const { times, attempt } = scripted([failure("RateLimited", Duration.hours(2))])

        const exit = yield* Effect.either(Retry.run(Retry.defaultPolicy, attempt))

        expect(times).toHaveLength(1)
        expect(exit._tag === "Left" && exit.left.message).toMatch(/Retry-After of 2h.*longestRetryAfter/)
      })
    )

    it.effect("bounds the number of Retry-After waits", () =>
      Effect.gen(function* () {
        const policy = Retry.policy({ maxRateLimitWaits: 3 })
        const { times, attempt } = scripted(
          Array.from({ length: 10 }, () => failure("RateLimited", Duration.seconds(1)))
        )

        const fiber = yield* Effect.fork(Effect.either(Retry.run(policy, attempt)))
        yield* TestClock.adjust("1 minute")
        const result = yield* Fiber.join(fiber)

        expect(times).toHaveLength(4)
        expect(result._tag === "Left" && result.left.message).toContain("gave up after 3 rate-limit waits")
      })
    )

    it.effect("logs each retry at Warning with its reason and delay", () => {
      const logs = Logs.capture()
      return Effect.gen(function* () {
        const { attempt } = scripted([failure("RateLimited", Duration.seconds(7)), failure("ServerError")])

        const fiber = yield* Effect.fork(Retry.run(Retry.defaultPolicy, attempt))
        yield* TestClock.adjust("1 minute")
        yield* Fiber.join(fiber)

        const warnings = logs.lines.filter((line) => line.level === "WARN")
        expect(warnings.map((line) => line.message)).toEqual(["retrying request", "retrying request"])
        expect(warnings[0]!.annotations).toMatchObject({ "retry.reason": "RateLimited", "retry.delay_ms": 7000 })
        expect(warnings[1]!.annotations).toMatchObject({ "retry.reason": "ServerError", "source.stream": "items" })
      }).pipe(Effect.provide(logs.layer))
    })
  })
})
