// pieces every paginator shares: fetching a page, reading a Link header, turning a step
// function into a stream, and saying why paging stopped
import { Chunk, Effect, Option, Stream } from "effect"
import type { HttpSource, SourceRequest, SourceResponse } from "../HttpSource.ts"
import { HttpSourceError, stripQuery } from "../HttpSourceError.ts"
import type { JsonValue } from "../Json.ts"

export type Items = (body: JsonValue) => ReadonlyArray<JsonValue>

export interface Fetched {
  readonly items: ReadonlyArray<JsonValue>
  readonly response: SourceResponse
}

/** what one step of a paginator did: go on from a state, stop for a reason, or fail */
export type Step<S, A> =
  | { readonly emit: A; readonly next: S }
  | { readonly emit: A; readonly stop: string }
  | { readonly emit: A; readonly fail: HttpSourceError }

type State<S> = { readonly _tag: "Go"; readonly state: S } | { readonly _tag: "Fail"; readonly error: HttpSourceError }

export const logStop = (kind: string, stream: string, reason: string, pages: number) =>
  Effect.logDebug("paginator stopped").pipe(
    Effect.annotateLogs({
      "paginator.kind": kind,
      "paginator.reason": reason,
      "paginator.pages": pages,
      "source.stream": stream
    })
  )

/**
 * A stream of one element per step; a step may emit and then fail, so the pages read
 * before a failure reach the consumer.
 */
export const unfold = <S, A>(
  kind: string,
  stream: string,
  initial: S,
  step: (state: S, index: number) => Effect.Effect<Step<S, A>, HttpSourceError>
): Stream.Stream<A, HttpSourceError> => {
  let index = 0
  type Emit = readonly [Chunk.Chunk<A>, Option.Option<State<S>>]
  // going on, the common case, takes no step of its own
  const next = (result: Step<S, A>): Effect.Effect<Emit> => {
    const emit = Chunk.of(result.emit)
    if ("next" in result) return Effect.succeed([emit, Option.some({ _tag: "Go", state: result.next })])
    if ("fail" in result) {
      const failed: Emit = [emit, Option.some({ _tag: "Fail", error: result.fail })]
      return Effect.as(logStop(kind, stream, result.fail.reason, index), failed)
    }
    return Effect.as(logStop(kind, stream, result.stop, index), [emit, Option.none()] as const)
  }
  return Stream.paginateChunkEffect<State<S>, A, HttpSourceError, never>({ _tag: "Go", state: initial }, (s) => {
    if (s._tag === "Fail") return Effect.fail(s.error)
    index += 1
    return Effect.flatMap(step(s.state, index), next)
  })
}

const notAList = (response: SourceResponse, stream: string): HttpSourceError =>
  new HttpSourceError({
    reason: "MalformedBody",
    message: `GET ${stripQuery(response.url)} answered a ${typeof response.body} where a JSON array of records was expected: pass \`items\` to say where the records are`,
    method: "GET",
    url: stripQuery(response.url),
    status: response.status,
    stream
  })

/** sends a page request, picks its records out of the body and gives them to `then` */
export const fetch = <B>(
  source: HttpSource,
  request: SourceRequest,
  items: Items | undefined,
  then: (fetched: Fetched) => B
): Effect.Effect<B, HttpSourceError> =>
  Effect.flatMap(source.request(request), (response) => {
    if (items !== undefined) return Effect.succeed(then({ items: items(response.body), response }))
    if (Array.isArray(response.body)) return Effect.succeed(then({ items: response.body, response }))
    return Effect.fail(notAList(response, request.stream))
  })

/** counts a page and its records in the stream's counters */
export const count = (source: HttpSource, stream: string, records: number, duplicates = 0): void => {
  source.stats.unsafeAdd(stream, "pages", 1)
  source.stats.unsafeAdd(stream, "records", records)
  if (duplicates > 0) source.stats.unsafeAdd(stream, "duplicates", duplicates)
}

const linkPart = /<([^>]*)>([^<]*)/g
const relNext = /;\s*rel\s*=\s*"?([^";,]*\s)*next[\s";,]?/i

// the `rel="next"` target of a `Link` header as written (it may be relative)
const nextTarget = (header: string | undefined): string | undefined => {
  if (header === undefined) return undefined
  for (const match of header.matchAll(linkPart)) {
    if (relNext.test(match[2] ?? "")) return match[1] ?? ""
  }
  return undefined
}

/** the `rel="next"` target of a `Link` header, resolved against the page's URL */
export const nextLink = (response: SourceResponse): string | undefined => {
  const target = nextTarget(response.headers.link)
  return target === undefined ? undefined : new URL(target, response.url).href
}

/** whether a `Link` header names a next page; cheaper than {@link nextLink}, which parses two URLs */
export const hasNextLink = (response: SourceResponse): boolean => nextTarget(response.headers.link) !== undefined

export const failure = (
  reason: "RepeatedCursor" | "PageCapReached" | "NoProgress",
  request: { readonly stream: string },
  url: string,
  message: string,
  cursor?: string
): HttpSourceError =>
  new HttpSourceError({
    reason,
    message,
    method: "GET",
    url: stripQuery(url),
    stream: request.stream,
    ...(cursor === undefined ? {} : { cursor })
  })
