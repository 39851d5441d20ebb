// the keyset paginator's state machine: restart the query from the last record's cursor
// after every page; page forward through a run of records that share one cursor value and
// read that run again until two passes agree; never loop, never skip
import { Effect, type Order } from "effect"
import type { HttpSource, SourceRequest, SourceResponse } from "../HttpSource.ts"
import type { HttpSourceError } from "../HttpSourceError.ts"
import type { JsonValue } from "../Json.ts"
import * as Paging from "./paging.ts"

export interface Options<K> {
  readonly request: (cursor: K | undefined, page: number) => SourceRequest
  readonly cursorOf: (item: JsonValue) => K
  readonly order: Order.Order<K>
  readonly idOf: (item: JsonValue) => string
  readonly start?: K
  readonly until?: K
  readonly pageCap?: number
  readonly perPage: number
  readonly items?: Paging.Items
  readonly maxTiePasses?: number
  readonly show?: (cursor: K) => string
}

export interface KeysetPage<K> {
  readonly items: ReadonlyArray<JsonValue>
  readonly response: SourceResponse
  readonly number: number
  readonly cursor: K | undefined
}

interface Tie {
  readonly pass: number
  readonly page: number
  readonly seen: Set<string>
  readonly previous: ReadonlySet<string> | undefined
}

export interface State<K> {
  /** the lower bound (inclusive) of the current query */
  readonly cursor: K | undefined
  /** undefined when the next request is a restart (page 1 of a new query) */
  readonly tie: Tie | undefined
}

interface Run<K> {
  readonly options: Options<K>
  readonly source: HttpSource
  readonly stream: string
  /** ids emitted whose cursor is at or after the current query's bound, with that cursor */
  readonly emitted: Map<string, K>
}

interface Read<K> {
  readonly fetched: Paging.Fetched
  /** records before `until` */
  readonly kept: ReadonlyArray<JsonValue>
  readonly full: boolean
  readonly reachedUntil: boolean
  /** cursor of the last record of the whole page */
  readonly last: K | undefined
  /** whether a record lies before the query's bound, which an inclusive filter never returns */
  readonly behind: boolean
}

const show = <K>(run: Run<K>, cursor: K | undefined): string =>
  cursor === undefined ? "(start)" : (run.options.show?.(cursor) ?? String(cursor))

const read = <K>(run: Run<K>, cursor: K | undefined, page: number): Effect.Effect<Read<K>, HttpSourceError> =>
  Paging.fetch(run.source, run.options.request(cursor, page), run.options.items, (fetched) => {
    const { until, cursorOf, order } = run.options
    const cut = until === undefined ? -1 : fetched.items.findIndex((item) => order(cursorOf(item), until) >= 0)
    const kept = cut === -1 ? fetched.items : fetched.items.slice(0, cut)
    const lastItem = fetched.items[fetched.items.length - 1]
    return {
      fetched,
      kept,
      full: fetched.items.length >= run.options.perPage,
      reachedUntil: cut !== -1,
      last: lastItem === undefined ? undefined : cursorOf(lastItem),
      behind: cursor !== undefined && fetched.items.some((item) => order(cursorOf(item), cursor) < 0)
    }
  })

/**
 * drops records emitted already at the same cursor value, remembers the new ones, counts
 * both; a record seen again at another value changed meanwhile, so it is emitted again
 */
const fresh = <K>(run: Run<K>, records: ReadonlyArray<JsonValue>): ReadonlyArray<JsonValue> => {
  const out: Array<JsonValue> = []
  for (const item of records) {
    const id = run.options.idOf(item)
    const cursor = run.options.cursorOf(item)
    const before = run.emitted.get(id)
    if (before !== undefined && run.options.order(before, cursor) === 0) continue
    run.emitted.set(id, cursor)
    out.push(item)
  }
  Paging.count(run.source, run.stream, out.length, records.length - out.length)
  return out
}

const forget = <K>(run: Run<K>, before: K): void => {
  for (const [id, cursor] of run.emitted) if (run.options.order(cursor, before) < 0) run.emitted.delete(id)
}

const page = <K>(
  r: Read<K>,
  items: ReadonlyArray<JsonValue>,
  number: number,
  cursor: K | undefined
): KeysetPage<K> => ({
  items,
  response: r.fetched.response,
  number,
  cursor
})

const endCursor = <K>(run: Run<K>, r: Read<K>, bound: K | undefined): K | undefined =>
  r.reachedUntil ? run.options.until : (r.last ?? bound)

const restartTo = <K>(run: Run<K>, next: K): State<K> => {
  forget(run, next)
  return { cursor: next, tie: undefined }
}

type KStep<K> = Paging.Step<State<K>, KeysetPage<K>>

const noProgress = <K>(run: Run<K>, r: Read<K>, bound: K | undefined, emit: KeysetPage<K>): KStep<K> => ({
  emit,
  fail: Paging.failure(
    "NoProgress",
    { stream: run.stream },
    r.fetched.response.url,
    `the query from cursor ${show(run, bound)} returned records before it: ` +
      "the server does not seem to apply the cursor filter or its order; check the request the paginator builds",
    show(run, bound)
  )
})

