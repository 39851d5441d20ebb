/**
 * One rate budget shared by every request of a run, across streams.
 *
 * A budget holds an overall limit counted in credits (a request costs 1 unless it asks
 * for embeds the API charges extra for) and named sub-limits counted in calls (such as
 * one list endpoint's), each per fixed window of the server. Limits are seeded from
 * configuration, scaled by `share`, and corrected from the answers' headers; a limit left
 * unknown is learned from the first answer (`X-RateLimit-Total`) or, for a sub-limit,
 * from the calls that led to its first 429.
 *
 * The server's window starts at a request the client cannot see, so the budget paces
 * evenly (virtual scheduling: each request reserves `cost × window / limit` of time)
 * instead of bursting, and keeps a small reserve so no fixed window of the server ever
 * sees more than the limit. `X-RateLimit-Remaining` is truth: a window the headers say is
 * spent is waited out. A 429 pauses only the limit it hit until its `Retry-After`: the
 * request's own sub-limit when the overall limit still had room by the last headers,
 * otherwise the overall limit. Requests in flight are capped by `maxInFlight`; within
 * that cap the pace alone decides, so slow answers simply mean more requests in flight.
 *
 * @since 0.1.0
 */
import { Clock, Context, Deferred, Duration, Effect, Exit, FiberId, Layer } from "effect"
import * as InFlight from "./internal/inFlight.ts"
import * as Lane from "./internal/lane.ts"

/**
 * Names of the response headers that report a limit.
 *
 * @since 0.1.0
 * @category models
 */
export interface HeaderNames {
  /** the limit per window */
  readonly total: string
  /** what the window has left after this request */
  readonly remaining: string
  /** what this request cost */
  readonly used: string
}

/**
 * Freshdesk's header names, the default of the overall limit.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultHeaders: HeaderNames = {
  total: "X-RateLimit-Total",
  remaining: "X-RateLimit-Remaining",
  used: "X-RateLimit-Used-CurrentRequest"
}

/**
 * One sub-limit, counted in calls; `headers` names its own response headers when the API
 * sends them.
 *
 * @since 0.1.0
 * @category models
 */
export interface GroupOptions {
  readonly limit?: number
  readonly headers?: HeaderNames
}

/**
 * How a budget is configured.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** the server's fixed window (default 1 minute) */
  readonly window?: Duration.DurationInput
  /** the overall limit in credits per window; learned from the headers when left out */
  readonly overall?: { readonly limit?: number }
  /** named sub-limits in calls per window; learned from a 429 when left out */
  readonly groups?: Readonly<Record<string, GroupOptions>>
  /** the share (0 to 1) of every limit this run may use (default 1) */
  readonly share?: number
  /** requests in flight at most (default 16) */
  readonly maxInFlight?: number
  /** the overall limit's header names (default {@link defaultHeaders}) */
  readonly headers?: HeaderNames
}

/**
 * What a request asks of the budget: its cost in credits and the sub-limits it counts
 * against.
 *
 * @since 0.1.0
 * @category models
 */
export interface Ticket {
  readonly cost: number
  readonly groups: ReadonlyArray<string>
}

/**
 * How a request got through the budget.
 *
 * @since 0.1.0
 * @category models
 */
export interface Admission {
  readonly admittedAt: number
  /** time spent waiting for the pace */
  readonly paceMillis: number
  /** time spent waiting for a pause or a spent window */
  readonly pauseMillis: number
  /** each limit's count of units admitted up to this request, for {@link RateBudget.observe} */
  readonly marks: ReadonlyArray<number>
}

/**
 * The state of one limit, for progress and tests.
 *
 * @since 0.1.0
 * @category models
 */
export interface LimitState {
  readonly name: string
  readonly unit: "credits" | "calls"
  readonly limit: number | undefined
  readonly effectiveLimit: number | undefined
  readonly available: number | undefined
  readonly pausedUntil: number
}

