/**
 * Freshdesk's rate limits: fixed windows that start with their first request.
 *
 * The account limit counts credits (1 per call, plus 2 per ticket include); the
 * ticket-list and contact-list sub-limits count calls. Each limit has its own
 * window, which opens with the first request it counts and closes `windowMs`
 * later, never aligned to the clock. A request is refused when a limit it
 * counts against is already used up; a request that is let in is charged in
 * full even if that overshoots, as the real throttler increments before it
 * looks.
 *
 * @since 0.1.0
 */
import type { RateLimits } from "./Options.ts"

/**
 * Which sub-limit a request also counts against.
 *
 * @since 0.1.0
 * @category models
 */
export type SubLimit = "ticketList" | "contactList" | undefined

/**
 * The result of admitting a request.
 *
 * @since 0.1.0
 * @category models
 */
export type Admission = { readonly _tag: "Admitted" } | Refused

/**
 * A refusal: which limit is used up and how long until its window resets.
 *
 * @since 0.1.0
 * @category models
 */
export interface Refused {
  readonly _tag: "Refused"
  readonly retryAfterSeconds: number
  readonly limit: keyof RateLimits
}

// Known gap: the ticket create and update sub-limits are not modelled, as the
// simulator serves no write routes; they would be two more keys here.
interface Window {
  start: number
  used: number
}

/**
 * The counters of one account.
 *
 * @since 0.1.0
 * @category models
 */
export class RateLimiter {
  private readonly windows = new Map<keyof RateLimits, Window>()

  constructor(
    private limits: RateLimits,
    private windowMs: number
  ) {}

  /** changes the limits and window length; running windows keep their counts */
  configure(limits: RateLimits, windowMs: number): void {
    this.limits = limits
    this.windowMs = windowMs
  }

  /** forgets every window */
  reset(): void {
    this.windows.clear()
  }

  /** lets a request in (charging 1 credit and 1 call) or refuses it with a Retry-After */
  admit(now: number, sub: SubLimit): Admission {
    const keys: Array<keyof RateLimits> = sub === undefined ? ["overall"] : ["overall", sub]
    const refusals = keys.flatMap((key) => this.refusal(key, now))
    // when several limits are used up, the client must wait for the last one
    const longest = refusals.sort((a, b) => b.retryAfterSeconds - a.retryAfterSeconds)[0]
    if (longest !== undefined) return longest
    for (const key of keys) this.charge(key, now, 1)
    return { _tag: "Admitted" }
  }

  /** adds credits to the account window (embeds are charged after the request ran) */
  chargeCredits(now: number, credits: number): void {
    if (credits > 0) this.charge("overall", now, credits)
  }

  /** the `X-RateLimit-*` values of the account limit, or undefined when it is unlimited */
  headers(now: number, credits: number): Record<string, string> | undefined {
    const limit = this.limits.overall
    if (limit === null) return undefined
    const used = this.current("overall", now)?.used ?? 0
    return {
      "X-RateLimit-Total": String(limit),
      "X-RateLimit-Remaining": String(Math.max(limit - used, 0)),
      "X-RateLimit-Used-CurrentRequest": String(credits)
    }
  }

  private refusal(key: keyof RateLimits, now: number): Array<Refused> {
    const limit = this.limits[key]
    const w = this.current(key, now)
    if (limit === null || w === undefined || w.used < limit) return []
    const seconds = Math.ceil((w.start + this.windowMs - now) / 1000)
    return [{ _tag: "Refused", retryAfterSeconds: Math.max(1, seconds), limit: key }]
  }

  private current(key: keyof RateLimits, now: number): Window | undefined {
    const w = this.windows.get(key)
    if (w === undefined || now >= w.start + this.windowMs) return undefined
    return w
  }

  private charge(key: keyof RateLimits, now: number, amount: number): void {
    const w = this.current(key, now)
    if (w === undefined) this.windows.set(key, { start: now, used: amount })
    else w.used += amount
  }
}
