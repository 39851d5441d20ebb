/**
 * The tickets stream: three keyset passes over `updated_at`.
 *
 * Each pass (the normal listing, `filter=spam`, `filter=deleted`) asks for
 * `updated_since=<cursor>&order_by=updated_at&order_type=asc` and restarts from
 * the last record's `updated_at` after every page, so no query ever reaches
 * Freshdesk's 300-page cap, an edit that moves a ticket to the end cannot shift
 * a page under the reader, and a run of tickets sharing one second is paged
 * through within one query. An `updated_since` is always sent (the epoch or
 * `--start-date` on a first sync) so the server's 30-day default never applies.
 * The three passes are read side by side, and the cursor holds one timestamp per
 * pass.
 */
import { HttpSource, HttpSourceError, type Json, Paginator, TimeWindow } from "@landed/http-source"
import { Clock, Effect, Option, Order, Stream } from "effect"
import { FreshdeskClient, type Service } from "../FreshdeskClient.ts"
import * as FreshdeskError from "../FreshdeskError.ts"
import type * as Labels from "../Labels.ts"
import * as Plan from "../Plan.ts"
import type { Batch, ReadInput } from "../SyncStream.ts"
import * as Cursors from "./cursors.ts"
import * as Entities from "./entities.ts"
import * as Errors from "./errors.ts"
import * as Windows from "./ticketWindows.ts"
import * as Time from "./time.ts"

export type Pass = "normal" | "spam" | "deleted"

type FdError = FreshdeskError.FreshdeskError

type SourceError = HttpSourceError.HttpSourceError

type Batches = Stream.Stream<Batch, FdError, FreshdeskClient>

export const passes: ReadonlyArray<Pass> = ["normal", "spam", "deleted"]

/** The saved position: per pass, the `updated_at` to resume from (inclusive). */
export type Cursor = { readonly [P in Pass]: string | null }

export const perPage = 100

/** Freshdesk serves at most 300 pages of one ticket query. */
export const pageCap = 300

const EPOCH = "1970-01-01T00:00:00Z"

/** Reads a saved cursor; null (a first sync) gives every pass a null position. */
export const parseCursor = (cursor: unknown): Effect.Effect<Cursor, FdError> => {
  return Cursors.parse("tickets", cursor, passes)
}

/** The largest `updated_at` a cursor claims. */
export const watermark = (cursor: unknown): string | null => Cursors.watermark(cursor, passes)

/**
 * A 400 for `page` is Freshdesk's page-cap answer; it becomes the paginator's
 * `PageCapReached` so it reads as too many tickets in one second, not as a bad
 * request.
 */
export const recognisePageCap = (error: SourceError): SourceError => {
  if (!Errors.isPageCapAnswer(error)) return error
  return HttpSourceError.copyWith(error, { reason: "PageCapReached" })
}

const toFreshdeskError = (client: Service) => (error: HttpSourceError.HttpSourceError) => {
  const recognised = recognisePageCap(error)
  if (recognised.reason === "PageCapReached") {
    return FreshdeskError.tooManyTies("tickets", recognised.cursor ?? "one second", recognised)
  }
  return Errors.fromSource(recognised, "tickets", client.source.retryPolicy.longestRetryAfter)
}

const cursorOf = (item: Json.JsonValue): number => {
  const text = (item as { readonly updated_at?: unknown }).updated_at
  const normalized = typeof text === "string" ? Time.normalize(text, false) : undefined
  // an invalid updated_at sorts first; its record is rejected by the decoder
  // anyway
  return normalized === undefined ? Number.NEGATIVE_INFINITY : Time.millis(normalized)
}

const idOf = (item: Json.JsonValue): string => String((item as { readonly id?: unknown }).id)

const show = (millis: number): string => {
  return Number.isFinite(millis) ? Time.toSeconds(new Date(millis)) : "(none)"
}

