import { fc } from "@fast-check/vitest"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber } from "effect"
import * as InFlight from "../src/internal/inFlight.ts"

// a request that holds its place until its gate opens, recording when it started
const holder = (
  inFlight: InFlight.InFlight,
  started: Array<number>,
  id: number,
  gate: Deferred.Deferred<void>,
  peak: { now: number; max: number }
) =>
  inFlight.withPlace(
    Effect.suspend(() => {
      started.push(id)
      peak.now += 1
      peak.max = Math.max(peak.max, peak.now)
      return Effect.ensuring(
        Deferred.await(gate),
        Effect.sync(() => {
          peak.now -= 1
        })
      )
    })
  )

describe("InFlight", () => {
  it.effect("lets waiting requests go in the order they came, one place at a time", () =>
    Effect.gen(function* () {
      const inFlight = InFlight.make(2)
      const started: Array<number> = []
      const peak = { now: 0, max: 0 }
      const gates = yield* Effect.forEach([0, 1, 2, 3, 4], () => Deferred.make<void>())
      const fibers: Array<Fiber.RuntimeFiber<void>> = []
      for (const [id, gate] of gates.entries()) {
        fibers.push(yield* Effect.fork(holder(inFlight, started, id, gate, peak)))
        yield* Effect.yieldNow()
      }
      expect(started).toEqual([0, 1])
      yield* Deferred.succeed(gates[1]!, undefined)
      yield* Fiber.join(fibers[1]!)
      yield* Effect.yieldNow()
      expect(started).toEqual([0, 1, 2])
      for (const gate of gates) yield* Deferred.succeed(gate, undefined)
      yield* Fiber.joinAll(fibers)
      expect(started).toEqual([0, 1, 2, 3, 4])
      expect(peak.max).toBe(2)
      expect(inFlight.taken()).toBe(0)
    })
  )

  it.effect("gives a place back when the request holding it fails", () =>
    Effect.gen(function* () {
      const inFlight = InFlight.make(1)
      const failed = yield* Effect.exit(inFlight.withPlace(Effect.fail("boom")))
      expect(Exit.isFailure(failed)).toBe(true)
      expect(inFlight.taken()).toBe(0)
      expect(yield* inFlight.withPlace(Effect.succeed(7))).toBe(7)
    })
  )

  // the law: whichever requests are interrupted, and whether while waiting, just after
  // being handed a place or while holding one, no more than `places` ever run at once,
  // every request not interrupted runs, and all places are free at the end
  it("loses no place and exceeds none whatever requests are interrupted", async () => {
    const property = fc.asyncProperty(
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.record({ interrupt: fc.boolean(), at: fc.integer({ min: 0, max: 3 }) }), {
        minLength: 1,
        maxLength: 12
      }),
      async (places, requests) => {
        const program = Effect.gen(function* () {
          const inFlight = InFlight.make(places)
          const started: Array<number> = []
          const peak = { now: 0, max: 0 }
          const gates = yield* Effect.forEach(requests, () => Deferred.make<void>())
          const fibers = yield* Effect.forEach(gates, (gate, id) =>
            Effect.fork(holder(inFlight, started, id, gate, peak))
          )
          yield* Effect.yieldNow()
          // in rounds, open the gates of some holders and interrupt the requests marked so
          for (let round = 0; round <= 3; round++) {
            for (const [id, request] of requests.entries()) {
              if (request.at !== round) continue
              if (request.interrupt) yield* Fiber.interruptFork(fibers[id]!)
              else yield* Deferred.succeed(gates[id]!, undefined)
            }
            yield* Effect.yieldNow()
            expect(peak.max).toBeLessThanOrEqual(places)
          }
          for (const [id, request] of requests.entries()) {
            if (!request.interrupt) yield* Deferred.succeed(gates[id]!, undefined)
          }
          // a lost place would leave a request waiting for ever: give them every chance, then look
          for (let spin = 0; spin < 50 && fibers.some((f) => f.unsafePoll() === null); spin++) yield* Effect.yieldNow()
          expect(fibers.filter((f) => f.unsafePoll() === null).length).toBe(0)
          const exits = yield* Effect.forEach(fibers, Fiber.await)
          for (const [id, request] of requests.entries()) {
            if (!request.interrupt) {
              expect(Exit.isSuccess(exits[id]!)).toBe(true)
              expect(started).toContain(id)
            }
          }
          expect(peak.max).toBeLessThanOrEqual(places)
          expect(inFlight.taken()).toBe(0)
          expect(yield* inFlight.withPlace(Effect.succeed("free"))).toBe("free")
        })
        await Effect.runPromise(program)
      }
    )
    await fc.assert(property, { numRuns: 200 })
  })
})
