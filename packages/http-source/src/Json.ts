/**
 * Lossless JSON for API payloads.
 *
 * `JSON.parse` turns every number into a double, so integers past 2^53 (Freshdesk's
 * `org_contact_id`, say) and long decimals are silently rounded. This module keeps them:
 * unsafe integers become `bigint`, decimals that a double cannot hold become a
 * `LosslessNumber` carrying the raw digits, and everything else stays a plain `number`.
 * Pages without a long number (the common case) take the native parser's fast path.
 *
 * @since 0.1.0
 */
import { isInteger, isLosslessNumber, isSafeNumber, LosslessNumber, parse as losslessParse } from "lossless-json"

export { isLosslessNumber, LosslessNumber }

/**
 * A value produced by {@link parse}: plain JSON, plus `bigint` and `LosslessNumber`.
 *
 * @since 0.1.0
 * @category models
 */
export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | LosslessNumber
  | ReadonlyArray<JsonValue>
  | { readonly [key: string]: JsonValue }

// a number token a double may not hold has at least 16 digits; 16 digits-or-dots in a row
// is a cheap superset test (a false positive, such as a long digit run inside a string,
// only costs the slow path). Such a run covers two multiples of 8, so looking at every
// 8th character and measuring the run around a hit finds it; this is a few times faster
// than a regular expression on large pages, where the test otherwise costs half a parse.
const RUN = 16

const isNumberChar = (c: number): boolean => (c >= 48 && c <= 57) || c === 46

const hasLongNumber = (text: string): boolean => {
  const n = text.length
  for (let i = RUN - 1; i < n; i += RUN) {
    if (!isNumberChar(text.charCodeAt(i))) continue
    let start = i
    while (start > 0 && isNumberChar(text.charCodeAt(start - 1))) start -= 1
    let end = i + 1
    while (end < n && isNumberChar(text.charCodeAt(end))) end += 1
    if (end - start >= RUN) return true
  }
  return false
}

const parseNumber = (token: string): number | bigint | LosslessNumber => {
  if (isSafeNumber(token)) return Number(token)
  if (isInteger(token)) return BigInt(token)
  return new LosslessNumber(token)
}

/**
 * Parses JSON text without rounding any number.
 *
 * Integers beyond `Number.MAX_SAFE_INTEGER` become `bigint`; decimals with more digits
 * than a double keeps become `LosslessNumber`. Throws a `SyntaxError` on invalid text,
 * like `JSON.parse`.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (text: string): JsonValue =>
  hasLongNumber(text) ? (losslessParse(text, null, parseNumber) as JsonValue) : (JSON.parse(text) as JsonValue)

// bigint and LosslessNumber leave JSON.stringify as a marked string and are unquoted after
const MARK = "\u0001#"
const MARKED = /"\\u0001#(-?[0-9][0-9.eE+-]*)"/g

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === "bigint") return MARK + value.toString()
  if (isLosslessNumber(value)) return MARK + value.toString()
  return value
}

/**
 * Serialises a value to JSON text, writing `bigint` and `LosslessNumber` as their exact
 * digits (the inverse of {@link parse}).
 *
 * @since 0.1.0
 * @category serialising
 */
export const stringify = (value: unknown): string => {
  const text = JSON.stringify(value, replacer)
  return text.includes("\\u0001#") ? text.replace(MARKED, "$1") : text
}