/** What a pass reads: the request builder and the keyset bounds. */
export interface PassQuery {
  readonly pass: Pass
  readonly since: string
  readonly include: ReadonlyArray<string>
  /** pages per query the server serves (Freshdesk: 300; tests lower it) */
  readonly pageCap: number
}

/** The keyset paginator of one pass, optionally bounded above by `until` (exclusive). */
interface Bounds {
  readonly start?: number
  readonly until?: number
}

export const keysetOf = (query: PassQuery, bounds: Bounds = {}) =>
  Paginator.keyset<number>({
    request: (cursor, page) => ({
      stream: "tickets",
      path: "/tickets",
      query: {
        updated_since: cursor === undefined ? query.since : Time.toSeconds(new Date(cursor)),
        order_by: "updated_at",
        order_type: "asc",
        per_page: perPage,
        page: page > 1 ? page : undefined,
        include: query.include.length === 0 ? undefined : query.include.join(","),
        filter: query.pass === "normal" ? undefined : query.pass
      },
      cost: Plan.ticketListCost(query.include),
      groups: [Plan.ticketsGroup]
    }),
    cursorOf,
    order: Order.number,
    idOf,
    perPage,
    pageCap: query.pageCap,
    show,
    ...(bounds.start === undefined ? {} : { start: bounds.start }),
    ...(bounds.until === undefined ? {} : { until: bounds.until })
  })

interface Run {
  readonly client: Service
  readonly labels: Labels.Labels
  readonly since: string
  readonly pageCap: number
  /** the position of every pass so far, updated as batches go out */
  position: Cursor
}

interface Pages {
  readonly run: Run
  readonly pass: Pass
  readonly query: PassQuery
  readonly finish: Entities.Finish
}

const toBatch = (pages: Pages, page: Paginator.Page, cursor?: number) => {
  if (cursor !== undefined && Number.isFinite(cursor)) {
    pages.run.position = { ...pages.run.position, [pages.pass]: show(cursor) }
  }
  return Entities.batch(Entities.tickets, page, pages.run.position, pages.finish)
}

const provide = <A, E>(run: Run, stream: Stream.Stream<A, E, HttpSource.HttpSource>) =>
  Stream.provideService(stream, HttpSource.HttpSource, run.client.source)

// a reader started at the first page's cursor sees that second's records again:
// drop them
const withoutFirst = (first: Paginator.KeysetPage<number>) => {
  const ids = new Set(first.items.filter((item) => cursorOf(item) === first.cursor).map(idOf))
  return <P extends Paginator.Page>(page: P): P =>
    ids.size === 0 ? page : { ...page, items: page.items.filter((item) => !ids.has(idOf(item))) }
}

// The passes are read side by side, so a pass's pages do not become batches where they
// are read: a batch carries every pass's position, and a position moved by a page still
// waiting in the merge must not reach a batch that goes out before it. Each pass gives
// steps instead, run in the order the merge emits them.
type Step = () => Option.Option<Batch>

const batchOf =
  (pages: Pages, page: Paginator.Page, cursor?: number): Step =>
  () =>
    Option.some(toBatch(pages, page, cursor))

const sequential = (pages: Pages, first: Paginator.KeysetPage<number>) =>
  provide(pages.run, keysetOf(pages.query, { start: first.cursor! })).pipe(
    Stream.map((page) => batchOf(pages, withoutFirst(first)(page), page.cursor))
  )

interface ReadPlan {
  readonly readers: number
  readonly pagesLeft: number
  readonly now: number
}

