// one account's rate limit as the server keeps it (a fixed window opened by its first
// request, every admitted request charged in full, a refused one not at all, Retry-After
// in whole seconds, no limit headers on a 429) and clients that each hold their own
// budget and see each other only through the answers, all on the test clock
import { Clock, Duration, Effect } from "effect"
import type * as RateBudget from "../../src/RateBudget.ts"

export interface Account {
  readonly limit: number
  readonly windowMillis: number
  start: number
  used: number
  credits: number
  refused: number
  firstAt: number | undefined
  lastAt: number
}

export const account = (limit: number, windowMillis: number): Account => ({
  limit,
  windowMillis,
  start: Number.NEGATIVE_INFINITY,
  used: 0,
  credits: 0,
  refused: 0,
  firstAt: undefined,
  lastAt: 0
})

type Answer =
  | { readonly status: 200; readonly headers: Record<string, string> }
  | { readonly status: 429; readonly retryAfter: Duration.Duration }

/** a request arriving at the server */
export const arrive = (acct: Account, cost: number, now: number): Answer => {
  if (now >= acct.start + acct.windowMillis) {
    acct.start = now
    acct.used = 0
  }
  acct.firstAt ??= now
  acct.lastAt = now
  if (acct.used >= acct.limit) {
    acct.refused += 1
    const seconds = Math.max(1, Math.ceil((acct.start + acct.windowMillis - now) / 1000))
    return { status: 429, retryAfter: Duration.seconds(seconds) }
  }
  acct.used += cost
  acct.credits += cost
  const headers = {
    "x-ratelimit-total": String(acct.limit),
    "x-ratelimit-remaining": String(Math.max(acct.limit - acct.used, 0)),
    "x-ratelimit-used-currentrequest": String(cost)
  }
  return { status: 200, headers }
}

export interface Client {
  readonly budget: RateBudget.RateBudget
  readonly requests: number
  readonly cost: number
  /** requests this client keeps going at once */
  readonly concurrency: number
  /** one-way time to the server and back */
  readonly latency: Duration.DurationInput
  /** when the client starts */
  readonly startAt?: Duration.DurationInput
}

// one request until it is answered: a 429 pauses its limit, waits out Retry-After and goes again
const request = (acct: Account, client: Client): Effect.Effect<void> => {
  const ticket: RateBudget.Ticket = { cost: client.cost, groups: [] }
  const once: Effect.Effect<boolean> = client.budget.run(ticket, (admission) =>
    Effect.gen(function* () {
      yield* Effect.sleep(client.latency)
      const answer = arrive(acct, client.cost, yield* Clock.currentTimeMillis)
      yield* Effect.sleep(client.latency)
      if (answer.status === 200) {
        yield* client.budget.observe(ticket, answer.headers, admission)
        return true
      }
      yield* client.budget.rateLimited(ticket, answer.retryAfter)
      yield* Effect.sleep(answer.retryAfter)
      return false
    })
  )
  return Effect.asVoid(Effect.repeat(once, { until: (done) => done }))
}

/** every request of a client, `concurrency` at a time, from its start */
export const runClient = (acct: Account, client: Client): Effect.Effect<void> =>
  Effect.zipRight(
    Effect.sleep(client.startAt ?? Duration.zero),
    Effect.forEach(
      Array.from({ length: client.requests }, () => request(acct, client)),
      (one) => one,
      { concurrency: client.concurrency, discard: true }
    )
  )

/**
 * What the account saw: the windows its busy span (first to last request) touched, 429s
 * per such window, and the credits against the limit's rate over the busy span.
 */
export const summary = (acct: Account) => {
  const busy = acct.firstAt === undefined ? 0 : acct.lastAt - acct.firstAt
  const windows = Math.max(1, Math.ceil(busy / acct.windowMillis))
  return {
    windows,
    refused: acct.refused,
    refusedPerWindow: acct.refused / windows,
    busyMillis: busy,
    share: acct.credits / (Math.max(busy, acct.windowMillis) / acct.windowMillis) / acct.limit
  }
}
