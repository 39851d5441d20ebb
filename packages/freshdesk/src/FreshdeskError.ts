/**
 * The one error type of the Freshdesk connector.
 *
 * Every failure a user can meet is one `reason`, and every `message` follows
 * the product page's "Common issues" table: what happened, the likely cause,
 * and the fix. Messages never contain the API key (it only ever lives in a
 * `Redacted`).
 *
 * @since 0.1.0
 */
import { Data } from "effect"

/**
 * Why a Freshdesk operation failed.
 *
 * - `InvalidConfig`: a configuration value is malformed; nothing was requested.
 * - `InvalidCredentials`: Freshdesk answered 401 (wrong API key or subdomain).
 * - `AccessDenied`: 403 `access_denied`, the key's agent lacks a role for the
 *   stream.
 * - `RequireFeature`: 403 `require_feature`, the account's plan lacks the
 *   feature.
 * - `RateLimitTooLong`: a 429 asked to wait longer than the longest wait
 *   allowed.
 * - `TooManyTies`: more tickets share one `updated_at` second than the API can
 *   list.
 * - `Http`: any other failure of a request (after retries where they apply).
 *
 * @since 0.1.0
 * @category models
 */
export type Reason =
  | "InvalidConfig"
  | "InvalidCredentials"
  | "AccessDenied"
  | "RequireFeature"
  | "RateLimitTooLong"
  | "TooManyTies"
  | "Http"

/**
 * A failure of the Freshdesk connector, with an actionable `message`.
 *
 * @since 0.1.0
 * @category errors
 */
export class FreshdeskError extends Data.TaggedError("FreshdeskError")<{
  readonly reason: Reason
  readonly message: string
  readonly stream?: string
  readonly cause?: unknown
}> {}

/**
 * Builds a {@link FreshdeskError}, leaving out `stream` and `cause` when not
 * given.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  reason: Reason,
  message: string,
  options: { readonly stream?: string | undefined; readonly cause?: unknown } = {}
): FreshdeskError =>
  new FreshdeskError({
    reason,
    message,
    ...(options.stream === undefined ? {} : { stream: options.stream }),
    ...(options.cause === undefined ? {} : { cause: options.cause })
  })

/**
 * Whether a value is a {@link FreshdeskError}.
 *
 * @since 0.1.0
 * @category guards
 */
export const isFreshdeskError = (u: unknown): u is FreshdeskError => u instanceof FreshdeskError

const where = (stream: string | undefined): string => {
  if (stream === undefined) return "Freshdesk"
  return `stream \`${stream}\``
}

/**
 * The 401 error: the key or the subdomain is wrong.
 *
 * @since 0.1.0
 * @category constructors
 */
export const invalidCredentials = (stream?: string, cause?: unknown): FreshdeskError =>
  make(
    "InvalidCredentials",
    `${where(stream)} answered 401 Unauthorized: the API key or the subdomain is not valid. ` +
      "Verify both values in Freshdesk > Profile Settings (your API key is shown under " +
      "`Your API Key`; the subdomain is the `mycompany` of https://mycompany.freshdesk.com).",
    { stream, cause }
  )

/**
 * The 403 `access_denied` error: the key's agent may not read the stream.
 *
 * @since 0.1.0
 * @category constructors
 */
export const accessDenied = (stream: string, cause?: unknown): FreshdeskError =>
  make(
    "AccessDenied",
    `${where(stream)} answered 403 Forbidden (access_denied): the agent who owns this API key ` +
      "lacks the permission to read it. Use the API key of an Admin account.",
    { stream, cause }
  )

/**
 * The 403 `require_feature` error: the account's plan does not include the
 * stream.
 *
 * @since 0.1.0
 * @category constructors
 */
export const requireFeature = (stream: string, cause?: unknown): FreshdeskError =>
  make(
    "RequireFeature",
    `${where(stream)} answered 403 Forbidden (require_feature): this Freshdesk plan does not ` +
      "include the feature behind it. Upgrade the plan or leave the stream out with `--streams`.",
    { stream, cause }
  )

/**
 * The error for more tickets sharing one `updated_at` second than the API can
 * list.
 *
 * @since 0.1.0
 * @category constructors
 */
export const tooManyTies = (stream: string, at: string, cause?: unknown): FreshdeskError =>
  make(
    "TooManyTies",
    `${where(stream)}: more than 30,000 tickets share the updated_at ${at}, and Freshdesk lists ` +
      "at most 300 pages of 100 for one query, so some of them cannot be read. The stream " +
      "stops rather than lose records; ask Freshdesk support to help or touch some of them " +
      "so their updated_at changes, then sync again.",
    { stream, cause }
  )
