// query-string readers with the server's leniencies: ruby-style integer
// parsing, paging defaults, ISO-8601 date-times in UTC
import * as Bodies from "./bodies.ts"

export type Params = ReadonlyMap<string, string>

// the last value wins for a repeated key, as in rails
export const readParams = (search: URLSearchParams): Params => {
  const out = new Map<string, string>()
  for (const [k, v] of search) out.set(k, v)
  return out
}

// ruby's String#to_i: leading integer, else 0
export const rubyInt = (text: string | undefined): number => {
  const m = /^\s*([+-]?\d+)/.exec(text ?? "")
  return m === null ? 0 : Number.parseInt(m[1]!, 10)
}

export interface Paging {
  readonly page: number
  readonly perPage: number
}

export const DEFAULT_PER_PAGE = 30
export const MAX_PER_PAGE = 100

export const paging = (params: Params): Paging => {
  const page = rubyInt(params.get("page"))
  const perPage = rubyInt(params.get("per_page"))
  return {
    page: page > 0 ? page : 1,
    perPage: perPage > 0 ? Math.min(perPage, MAX_PER_PAGE) : DEFAULT_PER_PAGE
  }
}

type Errors = Array<Bodies.FieldError>

export const pagingErrors = (params: Params, mode: "clamp" | "reject"): Errors => {
  const tooLarge = rubyInt(params.get("per_page")) > MAX_PER_PAGE
  return mode === "reject" && tooLarge ? [Bodies.perPageTooLarge] : []
}

export const unexpected = (params: Params, allowed: ReadonlySet<string>): Errors =>
  [...params.keys()].filter((k) => !allowed.has(k)).map(Bodies.unexpectedField)

const DATE = String.raw`(\d{4})-(\d{2})-(\d{2})`
const TIME = String.raw`T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?`
const ZONE = String.raw`(Z|[+-]\d{2}:?\d{2})?`
const ISO = new RegExp(`^${DATE}(?:${TIME}${ZONE})?$`)

const offsetMs = (zone: string | undefined): number => {
  if (zone === undefined || zone === "Z") return 0
  const sign = zone.startsWith("-") ? -1 : 1
  const digits = zone.slice(1).replace(":", "")
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))
  return sign * minutes * 60_000
}

// an ISO-8601 date or date-time to epoch ms (no zone means UTC), undefined
// when invalid (including impossible dates such as February 30)
export const isoTime = (text: string): number | undefined => {
  const m = ISO.exec(text)
  if (m === null) return undefined
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0))
  const ms = Math.floor(Number(`0${m[7] ?? ""}`) * 1000)
  const local = Date.UTC(y!, mo! - 1, d, h, mi, s, ms)
  const back = new Date(local)
  const sameDay = back.getUTCMonth() === mo! - 1 && back.getUTCDate() === d
  const inRange = h! < 24 && mi! < 60 && s! < 60
  return sameDay && inRange ? local - offsetMs(m[8]) : undefined
}

export const positiveId = (text: string): number | undefined => (/^\d+$/.test(text) ? Number(text) : undefined)

// the single-value checks listings share; each answers an error or undefined
type Check = Bodies.FieldError | undefined
type Names = ReadonlyArray<string>

export const oneOf = (p: Params, field: string, allowed: Names): Check => {
  const v = p.get(field)
  return v === undefined || allowed.includes(v) ? undefined : Bodies.notOneOf(field, allowed)
}

export const dateTime = (p: Params, field: string): Check => {
  const v = p.get(field)
  return v === undefined || isoTime(v) !== undefined ? undefined : Bodies.invalidDate(field)
}

export const positive = (p: Params, field: string): Check => {
  const v = p.get(field)
  return v === undefined || positiveId(v) !== undefined ? undefined : Bodies.notPositiveInteger(field)
}

export const failed = (checks: ReadonlyArray<Check>): Array<Bodies.FieldError> => checks.filter((c) => c !== undefined)
