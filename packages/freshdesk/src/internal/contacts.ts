/**
 * The contacts stream: three passes over `_updated_since` (normal,
 * `state=deleted`, `state=blocked`), paged by the `Link` header.
 *
 * The listing's order is undocumented (it looks alphabetical), so a pass cannot
 * resume from a record: its `since` only advances once the pass has read its
 * last page, to the latest `updated_at` it saw but no later than the pass's
 * start by the server's clock (a contact edited on a page already read is read
 * again next time); checkpoints in between save the page to resume from (that
 * page is read again, so a few records shifting left lose nothing). One shift
 * no page overlap can cover: a contact deleted or blocked while the normal pass
 * pages moves every later contact one place left, so one of them may be
 * skipped. The normal pass therefore asks, before advancing, whether any
 * contact was deleted or blocked since it started; if so it keeps its old
 * `since`, and the next sync reads those contacts again.
 */
import { HttpSource, type HttpSourceError, type Json, Paginator } from "@landed/http-source"
import { Chunk, Effect, Stream } from "effect"
import { FreshdeskClient, type Service } from "../FreshdeskClient.ts"
import type * as FreshdeskError from "../FreshdeskError.ts"
import * as Plan from "../Plan.ts"
import type { Batch, ReadInput } from "../SyncStream.ts"
import * as Cursors from "./cursors.ts"
import * as Entities from "./entities.ts"
import * as Errors from "./errors.ts"
import * as Time from "./time.ts"

export type Pass = "normal" | "deleted" | "blocked"

export const passes: ReadonlyArray<Pass> = ["normal", "deleted", "blocked"]

/** One pass's position: its `since`, and while it is in progress, the page to resume from. */
export interface PassCursor {
  readonly since: string | null
  /** the last page committed of a pass in progress, null between passes */
  readonly page: number | null
  /** the latest `updated_at` the pass in progress has seen */
  readonly max: string | null
  /** when the pass in progress started (UTC) */
  readonly startedAt: string | null
}

export type Cursor = { readonly [P in Pass]: PassCursor }

export const perPage = 100

type FdError = FreshdeskError.FreshdeskError

const EPOCH = "1970-01-01T00:00:00Z"

const idle = (since: string | null): PassCursor => ({
  since,
  page: null,
  max: null,
  startedAt: null
})

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const isPage = (value: unknown): value is number => {
  return Number.isInteger(value) && (value as number) >= 1
}

const parsePass = (value: unknown, pass: Pass) =>
  Effect.gen(function* () {
    if (!isRecord(value)) return idle(yield* Cursors.timestamp("contacts", value, pass))
    const page = isPage(value.page) ? value.page : null
    return {
      since: yield* Cursors.timestamp("contacts", value.since, `${pass}.since`),
      page,
      max: yield* Cursors.timestamp("contacts", value.max, `${pass}.max`),
      startedAt: yield* Cursors.timestamp("contacts", value.startedAt, `${pass}.startedAt`)
    }
  })

/** Reads a saved cursor; null (a first sync) leaves every pass idle. */
export const parseCursor = (cursor: unknown): Effect.Effect<Cursor, FdError> => {
  const saved = isRecord(cursor) ? cursor : {}
  return Effect.map(
    Effect.forEach(passes, (pass) => parsePass(saved[pass], pass)),
    ([normal, deleted, blocked]) => ({ normal: normal!, deleted: deleted!, blocked: blocked! })
  )
}

/** The largest `updated_at` a cursor claims. */
export const watermark = (cursor: unknown): string | null => {
  if (!isRecord(cursor)) return null
  return Cursors.latest(
    passes.flatMap((pass) => {
      const value = cursor[pass]
      return isRecord(value) ? [value.since as string | null, value.max as string | null] : []
    })
  )
}

const updatedAtOf = (item: Json.JsonValue): string | undefined => {
  const text = (item as { readonly updated_at?: unknown }).updated_at
  return typeof text === "string" ? Time.normalize(text, false) : undefined
}

