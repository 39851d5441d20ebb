/**
 * Paginators: the ways an API splits a list into pages, as Effect `Stream`s of pages.
 *
 * Each paginator sends its requests through the run's `HttpSource` (so the budget,
 * retries and counters apply), emits one `Page` per answer, counts pages and records,
 * refuses a cursor it has seen before, and logs at Debug why it stopped. Records come
 * from a JSON array body unless `items` says where they are.
 *
 * @since 0.1.0
 */
import { Effect, type Order, Stream } from "effect"
import { HttpSource, type SourceRequest, type SourceResponse } from "./HttpSource.ts"
import type { HttpSourceError } from "./HttpSourceError.ts"
import * as Keyset from "./internal/keyset.ts"
import * as Paging from "./internal/paging.ts"
import type { JsonValue } from "./Json.ts"

/**
 * One answer of a list and the records in it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Page {
  readonly items: ReadonlyArray<JsonValue>
  readonly response: SourceResponse
  /** the page's number within its query, from 1 */
  readonly number: number
}

/**
 * A keyset page: only records not emitted before, and the cursor that is safe to resume
 * from once this page and every earlier one are stored (`undefined` before any record).
 *
 * @since 0.1.0
 * @category models
 */
export interface KeysetPage<K> extends Page {
  readonly cursor: K | undefined
}

/**
 * Where the records are in a page's body (default: the body is a JSON array of them).
 *
 * @since 0.1.0
 * @category models
 */
export type Items = (body: JsonValue) => ReadonlyArray<JsonValue>

const withSource = <A>(
  f: (source: HttpSource) => Stream.Stream<A, HttpSourceError>
): Stream.Stream<A, HttpSourceError, HttpSource> => Stream.unwrap(Effect.map(HttpSource, f))

const withUrl = (request: SourceRequest, url: string): SourceRequest => {
  const { path: _path, query: _query, ...rest } = request
  return { ...rest, url }
}

const withQuery = (request: SourceRequest, query: Readonly<Record<string, string | number>>): SourceRequest => ({
  ...request,
  query: { ...request.query, ...query }
})

// a literal, not a spread: the spread copies through a slower path on every page
const toPage = (fetched: Paging.Fetched, number: number): Page => ({
  items: fetched.items,
  response: fetched.response,
  number
})

const pageCapFailure = (request: SourceRequest, url: string, pageCap: number, perPage?: number) =>
  Paging.failure(
    "PageCapReached",
    request,
    url,
    `more pages follow page ${pageCap}, the page cap${perPage === undefined ? "" : ` (${pageCap * perPage} records)`}; ` +
      "narrow the query (a shorter time window, say) so it fits under the cap"
  )

const repeatedPage = (request: SourceRequest, url: string, number: number) =>
  Paging.failure(
    "RepeatedCursor",
    request,
    url,
    `page ${number} has the same body as page ${number - 1}: the server seems to ignore the paging parameter; check its name`
  )

/**
 * Options of {@link linkHeader}.
 *
 * @since 0.1.0
 * @category models
 */
export interface LinkHeaderOptions {
  readonly request: SourceRequest
  readonly items?: Items
  /** fail with `PageCapReached` when a next page follows this page number */
  readonly pageCap?: number
}

/**
 * Follows the `Link` header's `rel="next"` URL until an answer has none.
 *
 * Expects answers like `Link: <https://api.example.com/items?page=2&per_page=100>;
 * rel="next"` with a JSON array body; the next URL is requested as it is (it carries the
 * query). Fails with `RepeatedCursor` when a next URL repeats one already followed.
 *
 * @since 0.1.0
 * @category paginators
 */
export const linkHeader = (options: LinkHeaderOptions): Stream.Stream<Page, HttpSourceError, HttpSource> =>
  withSource((source) => {
    const seen = new Set<string>()
    return Paging.unfold("linkHeader", options.request.stream, options.request, (request, number) =>
      Paging.fetch(source, request, options.items, (fetched): Paging.Step<SourceRequest, Page> => {
        Paging.count(source, request.stream, fetched.items.length)
        const emit = toPage(fetched, number)
        const next = Paging.nextLink(fetched.response)
        if (next === undefined) return { emit, stop: "no Link next" }
        if (seen.has(next) || next === fetched.response.url) {
          const message = `the Link next URL of page ${number} repeats a page already read; the server's paging is inconsistent`
          return { emit, fail: Paging.failure("RepeatedCursor", request, next, message) }
        }
        if (options.pageCap !== undefined && number >= options.pageCap) {
          return { emit, fail: pageCapFailure(request, next, options.pageCap) }
        }
        seen.add(next)
        return { emit, next: withUrl(request, next) }
      })
    )
  })

