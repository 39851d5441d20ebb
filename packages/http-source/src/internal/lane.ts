// one limit of a rate budget (the overall limit or a named sub-limit) as plain mutable
// state; the budget service runs every function here synchronously inside one Effect step,
// so javascript's single thread is the lock

/** names of the response headers that report a limit, lower case */
export interface HeaderNames {
  readonly total: string
  readonly remaining: string
  readonly used: string
}

export interface Lane {
  readonly name: string
  /** the overall lane counts credits; a sub-limit counts calls */
  readonly unit: "credits" | "calls"
  readonly windowMillis: number
  readonly share: number
  readonly headers: HeaderNames | undefined
  /** the server's limit per window, configured or learned; undefined while unknown */
  limit: number | undefined
  /** true until the first answer tells whether the headers carry a limit */
  probing: boolean
  /** milliseconds per unit at the current pace; 0 leaves the lane unpaced */
  interval: number
  /** theoretical arrival time of the next unit (virtual scheduling) */
  tat: number
  pausedUntil: number
  /** units the server still allows in its window, by the last headers less what left since */
  available: number | undefined
  /** when the server's current window ends, when an answer showed where it began */
  resetAt: number | undefined
  /** the largest cost of one request seen, which the pace keeps in reserve */
  maxCost: number
  /** admission times within the last window, to learn a limit from a 429 */
  readonly recent: Array<number>
}

export const makeLane = (options: {
  readonly name: string
  readonly unit: "credits" | "calls"
  readonly windowMillis: number
  readonly share: number
  readonly limit: number | undefined
  readonly headers: HeaderNames | undefined
}): Lane => {
  const lane: Lane = {
    ...options,
    probing: options.limit === undefined && options.headers !== undefined,
    interval: 0,
    tat: 0,
    pausedUntil: 0,
    available: undefined,
    resetAt: undefined,
    maxCost: 1,
    recent: []
  }
  repace(lane)
  return lane
}

/**
 * The units per window the lane may spend: its share of the limit, less the largest cost
 * (an even pace can land one whole request past the window's edge) and 1% for the jitter
 * of the network, so that no fixed window of the server sees more than its limit.
 */
export const effectiveLimit = (lane: Lane): number | undefined => {
  if (lane.limit === undefined || lane.limit === Number.POSITIVE_INFINITY) return lane.limit
  const share = lane.limit * lane.share
  const headroom = lane.maxCost + Math.ceil(share * 0.01)
  return Math.max(share / 2, share - headroom)
}

export const repace = (lane: Lane): void => {
  const effective = effectiveLimit(lane)
  lane.interval = effective === undefined || effective <= 0 ? 0 : lane.windowMillis / effective
}

const costIn = (lane: Lane, cost: number): number => (lane.unit === "credits" ? cost : 1)

// a request dearer than any before needs the extra reserve before it, not after
const raiseMaxCost = (lane: Lane, cost: number): void => {
  if (lane.unit !== "credits" || cost <= lane.maxCost) return
  const extra = cost - lane.maxCost
  lane.maxCost = cost
  repace(lane)
  if (lane.interval > 0) lane.tat += extra * lane.interval
}

/** the first time every lane admits a request of this cost; reserves it by moving the pace on */
export const reserve = (lanes: ReadonlyArray<Lane>, cost: number, now: number): number => {
  let slot = now
  for (const lane of lanes) {
    raiseMaxCost(lane, cost)
    if (lane.pausedUntil > slot) slot = lane.pausedUntil
    if (lane.interval > 0 && lane.tat > slot) slot = lane.tat
  }
  for (const lane of lanes) {
    if (lane.interval > 0) lane.tat = slot + costIn(lane, cost) * lane.interval
  }
  return slot
}

/** when a reserved request must wait again: a pause began, or the server's window is spent */
export const blockedUntil = (lanes: ReadonlyArray<Lane>, cost: number, now: number): number => {
  let until = 0
  for (const lane of lanes) {
    if (lane.pausedUntil > now && lane.pausedUntil > until) until = lane.pausedUntil
    if (lane.resetAt !== undefined && lane.resetAt <= now) {
      lane.resetAt = undefined
      lane.available = undefined
    }
    const spent = lane.available !== undefined && lane.available < costIn(lane, cost)
    if (spent && lane.resetAt !== undefined && lane.resetAt > until) until = lane.resetAt
  }
  return until
}

export const admit = (lanes: ReadonlyArray<Lane>, cost: number, now: number): void => {
  for (const lane of lanes) {
    const units = costIn(lane, cost)
    if (lane.available !== undefined) lane.available -= units
    lane.recent.push(now)
    while (lane.recent.length > 0 && lane.recent[0]! <= now - lane.windowMillis) lane.recent.shift()
  }
}

const readNumber = (headers: Readonly<Record<string, string>>, name: string): number | undefined => {
  const value = headers[name]
  if (value === undefined || value === "") return undefined
  const n = Number(value)
  return Number.isFinite(n) && n >= 0 ? n : undefined
}

const learnLimit = (lane: Lane, total: number | undefined): void => {
  lane.probing = false
  if (total === undefined || total === lane.limit || total <= 0) return
  lane.limit = total
  repace(lane)
}

/**
 * Corrects a lane from an answer's headers: `Total` is the server's limit, `Remaining`
 * less the units still in flight is what the window has left, and an answer whose
 * `Remaining` is `Total` less its own cost opened a new window.
 */
export const observe = (
  lane: Lane,
  headers: Readonly<Record<string, string>>,
  timing: { readonly cost: number; readonly outstanding: number; readonly receivedAt: number }
): void => {
  if (lane.headers === undefined) return
  const total = readNumber(headers, lane.headers.total)
  const remaining = readNumber(headers, lane.headers.remaining)
  const used = readNumber(headers, lane.headers.used) ?? costIn(lane, timing.cost)
  learnLimit(lane, total)
  raiseMaxCost(lane, used)
  if (remaining === undefined) return
  lane.available = remaining - Math.max(0, timing.outstanding - costIn(lane, timing.cost))
  if (total !== undefined && remaining + used >= total) lane.resetAt = timing.receivedAt + lane.windowMillis
}

/** calls admitted to the lane in the last window */
export const recentCount = (lane: Lane, now: number): number => {
  let count = 0
  for (const at of lane.recent) if (at > now - lane.windowMillis) count += 1
  return count
}

/**
 * Pauses a lane that answered 429 until its `Retry-After`, when the window resets. A lane
 * whose limit is unknown (or wrong) learns it from the calls it let through in the last
 * window, which the server counted at most.
 */
export const pause = (lane: Lane, waitMillis: number, now: number): void => {
  const until = now + waitMillis
  lane.pausedUntil = Math.max(lane.pausedUntil, until)
  lane.tat = Math.max(lane.tat, until)
  lane.resetAt = until
  lane.available = undefined
  lane.probing = false
  if (lane.headers !== undefined && lane.unit === "credits" && lane.limit !== undefined) return
  const seen = Math.max(1, recentCount(lane, now))
  if (lane.limit === undefined || seen < lane.limit) {
    lane.limit = seen
    repace(lane)
  }
}
