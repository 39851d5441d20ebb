// the cap on requests in flight: a count of places, and a line of requests waiting for one.
// Effect's semaphore takes even a free permit through an async step of its own, and every
// request of a run passes here, so a free place is taken with a plain count and only a
// request that has to wait goes through a Deferred. A place a request gives back is
// handed to the head of the line directly, so a request arriving later never overtakes
// one that waits.
import { Deferred, Effect, Exit, FiberId } from "effect"

export interface InFlight {
  /** runs `self` while holding one of the places, waiting in line for one when none is free */
  readonly withPlace: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** places taken now, for tests */
  readonly taken: () => number
}

export const make = (places: number): InFlight => {
  let taken = 0
  const line: Array<Deferred.Deferred<void>> = []

  const giveBack = () => {
    const next = line.shift()
    // the place goes on to the next in line, so `taken` stays as it is
    if (next !== undefined) Deferred.unsafeDone(next, Exit.void)
    else taken -= 1
  }
  const release = Effect.sync(giveBack)

  // a waiter interrupted after its turn came still holds the place it was handed
  const leaveLine = (turn: Deferred.Deferred<void>) =>
    Effect.sync(() => {
      const at = line.indexOf(turn)
      if (at >= 0) line.splice(at, 1)
      else giveBack()
    })

  const withPlace = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.uninterruptibleMask((restore) => {
      if (taken < places) {
        taken += 1
        return Effect.ensuring(restore(self), release)
      }
      const turn = Deferred.unsafeMake<void>(FiberId.none)
      line.push(turn)
      return Effect.zipRight(
        Effect.onInterrupt(restore(Deferred.await(turn)), () => leaveLine(turn)),
        Effect.ensuring(restore(self), release)
      )
    })

  return { withPlace, taken: () => taken }
}
