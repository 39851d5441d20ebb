// what every listing shares: the outcome type and one page read through an index
import type { Account } from "../../Generator.ts"
import type { Rec } from "../../Records.ts"
import type { Entry, Select } from "../../Table.ts"
import type { FieldError } from "../bodies.ts"
import { type Params, paging, pagingErrors, unexpected } from "../params.ts"

export interface ApiRequest {
  readonly account: Account
  readonly params: Params
  readonly now: number
  readonly perPageMode: "clamp" | "reject"
}

export type Outcome =
  | { readonly _tag: "Invalid"; readonly errors: ReadonlyArray<FieldError> }
  | {
      readonly _tag: "Page"
      readonly rows: ReadonlyArray<Rec>
      readonly ids: ReadonlyArray<number>
      readonly page: number
      readonly hasNext: boolean
      readonly extraCredits: number
    }
  | { readonly _tag: "Object"; readonly body: unknown }

export const invalid = (errors: ReadonlyArray<FieldError>): Outcome => ({ _tag: "Invalid", errors })

export type Query = Omit<Select, "offset" | "limit">

// reads per_page + 1 rows: the extra one only tells whether a next page exists
export const readPage = (
  req: ApiRequest,
  table: Account["tables"][keyof Account["tables"]],
  query: Query,
  render: (entry: Entry) => Rec,
  extraCredits = 0
): Outcome => {
  const { page, perPage } = paging(req.params)
  const found = table.select({ ...query, offset: (page - 1) * perPage, limit: perPage + 1 })
  const entries = found.slice(0, perPage)
  return {
    _tag: "Page",
    rows: entries.map(render),
    ids: entries.map((e) => e.id),
    page,
    hasNext: found.length > perPage,
    extraCredits
  }
}

// the checks every listing makes before its own: unknown params, then per_page in reject mode
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

export const and = (preds: ReadonlyArray<(e: Entry) => boolean>): ((e: Entry) => boolean) | undefined =>
  preds.length === 0 ? undefined : (e) => preds.every((p) => p(e))