/**
 * Options of {@link pageNumber}.
 *
 * @since 0.1.0
 * @category models
 */
export interface PageNumberOptions {
  readonly request: SourceRequest
  readonly perPage: number
  /** default `"page"` */
  readonly pageParam?: string
  /** default `"per_page"` */
  readonly perPageParam?: string
  readonly items?: Items
  /** the first page number (default 1) */
  readonly firstPage?: number
  /** fail with `PageCapReached` when a full page of this number has more after it */
  readonly pageCap?: number
  /**
   * whether a missing `Link: rel="next"` ends the list: `"auto"` (default) once an earlier
   * page had one, `"required"` always, `"ignored"` never
   */
  readonly link?: "auto" | "required" | "ignored"
}

interface Numbered {
  readonly number: number
  readonly sawLink: boolean
}

// the body a page is compared with (to catch a server that ignores the paging parameter)
// is kept in a variable of the run, not in the step's state: minor collections find the
// states of finished steps still reachable until a full one, so a body kept in a state was
// copied and promoted with them, more than doubling the collector's time per page
interface LastBody {
  text: string | undefined
}

/**
 * Asks for page 1, 2, 3… (`?page=N&per_page=M`) until a short or empty page, or an
 * answer without a `Link` next (see `link`).
 *
 * Expects a JSON array of at most `perPage` records per answer. Fails with
 * `RepeatedCursor` when a full page has the same body as the one before (the server
 * ignores the page parameter), and with `PageCapReached` past `pageCap`.
 *
 * @since 0.1.0
 * @category paginators
 */
export const pageNumber = (options: PageNumberOptions): Stream.Stream<Page, HttpSourceError, HttpSource> =>
  withSource((source) => {
    const pageParam = options.pageParam ?? "page"
    const perPageParam = options.perPageParam ?? "per_page"
    const mode = options.link ?? "auto"
    const first = options.firstPage ?? 1
    const initial: Numbered = { number: first, sawLink: false }
    const last: LastBody = { text: undefined }
    return Paging.unfold("pageNumber", options.request.stream, initial, (state) => {
      const request = withQuery(options.request, { [pageParam]: state.number, [perPageParam]: options.perPage })
      return Paging.fetch(source, request, options.items, (fetched): Paging.Step<Numbered, Page> => {
        Paging.count(source, request.stream, fetched.items.length)
        const emit = toPage(fetched, state.number - first + 1)
        const hasLink = Paging.hasNextLink(fetched.response)
        const url = fetched.response.url
        if (fetched.items.length === 0) return { emit, stop: "empty page" }
        if (fetched.items.length < options.perPage) return { emit, stop: "short page" }
        if (!hasLink && (mode === "required" || (mode === "auto" && state.sawLink)))
          return { emit, stop: "no Link next" }
        if (fetched.response.text === last.text) return { emit, fail: repeatedPage(request, url, state.number) }
        if (options.pageCap !== undefined && state.number >= options.pageCap) {
          return { emit, fail: pageCapFailure(request, url, options.pageCap, options.perPage) }
        }
        last.text = fetched.response.text
        return { emit, next: { number: state.number + 1, sawLink: state.sawLink || hasLink } }
      })
    })
  })

/**
 * Options of {@link offset}.
 *
 * @since 0.1.0
 * @category models
 */
export interface OffsetOptions {
  readonly request: SourceRequest
  /** records per page */
  readonly limit: number
  /** default `"offset"` */
  readonly offsetParam?: string
  /** default `"limit"` */
  readonly limitParam?: string
  /** the first offset (default 0) */
  readonly start?: number
  readonly items?: Items
}

/**
 * Asks for `?offset=0&limit=M`, then `offset=M`, `2M`… until a short or empty page.
 *
 * Expects a JSON array of at most `limit` records per answer. Fails with
 * `RepeatedCursor` when a full page has the same body as the one before.
 *
 * @since 0.1.0
 * @category paginators
 */
