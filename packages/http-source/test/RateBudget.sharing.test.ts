// several processes on one account: each has its own budget and learns of the others only
// from `X-RateLimit-Remaining` and 429s (test/support/SharedWindow.ts plays the server)
import { fc } from "@fast-check/vitest"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock, TestContext } from "effect"
import * as RateBudget from "../src/RateBudget.ts"
import * as SharedWindow from "./support/SharedWindow.ts"

interface ClientSpec {
  readonly requests: number
  readonly cost: number
  readonly concurrency: number
  readonly latencyMillis: number
  readonly startMillis?: number
  readonly limit?: number
}

// runs every client at once against one account and reports what the account saw
const share = (limit: number, windowMillis: number, specs: ReadonlyArray<ClientSpec>) =>
  Effect.gen(function* () {
    const acct = SharedWindow.account(limit, windowMillis)
    const clients = yield* Effect.forEach(specs, (spec) =>
      Effect.map(
        RateBudget.make({ window: windowMillis, overall: { limit: spec.limit ?? limit } }),
        (budget): SharedWindow.Client => ({
          budget,
          requests: spec.requests,
          cost: spec.cost,
          concurrency: spec.concurrency,
          latency: spec.latencyMillis,
          startAt: spec.startMillis ?? 0
        })
      )
    )
    const fiber = yield* Effect.fork(
      Effect.forEach(clients, (c) => SharedWindow.runClient(acct, c), { concurrency: "unbounded" })
    )
    yield* TestClock.adjust("2 hours")
    yield* Fiber.join(fiber)
    return SharedWindow.summary(acct)
  })

describe("RateBudget", () => {
  describe("with other clients on the account", () => {
    it.effect("converges two processes started together on the limit with almost no 429s", () =>
      Effect.gen(function* () {
        const client = { requests: 150, cost: 1, concurrency: 4, latencyMillis: 150 }

        const seen = yield* share(50, 20_000, [client, client])

        expect(seen.windows).toBeGreaterThanOrEqual(6)
        expect(seen.refused).toBeLessThanOrEqual(seen.windows)
        expect(seen.share).toBeGreaterThanOrEqual(0.8)
      })
    )

    it.effect("stops before the window is spent when another process opened it", () =>
      Effect.gen(function* () {
        const first = { requests: 60, cost: 3, concurrency: 2, latencyMillis: 100 }
        const second = { requests: 150, cost: 1, concurrency: 2, latencyMillis: 100, startMillis: 7_000 }

        const seen = yield* share(60, 20_000, [first, second])

        expect(seen.refused).toBeLessThanOrEqual(1)
        expect(seen.share).toBeGreaterThanOrEqual(0.8)
      })
    )

    it.effect("takes the whole limit back when the other process is done", () =>
      Effect.gen(function* () {
        const short = { requests: 30, cost: 1, concurrency: 2, latencyMillis: 50 }
        const long = { requests: 270, cost: 1, concurrency: 2, latencyMillis: 50 }

        const seen = yield* share(50, 20_000, [short, long])

        expect(seen.windows).toBeLessThanOrEqual(7)
        expect(seen.share).toBeGreaterThanOrEqual(0.85)
      })
    )

    it("keeps 429s to about one a window and is never much slower than its tightest bound", async () => {
      const spec = fc.record({
        requests: fc.integer({ min: 30, max: 120 }),
        cost: fc.constantFrom(1, 3),
        concurrency: fc.integer({ min: 1, max: 4 }),
        latencyMillis: fc.integer({ min: 0, max: 500 }),
        startMillis: fc.integer({ min: 0, max: 30_000 })
      })
      const windowMillis = 20_000
      const property = fc.asyncProperty(
        fc.integer({ min: 30, max: 120 }),
        fc.array(spec, { minLength: 2, maxLength: 3 }),
        async (limit, specs) => {
          const program = share(limit, windowMillis, specs)

          const seen = await Effect.runPromise(Effect.provide(program, TestContext.TestContext))

          // the run is bound by the limit or by the clients' own round trips, whichever is
          // slower; sharing may cost up to half of that again, plus the window a late
          // starter waits out
          const credits = specs.reduce((sum, c) => sum + c.requests * c.cost, 0)
          const paced = ((credits - limit) / limit) * windowMillis
          const roundTrips = Math.max(
            ...specs.map((c) => c.startMillis + Math.ceil(c.requests / c.concurrency) * 2 * c.latencyMillis)
          )
          expect(seen.refusedPerWindow).toBeLessThanOrEqual(2)
          expect(seen.busyMillis).toBeLessThanOrEqual(1.5 * Math.max(paced, roundTrips) + windowMillis)
        }
      )
      await fc.assert(property, { numRuns: 10, seed: 7 })
    })
  })
})
