/**
 * The one error type of an HTTP source.
 *
 * Every failure a source can meet (an answer the server refused, a connection that broke,
 * a body that does not parse, a paginator that cannot go on) is an `HttpSourceError` whose
 * `reason` says which. Structured fields carry the context a user needs to act: the method
 * and URL (never its query string), the status, the server's own error code and field
 * errors, the attempt and the stream. {@link isTransient} is the single place that decides
 * what a retry may repeat.
 *
 * @since 0.1.0
 */
import { Data, type Duration, Predicate } from "effect"

/**
 * Why a request or a paginator failed.
 *
 * @since 0.1.0
 * @category models
 */
export type Reason =
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "BadRequest"
  | "RateLimited"
  | "ServerError"
  | "Transport"
  | "MalformedBody"
  | "PageCapReached"
  | "NoProgress"
  | "RepeatedCursor"

/**
 * One field error from a validation answer (`{"field", "message", "code"}`).
 *
 * @since 0.1.0
 * @category models
 */
export interface FieldError {
  readonly field: string
  readonly message: string
  readonly code: string
}

/**
 * The failure of a request, a paginator or a window read.
 *
 * `url` never holds a query string; `body` holds at most a few hundred characters of the
 * response body and never a header.
 *
 * @since 0.1.0
 * @category errors
 */
export class HttpSourceError extends Data.TaggedError("HttpSourceError")<Fields> {}

/**
 * The fields of an {@link HttpSourceError}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fields {
  readonly reason: Reason
  readonly message: string
  readonly method: string
  readonly url: string
  readonly status?: number
  readonly code?: string
  readonly fieldErrors?: ReadonlyArray<FieldError>
  readonly retryAfter?: Duration.Duration
  readonly attempt?: number
  readonly stream?: string
  readonly body?: string
  readonly cursor?: string
}

const fieldNames = [
  "status",
  "code",
  "fieldErrors",
  "retryAfter",
  "attempt",
  "stream",
  "body",
  "cursor"
] as const satisfies ReadonlyArray<keyof Fields>

/**
 * Copies an error with some fields replaced (the message included, which a spread of the
 * error would lose).
 *
 * @since 0.1.0
 * @category constructors
 */
export const copyWith = (error: HttpSourceError, patch: Partial<Fields>): HttpSourceError => {
  const fields: Record<string, unknown> = { reason: error.reason, message: error.message, method: error.method }
  fields.url = error.url
  for (const name of fieldNames) if (error[name] !== undefined) fields[name] = error[name]
  return new HttpSourceError({ ...(fields as unknown as Fields), ...patch })
}

/**
 * The most characters of a response body an error keeps.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxBodyChars = 300

const transientReasons: ReadonlySet<Reason> = new Set<Reason>([
  "RateLimited",
  "ServerError",
  "Transport",
  "MalformedBody"
])

/**
 * Tells whether repeating the same request may succeed: rate limits, server errors,
 * broken connections and malformed or cut-off bodies are transient; everything else
 * (credentials, permissions, missing resources, bad requests, paging failures) is not.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isTransient = (error: HttpSourceError): boolean => transientReasons.has(error.reason)

/**
 * Tells whether a value is an {@link HttpSourceError}.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isHttpSourceError = (u: unknown): u is HttpSourceError => Predicate.isTagged(u, "HttpSourceError")

/**
 * Shortens a body to at most {@link maxBodyChars} characters for an error field.
 *
 * @since 0.1.0
 * @category constructors
 */
export const clipBody = (text: string): string =>
  text.length <= maxBodyChars ? text : `${text.slice(0, maxBodyChars)}…`

/**
 * Removes the query string and fragment from a URL, for errors and log lines.
 *
 * @since 0.1.0
 * @category constructors
 */
export const stripQuery = (url: string): string => {
  const cut = url.search(/[?#]/)
  return cut === -1 ? url : url.slice(0, cut)
}
