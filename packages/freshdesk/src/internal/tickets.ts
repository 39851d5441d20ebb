/**
 * The tickets stream: three keyset passes over `updated_at`.
 *
 * Each pass (the normal listing, `filter=spam`, `filter=deleted`) asks for
 * `updated_since=<cursor>&order_by=updated_at&order_type=asc` and restarts from the last
 * record's `updated_at` after every page, so no query ever reaches Freshdesk's 300-page
 * cap, an edit that moves a ticket to the end cannot shift a page under the reader, and a
 * run of tickets sharing one second is paged through within one query. An `updated_since`
 * is always sent (the epoch or `--start-date` on a first sync) so the server's 30-day
 * default never applies. The cursor holds one timestamp per pass.
 */
import { HttpSource, HttpSourceError, type Json, Paginator } from "@landed/http-source"
import { Chunk, Effect, Order, Stream } from "effect"
import { FreshdeskClient, type Service } from "../FreshdeskClient.ts"
import * as FreshdeskError from "../FreshdeskError.ts"
import type * as Labels from "../Labels.ts"
import * as Plan from "../Plan.ts"
import type { Batch, ReadInput } from "../SyncStream.ts"
import * as Cursors from "./cursors.ts"
import * as Entities from "./entities.ts"
import * as Errors from "./errors.ts"
import * as Time from "./time.ts"

export type Pass = "normal" | "spam" | "deleted"

export const passes: ReadonlyArray<Pass> = ["normal", "spam", "deleted"]

/** The saved position: per pass, the `updated_at` to resume from (inclusive). */
export type Cursor = { readonly [P in Pass]: string | null }

export const perPage = 100

/** Freshdesk serves at most 300 pages of one ticket query. */
export const pageCap = 300

const EPOCH = "1970-01-01T00:00:00Z"

/** Reads a saved cursor; null (a first sync) gives every pass a null position. */
export const parseCursor = (cursor: unknown): Effect.Effect<Cursor, FreshdeskError.FreshdeskError> =>
  Cursors.parse("tickets", cursor, passes)

/** The largest `updated_at` a cursor claims. */
export const watermark = (cursor: unknown): string | null => Cursors.watermark(cursor, passes)

/**
 * A 400 for `page` is Freshdesk's page-cap answer; it becomes the paginator's
 * `PageCapReached` so it reads as too many tickets in one second, not as a bad request.
 */
export const recognisePageCap = (error: HttpSourceError.HttpSourceError): HttpSourceError.HttpSourceError =>
  Errors.isPageCapAnswer(error) ? HttpSourceError.copyWith(error, { reason: "PageCapReached" }) : error

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
  // an invalid updated_at sorts first; its record is rejected by the decoder anyway
  return normalized === undefined ? Number.NEGATIVE_INFINITY : Time.millis(normalized)
}

const idOf = (item: Json.JsonValue): string => String((item as { readonly id?: unknown }).id)

const show = (millis: number): string => (Number.isFinite(millis) ? Time.toSeconds(new Date(millis)) : "(none)")

/** What a pass reads: the request builder and the keyset bounds. */
export interface PassQuery {
  readonly pass: Pass
  readonly since: string
  readonly include: ReadonlyArray<string>
}

/** The keyset paginator of one pass, optionally bounded above by `until` (exclusive). */
export const keysetOf = (query: PassQuery, bounds: { readonly start?: number; readonly until?: number } = {}) =>
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
    pageCap,
    show,
    ...(bounds.start === undefined ? {} : { start: bounds.start }),
    ...(bounds.until === undefined ? {} : { until: bounds.until })
  })

interface Run {
  readonly client: Service
  readonly labels: Labels.Labels
  readonly since: string
  /** the position of every pass so far, updated as batches go out */
  position: Cursor
}

const passStream = (run: Run, pass: Pass): Stream.Stream<Batch, FreshdeskError.FreshdeskError> => {
  const saved = run.position[pass]
  const query: PassQuery = { pass, since: saved ?? run.since, include: run.client.ticketInclude }
  const finish = Entities.finishTickets(run.labels, pass === "deleted")
  return keysetOf(query).pipe(
    Stream.map((page) => {
      if (page.cursor !== undefined && Number.isFinite(page.cursor)) {
        run.position = { ...run.position, [pass]: show(page.cursor) }
      }
      return Entities.batch(Entities.tickets, page, run.position, finish)
    }),
    Stream.provideService(HttpSource.HttpSource, run.client.source),
    Stream.mapError(toFreshdeskError(run.client))
  )
}

/** The batches of a tickets sync from a saved cursor. */
export const read = (input: ReadInput): Stream.Stream<Batch, FreshdeskError.FreshdeskError, FreshdeskClient> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const client = yield* FreshdeskClient
      const position = yield* parseCursor(input.cursor)
      const labels = yield* client.labels
      const since = input.startDate === null ? EPOCH : Time.toSeconds(input.startDate)
      const run: Run = { client, labels, since, position }
      return Stream.concatAll(Chunk.fromIterable(passes.map((pass) => passStream(run, pass))))
    })
  )
