// one limit of a rate budget (the overall limit or a named sub-limit) as plain mutable
// state; the budget service runs every function here synchronously inside one Effect step,
// so javascript's single thread is the lock
//
// other clients of the account (another process of the pipeline, the account's apps) show
// only in the headers: `Remaining` drops by more than this lane admitted. The lane learns
// how fast they spend (`othersRate`), counts that against what the window has left, paces
// what is left over the time until the window resets, and stops before the window is spent
// once it knows when the window resets (an upper bound: a window ends at most one length
// after the first answer seen in it)

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
  /**
   * `tat` at the even pace alone, without the slow-down that spreads what a window has
   * left until its reset; a new window ends that slow-down, so `tat` falls back to this
   */
  paceTat: number
  pausedUntil: number
  /** units admitted since the budget began; an admission's mark is this count after it */
  admitted: number
  /** `Remaining` of the newest answer observed, by admission order */
  seenRemaining: number | undefined
  /** the mark of the request whose answer gave `seenRemaining` */
  seenMark: number
  /** when that request was admitted: the server counted it no earlier */
  seenAt: number
  /** answers to requests with this mark or lower may describe a window that has ended */
  staleUpTo: number
  /** when the server's current window ends at the latest, once an answer was seen in it */
  resetAt: number | undefined
  /** units per millisecond other clients spend, decayed over a quarter of a window */
  othersRate: number
  /** the decayed sums behind `othersRate` */
  othersUnits: number
  othersMillis: number
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
    paceTat: 0,
    pausedUntil: 0,
    admitted: 0,
    seenRemaining: undefined,
    seenMark: 0,
    seenAt: 0,
    staleUpTo: -1,
    resetAt: undefined,
    othersRate: 0,
    othersUnits: 0,
    othersMillis: 0,
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
 *
 * The 1% is a fraction of a unit on small limits, not rounded up: the pace is a time per
 * unit, so 0.3 of a unit on a limit of 30 is 1% of the window's time, as on any limit.
 * Rounded up it was a whole unit, 3.3% of a limit of 30 that no window could ever use.
 */
export const effectiveLimit = (lane: Lane): number | undefined => {
  if (lane.limit === undefined || lane.limit === Number.POSITIVE_INFINITY) return lane.limit
  const share = lane.limit * lane.share
  const headroom = lane.maxCost + share * 0.01
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
 * admitted before it are in the figure already) and, given `now`, less what other clients
 * are expected to have spent since.
 */
export const available = (lane: Lane, now?: number): number | undefined => {
  if (lane.seenRemaining === undefined) return undefined
  const own = lane.seenRemaining - (lane.admitted - lane.seenMark)
  return now === undefined ? own : own - lane.othersRate * Math.max(0, now - lane.seenAt)
}

// the window the lane knew of has ended: answers to requests admitted before now may
// belong to it, so only later ones describe the new window
const expire = (lane: Lane, now: number): void => {
  if (lane.resetAt === undefined || lane.resetAt > now) return
  lane.resetAt = undefined
  lane.seenRemaining = undefined
  lane.staleUpTo = lane.admitted
}

/**
 * The time per unit that spreads what the window has left over the time until it resets,
 * or 0 when either is unknown. Alone, a lane at its pace never needs it (the window holds
 * more than the pace spends); when others spend the same window, it slows every client in
 * proportion, so together they converge on the limit instead of on 429s.
 */
const leftInterval = (lane: Lane, now: number): number => {
  const left = available(lane, now)
  if (lane.resetAt === undefined || left === undefined || left <= 0) return 0
  return Math.max(0, lane.resetAt - now) / left
}

// a request dearer than any before needs the extra reserve before it, not after
const raiseMaxCost = (lane: Lane, cost: number): void => {
  if (lane.unit !== "credits" || cost <= lane.maxCost) return
  const extra = cost - lane.maxCost
  lane.maxCost = cost
  repace(lane)
  if (lane.interval > 0) {
    lane.tat += extra * lane.interval
    lane.paceTat += extra * lane.interval
  }
}

/**
 * How far ahead of its pace a lane admits a request: half the 1% the effective limit
 * keeps for jitter. Requests that count against two paced limits (a ticket page against
 * the overall credits and the ticket-list calls) wait for the later of two slots; without
 * this, a contact page taking the overall slot just before a ticket's slot delays the
 * ticket by a whole step, and those delays add up to a twentieth of the ticket limit
 * when both limits are close to binding. An even pace with this tolerance still keeps
 * every window of any start within the share less 0.5% of it: the largest cost the
 * effective limit leaves out is what a window's edge can add, and the tolerance takes
 * half of the 1% for jitter, leaving the other half.
 */
const tolerance = (lane: Lane): number =>
  lane.limit === undefined || lane.interval === 0 ? 0 : 0.005 * lane.limit * lane.share * lane.interval

/** the first time every lane admits a request of this cost */
export const nextSlot = (lanes: ReadonlyArray<Lane>, cost: number, now: number): number => {
  let slot = now
  for (const lane of lanes) {
    raiseMaxCost(lane, cost)
    if (lane.pausedUntil > slot) slot = lane.pausedUntil
    const due = lane.tat - tolerance(lane)
    if (due > slot) slot = due
  }
  return slot
}