const windowed = (pages: Pages, first: Paginator.KeysetPage<number>, plan: ReadPlan) => {
  const progress = Windows.makeProgress()
  const drop = withoutFirst(first)
  const events = TimeWindow.read({
    windows: Windows.windowsFor(first.cursor!, plan.now, plan.readers, plan.pagesLeft),
    concurrency: plan.readers,
    read: (w) => keysetOf(pages.query, { start: w.start.getTime(), until: w.end.getTime() })
  })
  return provide(pages.run, events).pipe(
    Stream.map(
      (event): Step =>
        () => {
          if (event._tag === "Item") {
            Windows.notePage(progress, event.window, event.value, cursorOf)
            return Option.some(toBatch(pages, drop(event.value)))
          }
          const moved = Windows.noteComplete(progress, event.completedThrough)
          if (!moved) return Option.none()
          return Option.some(toBatch(pages, { ...first, items: [] }, progress.covered))
        }
    )
  )
}

// how to read the rest of a pass after its first page took `latencyMillis`
const planFor = (run: Run, first: Paginator.Page, latencyMillis: number, now: number) =>
  Effect.map(run.client.budget.limits, (limits): ReadPlan => {
    const cursors = first.items.map(cursorOf).filter(Number.isFinite)
    const pagesLeft = Windows.pagesLeft({
      firstMillis: Math.min(...cursors),
      lastMillis: Math.max(...cursors),
      now,
      perPage
    })
    const readers = Windows.readersFor({
      latencyMillis,
      windowMillis: run.client.windowMs,
      pagesPerWindow: Windows.pagesPerWindow(limits, Plan.ticketListCost(run.client.ticketInclude)),
      maxInFlight: run.client.budget.maxInFlight
    })
    return { readers: Windows.readersWorthIt(readers, pagesLeft), pagesLeft, now }
  })

const isLast = (page: Paginator.Page): boolean =>
  !Array.isArray(page.response.body) || page.response.body.length < perPage

// the first page is read alone; its response time decides how the rest of the
// pass is read
const passStream = (run: Run, pass: Pass): Stream.Stream<Step, HttpSourceError.HttpSourceError> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const since = run.position[pass] ?? run.since
      const include = run.client.ticketInclude
      const query: PassQuery = { pass, since, include, pageCap: run.pageCap }
      const finish = Entities.finishTickets(run.labels, pass === "deleted")
      const pages: Pages = { run, pass, query, finish }
      const started = yield* Clock.currentTimeMillis
      const head = yield* Stream.runHead(provide(run, keysetOf(query)))
      if (Option.isNone(head)) return Stream.empty
      const first = head.value
      const firstBatch = Stream.succeed(batchOf(pages, first, first.cursor))
      if (isLast(first) || first.cursor === undefined) return firstBatch
      const now = yield* Clock.currentTimeMillis
      const plan = yield* planFor(run, first, now - started, now)
      if (plan.readers === 1) return Stream.concat(firstBatch, sequential(pages, first))
      yield* Effect.logInfo("tickets read in parallel windows").pipe(
        Effect.annotateLogs({
          "source.stream": "tickets",
          "tickets.pass": pass,
          "tickets.readers": plan.readers
        })
      )
      return Stream.concat(firstBatch, windowed(pages, first, plan))
    })
  )

/** The batches of a tickets sync from a saved cursor, with a given page cap (tests lower it). */
export const readWith = (input: ReadInput, pageCapOfQuery: number): Batches =>
  Stream.unwrap(
    Effect.gen(function* () {
      const client = yield* FreshdeskClient
      const position = yield* parseCursor(input.cursor)
      const labels = yield* client.labels
      const since = input.startDate === null ? EPOCH : Time.toSeconds(input.startDate)
      const run: Run = { client, labels, since, position, pageCap: pageCapOfQuery }
      // side by side: the spam and deleted passes are short, and read after the normal
      // one they would leave the ticket-list limit half used at the end of a sync
      const steps = Stream.mergeAll(
        passes.map((pass) => passStream(run, pass)),
        { concurrency: passes.length }
      )
      return steps.pipe(
        Stream.filterMap((step) => step()),
        Stream.mapError(toFreshdeskError(client))
      )
    })
  )

/** The batches of a tickets sync from a saved cursor. */
export const read = (input: ReadInput): Batches => readWith(input, pageCap)
