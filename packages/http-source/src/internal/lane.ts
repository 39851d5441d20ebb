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
  /** units admitted since the budget began; an admission's mark is this count after it */
  admitted: number
  /** `Remaining` of the newest answer observed, by admission order */
  seenRemaining: number | undefined
  /** the mark of the request whose answer gave `seenRemaining` */
  seenMark: number
  /** when the server's current window ends, once an answer showed where it began */
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
    admitted: 0,
    seenRemaining: undefined,
    seenMark: 0,
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

const unitsOf = (lane: Lane, cost: number): number => (lane.unit === "credits" ? cost : 1)

/**
 * What the server still allows in its window: the newest `Remaining` less what was
 * admitted after that request (the server counts a request when it arrives, so the ones
 * admitted before it are in the figure already).
 */
export const available = (lane: Lane): number | undefined =>
  lane.seenRemaining === undefined ? undefined : lane.seenRemaining - (lane.admitted - lane.seenMark)

// a request dearer than any before needs the extra reserve before it, not after
const raiseMaxCost = (lane: Lane, cost: number): void => {
  if (lane.unit !== "credits" || cost <= lane.maxCost) return
  const extra = cost - lane.maxCost
  lane.maxCost = cost
  repace(lane)
  if (lane.interval > 0) lane.tat += extra * lane.interval
}

/** the first time every lane admits a request of this cost */
export const nextSlot = (lanes: ReadonlyArray<Lane>, cost: number, now: number): number => {
  let slot = now
  for (const lane of lanes) {
    raiseMaxCost(lane, cost)
    if (lane.pausedUntil > slot) slot = lane.pausedUntil
    if (lane.interval > 0 && lane.tat > slot) slot = lane.tat
  }
  return slot
}

/** reserves a slot by moving each lane's pace on past it */
export const reserve = (lanes: ReadonlyArray<Lane>, cost: number, slot: number): void => {
  for (const lane of lanes) {
    if (lane.interval > 0) lane.tat = slot + unitsOf(lane, cost) * lane.interval
  }
}

/**
 * When a reserved request must wait again: a pause began, or the headers say the window
 * is spent and an answer showed when it resets. A spent window whose reset is unknown
 * does not block: the request goes, and a 429 names the wait.
 */
export const blockedUntil = (lanes: ReadonlyArray<Lane>, cost: number, now: number): number => {
  let until = 0
  for (const lane of lanes) {
    if (lane.pausedUntil > now && lane.pausedUntil > until) until = lane.pausedUntil
    if (lane.resetAt !== undefined && lane.resetAt <= now) {
      lane.resetAt = undefined
      lane.seenRemaining = undefined
    }
    const left = available(lane)
    const spent = left !== undefined && left < unitsOf(lane, cost)
    if (spent && lane.resetAt !== undefined && lane.resetAt > until) until = lane.resetAt
  }
  return until
}

/** counts an admission; gives each lane's mark, which `observe` needs back */
export const admit = (lanes: ReadonlyArray<Lane>, cost: number, now: number): ReadonlyArray<number> =>
  lanes.map((lane) => {
    lane.admitted += unitsOf(lane, cost)
    lane.recent.push(now)
    while (lane.recent.length > 0 && lane.recent[0]! <= now - lane.windowMillis) lane.recent.shift()
    return lane.admitted
  })

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

export interface Observed {
  readonly cost: number
  /** the lane's mark at the request's admission */
  readonly mark: number
  readonly admittedAt: number
}

/**
 * Corrects a lane from an answer's headers: `Total` is the server's limit; `Remaining`
 * is the truth about the window unless a newer request's answer was seen already; an
 * answer whose `Remaining` is `Total` less its own cost opened a new window, which resets
 * a window's length after the request left.
 */
export const observe = (lane: Lane, headers: Readonly<Record<string, string>>, observed: Observed): void => {
  if (lane.headers === undefined) return
  const total = readNumber(headers, lane.headers.total)
  const remaining = readNumber(headers, lane.headers.remaining)
  const used = readNumber(headers, lane.headers.used) ?? unitsOf(lane, observed.cost)
  learnLimit(lane, total)
  raiseMaxCost(lane, used)
  if (remaining === undefined || observed.mark < lane.seenMark) return
  lane.seenRemaining = remaining
  lane.seenMark = observed.mark
  if (total !== undefined && remaining + used >= total) lane.resetAt = observed.admittedAt + lane.windowMillis
}

/** calls admitted to the lane in the last window */
export const recentCount = (lane: Lane, now: number): number => {
  let count = 0
  for (const at of lane.recent) if (at > now - lane.windowMillis) count += 1
  return count
}

/**
 * Pauses a lane that answered 429 until its `Retry-After`, when the window resets. A lane
 * whose limit is unknown learns it from the calls it let through in the last window,
 * which the server counted at most.
 */
export const pause = (lane: Lane, waitMillis: number, now: number): void => {
  const until = now + waitMillis
  lane.pausedUntil = Math.max(lane.pausedUntil, until)
  lane.tat = Math.max(lane.tat, until)
  lane.resetAt = until
  lane.seenRemaining = undefined
  lane.probing = false
  // Known gap: a limit learned this way can be low when an earlier run or another client
  // spent part of the window; it is never raised again within the run. Configuring the
  // limit (the plan) avoids it, and a wrong guess costs speed, not correctness.
  if (lane.limit !== undefined) return
  lane.limit = Math.max(1, recentCount(lane, now))
  repace(lane)
}