// the pace of what is left never holds the next request past the reset: a new window
// brings a new budget (and when the window cannot take this request, blockedUntil waits)
const leftPace = (lane: Lane, units: number, slot: number): number => {
  const interval = leftInterval(lane, slot)
  return interval === 0 || lane.resetAt === undefined ? slot : Math.min(slot + units * interval, lane.resetAt)
}

/** reserves a slot by moving each lane's pace on past it */
export const reserve = (lanes: ReadonlyArray<Lane>, cost: number, slot: number): void => {
  for (const lane of lanes) {
    const units = unitsOf(lane, cost)
    // a request let in ahead of the pace moves the pace on from where it was, not from the
    // slot; from the even pace's own time, so that a slow-down does not creep into it
    const paced = lane.interval > 0 ? Math.max(slot, lane.paceTat) + units * lane.interval : slot
    lane.paceTat = paced
    lane.tat = Math.max(paced, leftPace(lane, units, slot))
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
    expire(lane, now)
    const left = available(lane, now)
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
  /** when the answer arrived (defaults to `admittedAt`) */
  readonly answeredAt?: number
}

// `Remaining` above what the last answer and this lane's own admissions since allow
// means a new window; answers overtaking each other on the way explain a little more,
// so small rises are not taken for one
const risesIntoNewWindow = (lane: Lane, remaining: number, mark: number): boolean => {
  if (lane.seenRemaining === undefined) return true
  const expected = lane.seenRemaining - (mark - lane.seenMark)
  const tolerance = Math.max(2 * lane.maxCost, Math.ceil((lane.limit ?? 0) * 0.05))
  return remaining - expected > tolerance
}

// what others spent between the arrivals of two requests of one window, as a rate that
// forgets samples older than about a quarter of a window
const learnOthers = (lane: Lane, remaining: number, observed: Observed): void => {
  if (lane.seenRemaining === undefined) return
  const millis = observed.admittedAt - lane.seenAt
  if (millis <= 0) return
  const units = lane.seenRemaining - remaining - (observed.mark - lane.seenMark)
  const decay = Math.exp(-millis / (lane.windowMillis / 4))
  lane.othersUnits = lane.othersUnits * decay + units
  lane.othersMillis = lane.othersMillis * decay + millis
  lane.othersRate = Math.max(0, lane.othersUnits / lane.othersMillis)
}

/**
 * Corrects a lane from an answer's headers, and says whether it showed a new window (so
 * requests waiting for the old one's end may go now): `Total` is the server's limit; `Remaining`
 * is the truth about the window unless a newer request's answer was seen already. The
 * first answer seen in a window bounds its end: the server opened it no later than that
 * request arrived, so it resets at most a window's length after the answer came back, or
 * a window after the request was sent when the request itself opened it. In
 * a window already seen, the drop of `Remaining` beyond this lane's own admissions is
 * what other clients spent.
 */
export const observe = (lane: Lane, headers: Readonly<Record<string, string>>, observed: Observed): boolean => {
  if (lane.headers === undefined) return false
  const total = readNumber(headers, lane.headers.total)
  const remaining = readNumber(headers, lane.headers.remaining)
  const used = readNumber(headers, lane.headers.used) ?? unitsOf(lane, observed.cost)
  learnLimit(lane, total)
  raiseMaxCost(lane, used)
  expire(lane, observed.answeredAt ?? observed.admittedAt)
  if (remaining === undefined || observed.mark < lane.seenMark || observed.mark <= lane.staleUpTo) return false
  const opened = total !== undefined && remaining + used >= total
  if (opened || risesIntoNewWindow(lane, remaining, observed.mark)) {
    // a window this request opened began when it arrived, just after it was sent, so a
    // request sent a window after it arrives after the reset; a window another client
    // opened may be older than anything seen, so only the latest end is safe
    const from = opened ? observed.admittedAt : (observed.answeredAt ?? observed.admittedAt)
    lane.resetAt = from + lane.windowMillis
    // what was left of the window before is no news for this one: an answer that arrived
    // just before the server's reset (a request sent after the reset the lane expected
    // can overtake the one that opened the window) showed only the old window's tail,
    // and spreading that tail until the reset would idle the lane for much of the window
    lane.tat = Math.min(lane.tat, lane.paceTat)
    lane.seenRemaining = remaining
    lane.seenMark = observed.mark
    lane.seenAt = observed.admittedAt
    return true
  }
  learnOthers(lane, remaining, observed)
  lane.seenRemaining = remaining
  lane.seenMark = observed.mark
  lane.seenAt = observed.admittedAt
  return false
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
  lane.paceTat = Math.max(lane.paceTat, until)
  // the window is spent until it resets; answers to requests admitted before are older news
  lane.resetAt = until
  lane.seenRemaining = 0
  lane.seenMark = lane.admitted
  lane.seenAt = now
  lane.staleUpTo = lane.admitted
  lane.probing = false
  // Known gap: a limit learned this way can be low when an earlier run or another client
  // spent part of the window; it is never raised again within the run. Configuring the
  // limit (the plan) avoids it, and a wrong guess costs speed, not correctness.
  if (lane.limit !== undefined) return
  lane.limit = Math.max(1, recentCount(lane, now))
  repace(lane)
}
