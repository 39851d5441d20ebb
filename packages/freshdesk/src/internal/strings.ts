/**
 * Repairs lone UTF-16 surrogates in decoded JSON values.
 *
 * A lone surrogate cannot be written as UTF-8, so Parquet and DuckDB would
 * refuse the string; it is replaced with U+FFFD and counted. Valid UTF-8 can
 * never carry one, so it only reaches us through a `\uD800`-style escape in the
 * JSON text: a page without such an escape needs no walk at all.
 */
import { Json } from "@landed/http-source"

const SURROGATE_ESCAPE = /\\u[dD][89abcdefABCDEF]/

/** Whether a page's JSON text may hold a lone surrogate (it has a surrogate escape). */
export const mayHaveLoneSurrogates = (text: string): boolean => SURROGATE_ESCAPE.test(text)

interface Wellformed {
  isWellFormed(): boolean
  toWellFormed(): string
}

const isWellFormed = (text: string): boolean => (text as unknown as Wellformed).isWellFormed()

const loneCount = (text: string): number => {
  let count = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) i++
      else count++
    } else if (code >= 0xdc00 && code <= 0xdfff) count++
  }
  return count
}

interface Counter {
  replaced: number
}

const fixString = (text: string, counter: Counter): string => {
  if (isWellFormed(text)) return text
  counter.replaced += loneCount(text)
  return (text as unknown as Wellformed).toWellFormed()
}

const walk = (value: Json.JsonValue, counter: Counter): Json.JsonValue => {
  if (typeof value === "string") return fixString(value, counter)
  if (Array.isArray(value)) return value.map((item) => walk(item, counter))
  if (typeof value !== "object" || value === null || Json.isLosslessNumber(value)) return value
  const record = value as Readonly<Record<string, Json.JsonValue>>
  const out: Record<string, Json.JsonValue> = {}
  for (const key in record) out[fixString(key, counter)] = walk(record[key]!, counter)
  return out
}

interface Repaired {
  readonly value: Json.JsonValue
  readonly replaced: number
}

/** The value with every lone surrogate replaced by U+FFFD, and how many were replaced. */
export const wellFormed = (value: Json.JsonValue): Repaired => {
  const counter: Counter = { replaced: 0 }
  const fixed = walk(value, counter)
  return { value: counter.replaced === 0 ? value : fixed, replaced: counter.replaced }
}