const listRequest = (pass: Pass, since: string, page: number, size = perPage) => ({
  stream: "contacts",
  path: "/contacts",
  query: {
    _updated_since: since,
    state: pass === "normal" ? undefined : pass,
    per_page: size,
    page
  },
  groups: [Plan.contactsGroup]
})

// whether a contact left the normal listing (deleted or blocked) since `from`
const shiftRisk = (client: Service, since: string, startedAt: string) => {
  const from = Time.toSeconds(new Date(Math.max(Time.millis(startedAt), Time.millis(since))))
  const probe = (state: "deleted" | "blocked") =>
    Effect.map(client.source.request(listRequest(state, from, 1, 1)), (response) =>
      Array.isArray(response.body) ? response.body.length > 0 : true
    )
  return Effect.map(Effect.all([probe("deleted"), probe("blocked")]), ([d, b]) => d || b)
}

interface Run {
  readonly client: Service
  readonly since: string
  position: Cursor
}

const heldBack = Effect.logInfo("contacts cursor held back")

const finished = (run: Run, pass: Pass, state: PassCursor, max: string | null) =>
  Effect.gen(function* () {
    const advanced = Cursors.resumeAt(state.since, max, state.startedAt)
    const moved = advanced !== state.since
    if (pass !== "normal" || !moved || state.startedAt === null) return idle(advanced)
    const risk = yield* shiftRisk(run.client, state.since ?? run.since, state.startedAt)
    if (risk) yield* Effect.annotateLogs(heldBack, "source.stream", "contacts")
    return idle(risk ? state.since : advanced)
  })

// a pass in progress goes on from its saved page; another starts afresh
const startPass = (run: Run, pass: Pass): PassCursor => {
  const saved = run.position[pass]
  return saved.page !== null && saved.startedAt !== null ? saved : idle(saved.since)
}

interface PassState {
  current: PassCursor
}

const pageStep = (run: Run, pass: Pass, first: number, page: Paginator.Page, state: PassState) =>
  Effect.gen(function* () {
    const max = Cursors.latest([state.current.max, ...page.items.map(updatedAtOf)])
    const number = first + page.number - 1
    const startedAt = state.current.startedAt ?? Cursors.serverStart(page.response)
    const reading = { ...state.current, page: number, max, startedAt }
    const more = Cursors.hasNextPage(page.response)
    state.current = more ? reading : yield* finished(run, pass, reading, max)
    run.position = { ...run.position, [pass]: state.current }
    return Entities.batch(Entities.contacts, page, run.position, Entities.finishContacts(pass))
  })

const passStream = (run: Run, pass: Pass): Stream.Stream<Batch, HttpSourceError.HttpSourceError> =>
  Stream.suspend(() => {
    const start = startPass(run, pass)
    const state: PassState = { current: start }
    // a pass in progress reads its last committed page again
    const first = start.page ?? 1
    const request = listRequest(pass, start.since ?? run.since, first)
    return Paginator.linkHeader({ request }).pipe(
      Stream.mapEffect((page) => pageStep(run, pass, first, page, state)),
      Stream.provideService(HttpSource.HttpSource, run.client.source)
    )
  })

/** The batches of a contacts sync from a saved cursor. */
export const read = (input: ReadInput): Stream.Stream<Batch, FdError, FreshdeskClient> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const client = yield* FreshdeskClient
      const position = yield* parseCursor(input.cursor)
      const since = input.startDate === null ? EPOCH : Time.toSeconds(input.startDate)
      const run: Run = { client, since, position }
      const longest = client.source.retryPolicy.longestRetryAfter
      return Stream.concatAll(Chunk.fromIterable(passes.map((pass) => passStream(run, pass)))).pipe(
        Stream.mapError((error) => Errors.fromSource(error, "contacts", longest))
      )
    })
  )