/**
 * The rate budget of a run.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateBudget {
  readonly maxInFlight: number
  /** waits for the budget, then runs `use` while holding one of the in-flight places */
  readonly run: <A, E, R>(
    ticket: Ticket,
    use: (admission: Admission) => Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E, R>
  /**
   * corrects the limits from an answer's headers (lower-case names); pass the request's
   * admission so that answers arriving out of order are read in the order sent
   */
  readonly observe: (
    ticket: Ticket,
    headers: Readonly<Record<string, string>>,
    admission?: Admission
  ) => Effect.Effect<void>
  /** pauses the limit a 429 hit for `retryAfter`, and says which one it was */
  readonly rateLimited: (ticket: Ticket, retryAfter: Duration.Duration) => Effect.Effect<string>
  readonly limits: Effect.Effect<ReadonlyArray<LimitState>>
}

/**
 * The service tag of the run's {@link RateBudget}.
 *
 * @since 0.1.0
 * @category tags
 */
export const RateBudget: Context.Tag<RateBudget, RateBudget> = Context.GenericTag<RateBudget>(
  "@landed/http-source/RateBudget"
)

/**
 * The name of the overall limit in {@link LimitState} and in logs.
 *
 * @since 0.1.0
 * @category constants
 */
export const overallName = "overall"

const lowerHeaders = (names: HeaderNames): Lane.HeaderNames => ({
  total: names.total.toLowerCase(),
  remaining: names.remaining.toLowerCase(),
  used: names.used.toLowerCase()
})

const checkOptions = (options: Options): void => {
  const share = options.share ?? 1
  if (!(share > 0 && share <= 1)) throw new RangeError(`\`share\` must be in (0, 1], got ${share}`)
  const maxInFlight = options.maxInFlight ?? 16
  if (!(Number.isInteger(maxInFlight) && maxInFlight >= 1)) {
    throw new RangeError(`\`maxInFlight\` must be a whole number of at least 1, got ${maxInFlight}`)
  }
}

interface State {
  readonly windowMillis: number
  readonly share: number
  readonly overall: Lane.Lane
  readonly groups: Map<string, Lane.Lane>
  readonly groupOptions: Readonly<Record<string, GroupOptions>>
  readonly lines: Map<string, Line>
  probe: Effect.Latch | undefined
  /**
   * completed (and replaced) when an answer may let waiting requests go earlier: it
   * showed a new window, or brought a lane's next slot earlier
   */
  earlier: Deferred.Deferred<void>
}

const makeState = (options: Options): State => {
  const windowMillis = Duration.toMillis(Duration.decode(options.window ?? Duration.minutes(1)))
  const share = options.share ?? 1
  const overall = Lane.makeLane({
    name: overallName,
    unit: "credits",
    windowMillis,
    share,
    limit: options.overall?.limit,
    headers: lowerHeaders(options.headers ?? defaultHeaders)
  })
  const state: State = {
    windowMillis,
    share,
    overall,
    groups: new Map(),
    groupOptions: options.groups ?? {},
    lines: new Map(),
    probe: undefined,
    earlier: Deferred.unsafeMake<void>(FiberId.none)
  }
  for (const name of Object.keys(state.groupOptions)) groupLane(state, name)
  return state
}

const groupLane = (state: State, name: string): Lane.Lane => {
  const existing = state.groups.get(name)
  if (existing !== undefined) return existing
  const options = state.groupOptions[name]
  const lane = Lane.makeLane({
    name,
    unit: "calls",
    windowMillis: state.windowMillis,
    share: state.share,
    limit: options?.limit,
    headers: options?.headers === undefined ? undefined : lowerHeaders(options.headers)
  })
  state.groups.set(name, lane)
  return lane
}

const lanesOf = (state: State, ticket: Ticket): ReadonlyArray<Lane.Lane> =>
  ticket.groups.length === 0 ? [state.overall] : [state.overall, ...ticket.groups.map((g) => groupLane(state, g))]

// while a limit is unknown, one request goes first so its answer can name the limit
const awaitProbe = (state: State, lanes: ReadonlyArray<Lane.Lane>): Effect.Effect<boolean> =>
  Effect.suspend(() => {
    if (!lanes.some((lane) => lane.probing)) return Effect.succeed(false)
    if (state.probe === undefined) {
      state.probe = Effect.unsafeMakeLatch(false)
      return Effect.succeed(true)
    }
    return Effect.zipRight(state.probe.await, awaitProbe(state, lanes))
  })

const endProbe = (state: State): Effect.Effect<void> =>
  Effect.suspend(() => {
    const latch = state.probe
    state.probe = undefined
    // a probe that got no answer leaves its lanes probing: the next request probes again
    return latch === undefined ? Effect.void : latch.open
  })

