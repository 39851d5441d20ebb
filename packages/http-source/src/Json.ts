/**
 * Lossless JSON for API payloads.
 *
 * `JSON.parse` turns every number into a double, so integers past 2^53 (Freshdesk's
 * `org_contact_id`, say) and long decimals are silently rounded. This module keeps them:
 * unsafe integers become `bigint`, decimals that a double cannot hold become a
 * `LosslessNumber` carrying the raw digits, and everything else stays a plain `number`.
 * Every page takes the native parser: one with long number tokens (ticket custom fields
 * hold long decimals) is read with those tokens quoted behind a mark, which are then
 * revived, several times faster than a parser written in JavaScript.
 *
 * @since 0.1.0
 */
import { isInteger, isLosslessNumber, isSafeNumber, LosslessNumber, parse as losslessParse } from "lossless-json"
import * as LongNumbers from "./internal/longNumbers.ts"

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

const parseNumber = (token: string): number | bigint | LosslessNumber => {
  if (isSafeNumber(token)) return Number(token)
  if (isInteger(token)) return BigInt(token)
  return new LosslessNumber(token)
}

// long number tokens are read by the native parser as strings behind a mark, then revived;
// a text that holds the mark itself takes lossless-json's parser instead
const MARK_ESCAPED = "\\u0001#"
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/

const reviveNumber = (marked: string): number | bigint | LosslessNumber => {
  const token = marked.slice(2)
  if (!NUMBER.test(token)) throw new SyntaxError(`Invalid number '${token}' in JSON`)
  return parseNumber(token)
}

const isMarked = (value: string): boolean => value.charCodeAt(0) === 1 && value.charCodeAt(1) === 35

// JSON.parse makes `__proto__` an own key; a plain assignment would set the prototype
const setOwn = (target: Record<string, unknown>, key: string, value: unknown): void => {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true })
  else target[key] = value
}

const reviveIn = (container: Record<string, unknown> | Array<unknown>): void => {
  if (Array.isArray(container)) {
    for (let i = 0; i < container.length; i++) {
      const item = container[i]
      if (typeof item === "string") {
        if (isMarked(item)) container[i] = reviveNumber(item)
      } else if (typeof item === "object" && item !== null) reviveIn(item as Record<string, unknown>)
    }
    return
  }
  for (const key in container) {
    const item = container[key]
    if (typeof item === "string") {
      if (isMarked(item)) setOwn(container, key, reviveNumber(item))
    } else if (typeof item === "object" && item !== null) reviveIn(item as Record<string, unknown>)
  }
}

const parseMarked = (text: string, spans: ReadonlyArray<number>): JsonValue => {
  const value: unknown = JSON.parse(LongNumbers.quote(text, spans, MARK_ESCAPED))
  if (typeof value === "string") return isMarked(value) ? reviveNumber(value) : value
  if (typeof value === "object" && value !== null) reviveIn(value as Record<string, unknown>)
  return value as JsonValue
}

const parseLong = (text: string): JsonValue => {
  const spans = LongNumbers.find(text, LongNumbers.RUN)
  if (spans.length === 0) return JSON.parse(text) as JsonValue
  if (text.includes("\\u0001")) return losslessParse(text, null, parseNumber) as JsonValue
  return parseMarked(text, spans)
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
  LongNumbers.hasLongRun(text) ? parseLong(text) : (JSON.parse(text) as JsonValue)

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