const restartStep = <K>(run: Run<K>, state: State<K>, r: Read<K>): KStep<K> => {
  const { order } = run.options
  const bound = state.cursor
  if (r.kept.length === 0) {
    const emit = page(r, [], 1, endCursor(run, r, bound))
    return { emit, stop: r.reachedUntil ? "reached until" : "empty page" }
  }
  if (r.behind) return noProgress(run, r, bound, page(r, [], 1, bound))
  const items = fresh(run, r.kept)
  if (r.reachedUntil || !r.full) {
    return { emit: page(r, items, 1, endCursor(run, r, bound)), stop: r.reachedUntil ? "reached until" : "short page" }
  }
  const last = r.last as K
  if (bound !== undefined && order(last, bound) === 0) {
    if (run.options.pageCap !== undefined && run.options.pageCap <= 1) {
      return pageCapFailure(run, r, bound, page(r, items, 1, bound))
    }
    const tie: Tie = { pass: 1, page: 2, seen: idsOf(run, r.kept), previous: undefined }
    return { emit: page(r, items, 1, bound), next: { cursor: bound, tie } }
  }
  // the cursor moved on, so this is progress even when every record was emitted already
  // (a tie pass may have read past its run)
  return { emit: page(r, items, 1, last), next: restartTo(run, last) }
}

const idsOf = <K>(run: Run<K>, records: ReadonlyArray<JsonValue>): Set<string> =>
  new Set(records.map((item) => run.options.idOf(item)))

const sameIds = (a: ReadonlySet<string>, b: ReadonlySet<string> | undefined): boolean => {
  if (b === undefined || a.size !== b.size) return false
  for (const id of a) if (!b.has(id)) return false
  return true
}

const pageCapFailure = <K>(run: Run<K>, r: Read<K>, bound: K, emit: KeysetPage<K>): KStep<K> => {
  const cap = run.options.pageCap ?? 0
  const message =
    `more than ${cap * run.options.perPage} records (pageCap ${cap} × perPage ${run.options.perPage}) share ` +
    `the cursor value ${show(run, bound)}, so the server's page cap hides some of them; ` +
    "no restart can reach them: narrow the query by another filter"
  return {
    emit,
    fail: Paging.failure("PageCapReached", { stream: run.stream }, r.fetched.response.url, message, show(run, bound))
  }
}

// a pass over a tie run ends on the first page that leaves the run (or the list)
const tieStep = <K>(run: Run<K>, bound: K, tie: Tie, r: Read<K>): KStep<K> => {
  if (r.behind) return noProgress(run, r, bound, page(r, [], tie.page, bound))
  const items = fresh(run, r.kept)
  for (const item of r.kept) tie.seen.add(run.options.idOf(item))
  const leaves = !r.full || r.reachedUntil || (r.last !== undefined && run.options.order(r.last, bound) > 0)
  if (!leaves) {
    if (run.options.pageCap !== undefined && tie.page >= run.options.pageCap) {
      return pageCapFailure(run, r, bound, page(r, items, tie.page, bound))
    }
    return { emit: page(r, items, tie.page, bound), next: { cursor: bound, tie: { ...tie, page: tie.page + 1 } } }
  }
  if (!sameIds(tie.seen, tie.previous)) return anotherPass(run, bound, tie, r, items)
  if (r.reachedUntil || !r.full) {
    const reason = r.reachedUntil ? "reached until" : "short page"
    return { emit: page(r, items, tie.page, endCursor(run, r, bound)), stop: reason }
  }
  const last = r.last as K
  return { emit: page(r, items, tie.page, last), next: restartTo(run, last) }
}

const anotherPass = <K>(run: Run<K>, bound: K, tie: Tie, r: Read<K>, items: ReadonlyArray<JsonValue>): KStep<K> => {
  const emit = page(r, items, tie.page, bound)
  const maxPasses = run.options.maxTiePasses ?? 6
  if (tie.pass >= maxPasses) {
    const message =
      `the records sharing cursor value ${show(run, bound)} changed during each of ${tie.pass} passes over them, ` +
      "so none can be trusted to be complete; run again when the source is quieter"
    return {
      emit,
      fail: Paging.failure("NoProgress", { stream: run.stream }, r.fetched.response.url, message, show(run, bound))
    }
  }
  return { emit, next: { cursor: bound, tie: { pass: tie.pass + 1, page: 1, seen: new Set(), previous: tie.seen } } }
}

export const step =
  <K>(run: Run<K>) =>
  (state: State<K>): Effect.Effect<KStep<K>, HttpSourceError> => {
    const tie = state.tie
    const bound = state.cursor
    if (tie === undefined || bound === undefined) {
      return Effect.map(read(run, bound, 1), (r) => restartStep(run, state, r))
    }
    return Effect.map(read(run, bound, tie.page), (r) => tieStep(run, bound, tie, r))
  }

export const makeRun = <K>(options: Options<K>, source: HttpSource): Run<K> => ({
  options,
  source,
  stream: options.request(options.start, 1).stream,
  emitted: new Map()
})