// the common case (the pace allows it now, nothing paused) takes no sleep and no loop
const admitNow = (lanes: ReadonlyArray<Lane.Lane>, ticket: Ticket, now: number): Admission | undefined => {
  if (Lane.nextSlot(lanes, ticket.cost, now) > now || Lane.blockedUntil(lanes, ticket.cost, now) > now) return undefined
  Lane.reserve(lanes, ticket.cost, now)
  return { admittedAt: now, paceMillis: 0, pauseMillis: 0, marks: Lane.admit(lanes, ticket.cost, now) }
}

// A waiting request reserves nothing until it goes. Reserving its slot ahead would move
// the pace of every limit it counts against to that slot, and when one limit sets the slot
// (a sub-limit), the others' time before it would be lost to every other request: four
// ticket readers waiting on the ticket-list limit held the overall limit so far ahead that
// contacts got a quarter of what was left to them. Waking at the slot and trying again
// lets any request use a limit's time that nobody else can.
// sleeps for `millis`, or less when an answer completes `earlier` (State.earlier) first
const sleepUnlessEarlier = (earlier: Deferred.Deferred<void>, millis: number): Effect.Effect<void> =>
  Effect.raceFirst(Effect.sleep(Duration.millis(millis)), Deferred.await(earlier))

const waitForSlot = (
  state: State,
  lanes: ReadonlyArray<Lane.Lane>,
  ticket: Ticket,
  start: number
): Effect.Effect<Admission> =>
  Effect.gen(function* () {
    let now = yield* Clock.currentTimeMillis
    // time spent behind others in the line is time spent waiting for the pace
    let paceMillis = now - start
    // the slot last slept for: the clock may wake a hair before it, which still counts
    let reached = Number.NEGATIVE_INFINITY
    let at = now
    // bounded: each round sleeps until a slot, a pause or a window reset, or until an
    // answer brought the slot earlier, and a slot only moves on when another request went
    // in the meantime
    for (let round = 0; round < 10_000; round++) {
      const slot = Lane.nextSlot(lanes, ticket.cost, now)
      if (slot > now && slot > reached) {
        // an answer can bring the slot earlier (a new window ends a slow-down): wake then
        const earlier = state.earlier
        yield* sleepUnlessEarlier(earlier, slot - now)
        reached = earlier === state.earlier ? slot : Number.NEGATIVE_INFINITY
        const woke = yield* Clock.currentTimeMillis
        paceMillis += woke - now
        now = woke
        continue
      }
      const blocked = Lane.blockedUntil(lanes, ticket.cost, now)
      if (blocked <= now) {
        at = Math.max(now, slot)
        break
      }
      // a window taken for spent until its latest end may turn out to have reset already
      yield* sleepUnlessEarlier(state.earlier, blocked - now)
      now = yield* Clock.currentTimeMillis
    }
    Lane.reserve(lanes, ticket.cost, at)
    const marks = Lane.admit(lanes, ticket.cost, now)
    return { admittedAt: now, paceMillis, pauseMillis: now - start - paceMillis, marks }
  })

// Requests that count against the same limits wait in one line, and only its head
// watches the clock: the others would wake at the same slots only to find them taken.
// Lines of other limits wait side by side, so a request held by its own sub-limit never
// holds one that only needs the overall limit.
interface Line {
  readonly head: Effect.Semaphore
  waiting: number
}

const lineOf = (state: State, ticket: Ticket): Line => {
  const key = ticket.groups.join("\u0000")
  const existing = state.lines.get(key)
  if (existing !== undefined) return existing
  const line: Line = { head: Effect.unsafeMakeSemaphore(1), waiting: 0 }
  state.lines.set(key, line)
  return line
}

const leaveLine = (line: Line) =>
  Effect.sync(() => {
    line.waiting -= 1
  })

const admission = (state: State, ticket: Ticket): Effect.Effect<Admission> =>
  Effect.suspend(() => {
    const lanes = lanesOf(state, ticket)
    const line = lineOf(state, ticket)
    return Effect.flatMap(Clock.currentTimeMillis, (now) => {
      // a request that arrives while others wait goes behind them
      const admitted = line.waiting === 0 ? admitNow(lanes, ticket, now) : undefined
      if (admitted !== undefined) return Effect.succeed(admitted)
      line.waiting += 1
      return Effect.ensuring(line.head.withPermits(1)(waitForSlot(state, lanes, ticket, now)), leaveLine(line))
    })
  })

