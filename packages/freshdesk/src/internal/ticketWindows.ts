/**
 * Parallel time windows for a ticket pass whose responses are slow.
 *
 * One request at a time reaches at most `window / latency` pages per rate-limit
 * window; when the budget allows clearly more ticket pages than that, the rest
 * of the pass is split into time windows over `updated_at`, each read by its
 * own keyset reader that stops at the window's end, several at once. The saved
 * cursor only covers the leading windows that are all complete: it is the
 * latest `updated_at` read in them, so it is safe to resume from and the data
 * reaches it.
 *
 * Known gap: rows of windows completed ahead of an unfinished one are committed
 * but not covered by the cursor, so a sync killed mid-pass reads them again and
 * can redo more than one checkpoint (the spec's bound): the pipeline's fault
 * suite measured 300-500 ticket rows at 100-row checkpoints. Acceptable for now
 * because the data stays exact (views keep one row per id); saving the completed
 * windows ahead in the cursor, and skipping them on resume, would restore it.
 */
import { type Paginator, RateBudget, TimeWindow } from "@landed/http-source"
import * as Plan from "../Plan.ts"

/** At most this many windows per reader, so a slow window does not idle the others. */
const WINDOWS_PER_READER = 3

/** About this many pages per window: each window ends on a partial page, an extra request. */
const PAGES_PER_WINDOW = 8

/** The last window reaches this far past the start of the pass, to catch edits made during it. */
const FUTURE_MILLIS = 24 * 60 * 60_000

// parallel only pays when one reader falls clearly short of the budget
const NEED = 1.5

/** Ticket list pages the budget allows per window, or undefined while a limit is unknown. */
export const pagesPerWindow = (limits: ReadonlyArray<RateBudget.LimitState>, cost: number) => {
  const overall = limits.find((limit) => limit.name === RateBudget.overallName)?.effectiveLimit
  const tickets = limits.find((limit) => limit.name === Plan.ticketsGroup)?.effectiveLimit
  if (overall === undefined || tickets === undefined) return undefined
  return Math.min(overall / cost, tickets)
}

/**
 * Readers to run at once for a response time, or 1 when one reader keeps up
 * with the budget (or the budget is unknown or unlimited).
 *
 * Known gap: the response time is the first page's only; a server that slows
 * down later in a pass is read one request at a time until the next pass. Good
 * enough because passes are re-planned every sync and the budget, not this
 * choice, bounds the load.
 */
export const readersFor = (options: {
  readonly latencyMillis: number
  readonly windowMillis: number
  readonly pagesPerWindow: number | undefined
  readonly maxInFlight: number
}): number => {
  const { latencyMillis, windowMillis, pagesPerWindow, maxInFlight } = options
  const known = pagesPerWindow !== undefined && Number.isFinite(pagesPerWindow)
  if (!known || latencyMillis <= 0) return 1
  const needed = (pagesPerWindow * latencyMillis) / windowMillis
  return needed < NEED ? 1 : Math.min(maxInFlight, Math.ceil(needed) + 1)
}

/**
 * Pages left after a first page, estimated from its density: its records span
 * `[firstMillis, lastMillis]`, and the rest of the pass runs to `now`.
 */
export const pagesLeft = (options: {
  readonly firstMillis: number
  readonly lastMillis: number
  readonly now: number
  readonly perPage: number
}): number => {
  const span = Math.max(1000, options.lastMillis - options.firstMillis)
  return Math.ceil(Math.max(0, options.now - options.lastMillis) / span)
}

/** Readers worth running for the pages left: none beyond two pages each. */
export const readersWorthIt = (readers: number, pagesLeft: number): number =>
  Math.max(1, Math.min(readers, Math.floor(pagesLeft / 2)))

/** The windows of the rest of a pass, from `from` to a day past `now`. */
export const windowsFor = (
  from: number,
  now: number,
  readers: number,
  pagesLeft: number
): ReadonlyArray<TimeWindow.Window> => {
  const end = now + FUTURE_MILLIS
  const wanted = Math.max(readers, Math.ceil(pagesLeft / PAGES_PER_WINDOW))
  const count = Math.min(readers * WINDOWS_PER_READER, wanted)
  // whole seconds, the precision of updated_at and updated_since
  const step = Math.max(1, Math.ceil((end - from) / count / 1000)) * 1000
  return TimeWindow.split({ start: new Date(from), end: new Date(end) }, step)
}

/** Tracks the latest `updated_at` read per window and the completed prefix. */
export interface Progress {
  readonly latest: Map<number, number>
  /** the latest `updated_at` read in the completed leading windows, if any */
  covered: number | undefined
}

export const makeProgress = (): Progress => ({ latest: new Map(), covered: undefined })

/** Notes the records of a page read in a window (a page's own cursor may be the window's end). */
export const notePage = (
  progress: Progress,
  window: TimeWindow.Window,
  page: Paginator.Page,
  cursorOf: (item: Paginator.Page["items"][number]) => number
) => {
  const key = window.start.getTime()
  let latest = progress.latest.get(key) ?? Number.NEGATIVE_INFINITY
  for (const item of page.items) latest = Math.max(latest, cursorOf(item))
  if (Number.isFinite(latest)) progress.latest.set(key, latest)
}

/**
 * Moves the covered cursor after a window completes; true when it moved.
 * Windows before `completedThrough` are all done, so the latest `updated_at`
 * read in them is safe.
 */
export const noteComplete = (progress: Progress, completedThrough: Date): boolean => {
  let best = progress.covered ?? Number.NEGATIVE_INFINITY
  for (const [start, latest] of progress.latest) {
    if (start < completedThrough.getTime() && latest > best) best = latest
  }
  if (!Number.isFinite(best) || best === progress.covered) return false
  progress.covered = best
  return true
}