export const offset = (options: OffsetOptions): Stream.Stream<Page, HttpSourceError, HttpSource> =>
  withSource((source) => {
    const offsetParam = options.offsetParam ?? "offset"
    const limitParam = options.limitParam ?? "limit"
    const last: LastBody = { text: undefined }
    return Paging.unfold("offset", options.request.stream, options.start ?? 0, (at, number) => {
      const request = withQuery(options.request, { [offsetParam]: at, [limitParam]: options.limit })
      return Paging.fetch(source, request, options.items, (fetched): Paging.Step<number, Page> => {
        Paging.count(source, request.stream, fetched.items.length)
        const emit = toPage(fetched, number)
        if (fetched.items.length === 0) return { emit, stop: "empty page" }
        if (fetched.items.length < options.limit) return { emit, stop: "short page" }
        if (fetched.response.text === last.text) {
          return { emit, fail: repeatedPage(request, fetched.response.url, number) }
        }
        last.text = fetched.response.text
        return { emit, next: at + options.limit }
      })
    })
  })

/**
 * Options of {@link cursorToken}.
 *
 * @since 0.1.0
 * @category models
 */
export interface CursorTokenOptions {
  readonly request: SourceRequest
  /** the next page's token from an answer; none (or `""`) ends the list */
  readonly next: (response: SourceResponse) => string | null | undefined
  /** the query parameter the token goes in (default `"cursor"`) */
  readonly cursorParam?: string
  readonly items?: Items
}

/**
 * Sends the token the previous answer named (`?cursor=abc`) until an answer names none.
 *
 * Expects answers such as `{"data": [...], "next_cursor": "abc"}` (with `items: (b) =>
 * b.data` and `next: (r) => r.body.next_cursor`). Fails with `RepeatedCursor` when a
 * token comes back a second time.
 *
 * @since 0.1.0
 * @category paginators
 */
export const cursorToken = (options: CursorTokenOptions): Stream.Stream<Page, HttpSourceError, HttpSource> =>
  withSource((source) => {
    const param = options.cursorParam ?? "cursor"
    const seen = new Set<string>()
    return Paging.unfold("cursorToken", options.request.stream, options.request, (request, number) =>
      Paging.fetch(source, request, options.items, (fetched): Paging.Step<SourceRequest, Page> => {
        Paging.count(source, request.stream, fetched.items.length)
        const emit = toPage(fetched, number)
        const token = options.next(fetched.response)
        if (token === undefined || token === null || token === "") return { emit, stop: "no next cursor" }
        if (seen.has(token)) {
          const message = `the cursor token after page ${number} was already used; the server's paging is inconsistent`
          return { emit, fail: Paging.failure("RepeatedCursor", request, fetched.response.url, message, token) }
        }
        seen.add(token)
        return { emit, next: withQuery(options.request, { [param]: token }) }
      })
    )
  })

/**
 * Options of {@link keyset}.
 *
 * @since 0.1.0
 * @category models
 */
export interface KeysetOptions<K> {
  /** the request for records with cursor `>= cursor` in cursor order, page `page` */
  readonly request: (cursor: K | undefined, page: number) => SourceRequest
  readonly cursorOf: (item: JsonValue) => K
  readonly order: Order.Order<K>
  readonly idOf: (item: JsonValue) => string
  /** the first query's cursor; none asks from the start */
  readonly start?: K
  /** client-side upper bound: stop at the first record with cursor `>= until` */
  readonly until?: K
  /** pages the server serves per query; it answers an error past it */
  readonly pageCap?: number
  readonly perPage: number
  readonly items?: Items
  /** passes over a tie run before giving up with `NoProgress` (default 6) */
  readonly maxTiePasses?: number
  /** writes a cursor in messages (default `String`) */
  readonly show?: (cursor: K) => string
}

/**
 * Reads a list ordered by a cursor field whose filter is inclusive (`cursor >= value`),
 * restarting the query from the last record's cursor after every page, so no page offset
 * ever shifts under it and no server page cap is reached.
 *
 * A run of records sharing one cursor value longer than a page is paged through within
 * one query and read again until two passes see the same ids (at most `maxTiePasses`),
 * so a record that exists throughout is never skipped when tie-mates move away; records
 * already emitted are dropped and counted as duplicates. Fails with `PageCapReached` when
 * more than `pageCap × perPage` records share one cursor value, and with `NoProgress`
 * when a restart returns records before its cursor. Expects a JSON array body sorted by
 * the cursor, such as `[{"id": 7, "updated_at": "2024-05-01T10:00:00Z"}, ...]`.
 *
 * @since 0.1.0
 * @category paginators
 */
export const keyset = <K>(options: KeysetOptions<K>): Stream.Stream<KeysetPage<K>, HttpSourceError, HttpSource> =>
  withSource((source) => {
    const run = Keyset.makeRun(options, source)
    const initial: Keyset.State<K> = { cursor: options.start, tie: undefined }
    return Paging.unfold("keyset", run.stream, initial, Keyset.step(run))
  })
