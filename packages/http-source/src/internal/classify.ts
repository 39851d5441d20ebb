// turns what came back from the wire into an HttpSourceError with the right reason and a
// message a user can act on; nothing here sees a request header, so no secret can leak
import type { Duration } from "effect"
import { Option } from "effect"
import { clipBody, type FieldError, HttpSourceError, type Reason } from "../HttpSourceError.ts"
import * as Json from "../Json.ts"
import { parseRetryAfter } from "../Retry.ts"

export interface Context {
  readonly method: string
  /** the URL without its query */
  readonly url: string
  readonly stream: string
  readonly attempt: number
}

interface ErrorBody {
  readonly code?: string
  readonly message?: string
  readonly fieldErrors?: ReadonlyArray<FieldError>
}

const isRecord = (u: unknown): u is Readonly<Record<string, Json.JsonValue>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const text = (u: unknown): string | undefined => (typeof u === "string" && u !== "" ? u : undefined)

const toFieldError = (u: Json.JsonValue): FieldError | undefined => {
  if (!isRecord(u)) return undefined
  const field = text(u.nested_field) ?? text(u.field) ?? ""
  return { field, message: text(u.message) ?? "", code: text(u.code) ?? "" }
}

/** reads `code`, `message` (or `description`) and `errors[]` from a JSON error body */
export const parseErrorBody = (body: string): ErrorBody => {
  let value: Json.JsonValue
  try {
    value = Json.parse(body)
  } catch {
    return {}
  }
  if (!isRecord(value)) return {}
  const errors = Array.isArray(value.errors) ? value.errors.map(toFieldError).filter((e) => e !== undefined) : []
  const code = text(value.code)
  const message = text(value.message) ?? text(value.description)
  return {
    ...(code === undefined ? {} : { code }),
    ...(message === undefined ? {} : { message }),
    ...(errors.length === 0 ? {} : { fieldErrors: errors })
  }
}

const reasonOf = (status: number): Reason => {
  if (status === 401) return "Unauthorized"
  if (status === 403) return "Forbidden"
  if (status === 404 || status === 410) return "NotFound"
  if (status === 429) return "RateLimited"
  if (status === 408) return "Transport"
  if (status >= 500) return "ServerError"
  return "BadRequest"
}

const advice: Partial<Record<Reason, string>> = {
  Unauthorized: "check the credentials and the base URL",
  Forbidden: "the credentials may not read this resource; use a key with the needed role or plan",
  NotFound: "check the path and the base URL",
  BadRequest: "the request was refused as invalid; check its parameters",
  RateLimited: "the request is retried after the wait",
  ServerError: "the request is retried; if it persists, check the service's status",
  Transport: "the request is retried"
}

const describe = (parsed: ErrorBody): string => {
  const parts: Array<string> = []
  if (parsed.code !== undefined) parts.push(parsed.code)
  if (parsed.message !== undefined) parts.push(parsed.message)
  for (const e of parsed.fieldErrors?.slice(0, 3) ?? []) parts.push(`\`${e.field}\`: ${e.message} (${e.code})`)
  return parts.length === 0 ? "" : ` (${clipBody(parts.join("; "))})`
}

/** the error for a non-2xx answer */
export const fromStatus = (
  ctx: Context,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: string,
  nowMillis: number
): HttpSourceError => {
  const reason = reasonOf(status)
  const parsed = parseErrorBody(body)
  const retryAfter: Duration.Duration | undefined =
    reason === "RateLimited" ? Option.getOrUndefined(parseRetryAfter(headers["retry-after"], nowMillis)) : undefined
  const wait = retryAfter === undefined ? "" : ` with Retry-After ${headers["retry-after"]}`
  const message = `${ctx.method} ${ctx.url} answered ${status}${wait}${describe(parsed)}: ${advice[reason] ?? ""}`
  return new HttpSourceError({
    reason,
    message,
    method: ctx.method,
    url: ctx.url,
    status,
    stream: ctx.stream,
    attempt: ctx.attempt,
    ...(body === "" ? {} : { body: clipBody(body) }),
    ...(parsed.code === undefined ? {} : { code: parsed.code }),
    ...(parsed.fieldErrors === undefined ? {} : { fieldErrors: parsed.fieldErrors }),
    ...(retryAfter === undefined ? {} : { retryAfter })
  })
}

// a cause's message may quote a URL; its query could hold a secret
const causeText = (cause: unknown): string => {
  const raw = cause instanceof Error ? `${cause.message}${causeSuffix(cause.cause)}` : String(cause)
  return clipBody(raw.replace(/\?\S*/g, ""))
}

const causeSuffix = (cause: unknown): string =>
  cause instanceof Error && cause.message !== "" ? `: ${cause.message}` : ""

/** the error for a connection that failed before an answer */
export const transport = (ctx: Context, cause: unknown): HttpSourceError =>
  new HttpSourceError({
    reason: "Transport",
    message: `${ctx.method} ${ctx.url} failed before an answer (${causeText(cause)}): the request is retried`,
    method: ctx.method,
    url: ctx.url,
    stream: ctx.stream,
    attempt: ctx.attempt
  })

/** the error for an attempt that took longer than its timeout */
export const timedOut = (ctx: Context, timeout: string): HttpSourceError =>
  new HttpSourceError({
    reason: "Transport",
    message: `${ctx.method} ${ctx.url} got no complete answer within ${timeout} (\`timeout\`): the request is retried`,
    method: ctx.method,
    url: ctx.url,
    stream: ctx.stream,
    attempt: ctx.attempt
  })

/** the error for a body that broke off or does not parse */
export const malformed = (ctx: Context, status: number, detail: string, body: string): HttpSourceError =>
  new HttpSourceError({
    reason: "MalformedBody",
    message: `${ctx.method} ${ctx.url} answered ${status} with a body that ${detail}: the request is retried`,
    method: ctx.method,
    url: ctx.url,
    status,
    stream: ctx.stream,
    attempt: ctx.attempt,
    ...(body === "" ? {} : { body: clipBody(body) })
  })
