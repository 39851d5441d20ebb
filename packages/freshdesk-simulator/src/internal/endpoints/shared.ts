// what every listing shares: the outcome type and one page read through an index
import type { Account } from "../../Generator.ts"
import type { Rec } from "../../Records.ts"
import type { Entry, Select, Table } from "../../Table.ts"
import type { FieldError } from "../bodies.ts"
import { type Params, paging, pagingErrors, unexpected } from "../params.ts"

/** a parsed API request with what listings need to answer it */
export interface ApiRequest {
  readonly account: Account
  readonly params: Params
  readonly now: number
  readonly perPageMode: "clamp" | "reject"
}

/** a page of rows */
export interface Page {
  readonly _tag: "Page"
  readonly rows: ReadonlyArray<Rec>
  readonly page: number
  readonly hasNext: boolean
  readonly extraCredits: number
}

/** what a route answers: validation errors, a page of rows or one object */
export type Outcome =
  | { readonly _tag: "Invalid"; readonly errors: ReadonlyArray<FieldError> }
  | Page
  | { readonly _tag: "Object"; readonly body: unknown }

export type Predicate = (entry: Entry) => boolean

export const invalid = (errors: ReadonlyArray<FieldError>): Outcome => ({
  _tag: "Invalid",
  errors
})

export type Query = Omit<Select, "offset" | "limit">

/** reads per_page + 1 rows: the extra one only tells whether a next page exists */
export const readPage = (
  req: ApiRequest,
  table: Table,
  query: Query,
  render: (entry: Entry) => Rec,
  extraCredits = 0
): Outcome => {
  const { page, perPage } = paging(req.params)
  const offset = (page - 1) * perPage
  const found = table.select({ ...query, offset, limit: perPage + 1 })
  const rows = found.slice(0, perPage).map(render)
  return { _tag: "Page", rows, page, hasNext: found.length > perPage, extraCredits }
}

/** unknown parameters first, then per_page in reject mode */
export const baseErrors = (req: ApiRequest, allowed: ReadonlySet<string>): Array<FieldError> => {
  const unknown = unexpected(req.params, allowed)
  return unknown.length > 0 ? unknown : pagingErrors(req.params, req.perPageMode)
}

export const omit = (rec: Rec, keys: ReadonlyArray<string>): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...rec }
  for (const k of keys) delete out[k]
  return out
}

export const pickKeys = (rec: Rec, keys: ReadonlyArray<string>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const k of keys) if (k in rec) out[k] = rec[k]
  return out
}

/** all predicates at once, or undefined (the index's fast path) when none */
export const and = (preds: ReadonlyArray<Predicate>): Predicate | undefined =>
  preds.length === 0 ? undefined : (e) => preds.every((p) => p(e))