const runWith =
  (state: State, inFlight: InFlight.InFlight) =>
  <A, E, R>(ticket: Ticket, use: (admission: Admission) => Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    inFlight.withPlace(
      Effect.clockWith((clock) => {
        const lanes = lanesOf(state, ticket)
        // the common case (limits known, nobody waiting, the pace allows it now) in this
        // one step: every request of a run passes here
        if (!lanes.some((lane) => lane.probing) && lineOf(state, ticket).waiting === 0) {
          const admitted = admitNow(lanes, ticket, clock.unsafeCurrentTimeMillis())
          if (admitted !== undefined) return use(admitted)
        }
        return Effect.flatMap(awaitProbe(state, lanes), (isProbe) => {
          const admitted = Effect.flatMap(admission(state, ticket), use)
          return isProbe ? Effect.ensuring(admitted, endProbe(state)) : admitted
        })
      })
    )

const observeWith =
  (state: State) => (ticket: Ticket, headers: Readonly<Record<string, string>>, admission?: Admission) =>
    Effect.clockWith((clock) => {
      const now = clock.unsafeCurrentTimeMillis()
      const lanes = lanesOf(state, ticket)
      let earlier = false
      lanes.forEach((lane, i) => {
        const mark = admission?.marks[i] ?? lane.admitted
        const admittedAt = admission?.admittedAt ?? now
        const tat = lane.tat
        const newWindow = Lane.observe(lane, headers, { cost: ticket.cost, mark, admittedAt, answeredAt: now })
        if (newWindow || lane.tat < tat) earlier = true
      })
      if (earlier) {
        Deferred.unsafeDone(state.earlier, Exit.void)
        state.earlier = Deferred.unsafeMake<void>(FiberId.none)
      }
      return Effect.void
    })

// the overall limit had room by the last headers, less what other clients are expected
// to have spent since, or no headers were ever seen and the request counts against a
// sub-limit; a 429 the account's other clients caused is not taken for a sub-limit's
const overallHadRoom = (state: State, ticket: Ticket, now: number): boolean => {
  const left = Lane.available(state.overall, now)
  return ticket.groups.length > 0 && (left === undefined || left >= 0)
}

const rateLimitedWith = (state: State) => (ticket: Ticket, retryAfter: Duration.Duration) =>
  Effect.map(Clock.currentTimeMillis, (now) => {
    const wait = Duration.toMillis(retryAfter)
    if (!overallHadRoom(state, ticket, now)) {
      Lane.pause(state.overall, wait, now)
      return overallName
    }
    const hit = ticket.groups.map((g) => groupLane(state, g))
    for (const lane of hit) Lane.pause(lane, wait, now)
    return ticket.groups.join(",")
  })

const limitState = (lane: Lane.Lane): LimitState => ({
  name: lane.name,
  unit: lane.unit,
  limit: lane.limit,
  effectiveLimit: Lane.effectiveLimit(lane),
  available: Lane.available(lane),
  pausedUntil: lane.pausedUntil
})

/**
 * Builds a budget; throws a `RangeError` at construction on a `share` outside (0, 1] or a
 * `maxInFlight` below 1.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<RateBudget> =>
  Effect.sync(() => {
    checkOptions(options)
    const state = makeState(options)
    const maxInFlight = options.maxInFlight ?? 16
    return {
      maxInFlight,
      run: runWith(state, InFlight.make(maxInFlight)),
      observe: observeWith(state),
      rateLimited: rateLimitedWith(state),
      limits: Effect.sync(() => [limitState(state.overall), ...[...state.groups.values()].map(limitState)])
    }
  })

/**
 * A layer with one budget for the run.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<RateBudget> => Layer.effect(RateBudget, make(options))

/**
 * A budget with no configured limit (one the server's headers name is still obeyed) and
 * 64 requests in flight, for tests and local servers.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerUnlimited: Layer.Layer<RateBudget> = layer({
  overall: { limit: Number.POSITIVE_INFINITY },
  maxInFlight: 64
})
