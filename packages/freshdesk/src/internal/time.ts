/**
 * Timestamp parsing for Freshdesk values: validated, normalised to UTC with a
 * `Z`.
 *
 * Freshdesk sends `2022-11-16T15:59:28Z`; documentation payloads carry offsets
 * such as `+05:30`, and a few fields are dates. Normalising to one UTC form
 * keeps cursors comparable as plain strings and lets DuckDB read every value
 * the same way.
 */

// date, time with optional seconds and fraction, then `Z` or an offset
const DATE_TIME = new RegExp(
  [
    /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.source,
    /(?::(\d{2})(\.\d{1,9})?)?/.source,
    /(Z|[+-]\d{2}(?::?\d{2})?)$/.source
  ].join("")
)
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/

// Date.UTC maps years 0-99 to the 1900s, so set the full year explicitly
const utc = (year: number, month: number, day: number, h = 0, m = 0, s = 0): number => {
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  return date.setUTCHours(h, m, s)
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

const isLeap = (year: number): boolean => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)

const daysIn = (year: number, month: number): number => {
  if (month === 2 && isLeap(year)) return 29
  return DAYS[month - 1] ?? 0
}

const validParts = (y: number, mo: number, d: number, h: number, mi: number, s: number): boolean =>
  mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && h <= 23 && mi <= 59 && s <= 59

// the digits at [start, start + length) as a number, or -1 when one is not a
// digit
const digits = (text: string, start: number, length: number): number => {
  let value = 0
  for (let i = start; i < start + length; i++) {
    const code = text.charCodeAt(i) - 48
    if (code < 0 || code > 9) return -1
    value = value * 10 + code
  }
  return value
}

// the common case `YYYY-MM-DDTHH:MM:SSZ`, already normalised: only its ranges
// need checking
const isUtcSeconds = (text: string): boolean => {
  if (text.length !== 20 || text[4] !== "-" || text[7] !== "-" || text[10] !== "T") return false
  if (text[13] !== ":" || text[16] !== ":" || text[19] !== "Z") return false
  const [y, mo, d] = [digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2)]
  const [h, mi, s] = [digits(text, 11, 2), digits(text, 14, 2), digits(text, 17, 2)]
  return y >= 0 && h >= 0 && mi >= 0 && s >= 0 && validParts(y, mo, d, h, mi, s)
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

const offsetMinutes = (zone: string): number | undefined => {
  if (zone === "Z") return 0
  const digits = zone.slice(1).replace(":", "")
  const hours = Number(digits.slice(0, 2))
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0
  if (hours > 23 || minutes > 59) return undefined
  return (zone[0] === "-" ? -1 : 1) * (hours * 60 + minutes)
}

const formatUtc = (millis: number, fraction: string): string => {
  const date = new Date(millis)
  const year = pad(date.getUTCFullYear(), 4)
  const day = `${year}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
  const h = pad(date.getUTCHours())
  const time = `${h}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  return `${day}T${time}${fraction}Z`
}

type Six = [number, number, number, number, number, number]

const fromDateTime = (match: RegExpExecArray): string | undefined => {
  const [, y, mo, d, h, mi, s, fraction, zone] = match
  const parts = [y, mo, d, h, mi, s ?? "0"].map(Number) as Six
  const offset = offsetMinutes(zone!)
  if (!validParts(...parts) || offset === undefined) return undefined
  const [year, month, day, hour, minute, second] = parts
  const millis = utc(year, month, day, hour, minute, second) - offset * 60_000
  return formatUtc(millis, fraction ?? "")
}

/**
 * A valid ISO-8601 date-time (with `Z` or an offset) as UTC
 * `YYYY-MM-DDTHH:MM:SS[.f]Z`, a date (when `dates` is set) as its UTC midnight,
 * or undefined when the text is neither.
 */
export const normalize = (text: string, dates: boolean): string | undefined => {
  if (isUtcSeconds(text)) return text
  const full = DATE_TIME.exec(text)
  if (full !== null) return fromDateTime(full)
  const date = dates ? DATE_ONLY.exec(text) : null
  if (date === null) return undefined
  const [, y, mo, d] = date.map(Number) as [number, number, number, number]
  return validParts(y, mo, d, 0, 0, 0) ? `${date[0]}T00:00:00Z` : undefined
}

/** The UTC text of an instant at seconds precision, the form Freshdesk filters accept. */
export const toSeconds = (date: Date): string => {
  return formatUtc(Math.floor(date.getTime() / 1000) * 1000, "")
}

/** Milliseconds since the epoch of a normalised timestamp. */
export const millis = (normalized: string): number => Date.parse(normalized)
