// GET /tickets: filters, the default 30-day window, ordering, includes and
// the 300-page cap (freshdesk-api.md sections 2 and 3.1)
import type { Account } from "../../Generator.ts"
import type { Rec } from "../../Records.ts"
import type { Bound, Entry, SortKey, View } from "../../Table.ts"
import * as Bodies from "../bodies.ts"
import { dateTime, failed, isoTime, oneOf, paging, positive } from "../params.ts"
import {
  type ApiRequest,
  and,
  baseErrors,
  invalid,
  type Outcome,
  omit,
  type Predicate,
  pickKeys,
  type Query,
  readPage
} from "./shared.ts"

const allowed = new Set([
  "filter",
  "requester_id",
  "email",
  "company_id",
  "updated_since",
  "order_by",
  "order_type",
  "include",
  "page",
  "per_page"
])
const filterParams = ["filter", "company_id", "requester_id", "email", "updated_since"]
const orderBys = ["created_at", "due_by", "updated_at", "status"]
const orderTypes = ["asc", "desc"]
const filters = ["new_and_my_open", "watching", "spam", "deleted"]
const includeNames = ["requester", "stats", "description", "company"]
const requesterKeys = ["id", "name", "email", "mobile", "phone"]

/** the 300-page cap of the ticket list */
export const MAX_PAGE = 300

// the list leaves out what only includes bring
const hiddenFields = ["description", "description_text", "stats"]

/** start of today (UTC) minus one calendar month, the day clamped to the month */
export const defaultWindowStart = (now: number): number => {
  const d = new Date(now)
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()]
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return Date.UTC(y, m - 1, Math.min(day, lastDay))
}

/** include names of a request, or undefined when one is not allowed */
export const includesOf = (value: string | undefined): ReadonlyArray<string> | undefined => {
  if (value === undefined || value === "") return []
  const names = value.split(",").map((s) => s.trim())
  return names.every((n) => includeNames.includes(n)) ? [...new Set(names)] : undefined
}

const valueErrors = (req: ApiRequest): Array<Bodies.FieldError> => {
  const p = req.params
  const includeOk = includesOf(p.get("include")) !== undefined
  return failed([
    oneOf(p, "filter", filters),
    positive(p, "requester_id"),
    positive(p, "company_id"),
    dateTime(p, "updated_since"),
    oneOf(p, "order_by", orderBys),
    oneOf(p, "order_type", orderTypes),
    includeOk ? undefined : Bodies.notOneOf("include", includeNames, "not_included")
  ])
}

const requesterIdsByEmail = (account: Account, email: string): ReadonlySet<number> => {
  const wanted = email.toLowerCase()
  const ids = account.tables.contacts.all().filter((c) => {
    const v = c.rec.email
    return typeof v === "string" && v.toLowerCase() === wanted
  })
  return new Set(ids.map((c) => c.id))
}

const equals =
  (field: string, value: string): Predicate =>
  (e) =>
    e.rec[field] === Number(value)

const predicates = (req: ApiRequest): Array<Predicate> => {
  const p = req.params
  const out: Array<Predicate> = []
  for (const field of ["requester_id", "company_id"]) {
    const v = p.get(field)
    if (v !== undefined) out.push(equals(field, v))
  }
  const email = p.get("email")
  if (email !== undefined) {
    const ids = requesterIdsByEmail(req.account, email)
    out.push((e) => ids.has(e.rec.requester_id as number))
  }
  const owner = req.account.ownerId
  const mine = (e: Entry) => e.rec.responder_id === null || e.rec.responder_id === owner
  if (p.get("filter") === "new_and_my_open") out.push((e) => e.status === 2 && mine(e))
  if (p.get("filter") === "watching") out.push((e) => req.account.watched.has(e.id))
  return out
}

type Field = "updated_at" | "created_at"

// a lower bound on a time is a binary search when the listing is ordered by it,
// and a predicate otherwise
const lowerBound = (key: SortKey, field: Field, bound: Bound) => {
  if (key === field) return { from: bound, pred: undefined }
  const pred = (e: Entry): boolean => {
    const t = field === "updated_at" ? e.updated : e.created
    return bound.inclusive ? t >= bound.value : t > bound.value
  }
  return { from: undefined, pred }
}

const boundOf = (req: ApiRequest, key: SortKey) => {
  const since = req.params.get("updated_since")
  if (since !== undefined) {
    return lowerBound(key, "updated_at", { value: isoTime(since)!, inclusive: true })
  }
  if (filterParams.some((f) => req.params.has(f))) return undefined
  // no filter at all: only tickets created in about the last month
  const start = defaultWindowStart(req.now)
  return lowerBound(key, "created_at", { value: start, inclusive: false })
}

const viewOf = (filter: string | undefined): View =>
  filter === "spam" ? "spam" : filter === "deleted" ? "deleted" : "normal"

const toQuery = (req: ApiRequest): Query => {
  const p = req.params
  const key = (p.get("order_by") ?? "created_at") as SortKey
  const preds = predicates(req)
  const bound = boundOf(req, key)
  if (bound?.pred !== undefined) preds.push(bound.pred)
  return {
    view: viewOf(p.get("filter")),
    key,
    dir: p.get("order_type") === "asc" ? "asc" : "desc",
    from: bound?.from,
    where: and(preds)
  }
}

const embed = (account: Account, row: Record<string, unknown>, e: Entry, name: string) => {
  if (name === "description") {
    Object.assign(row, pickKeys(e.rec, ["description", "description_text"]))
  } else if (name === "stats") {
    row.stats = e.rec.stats ?? null
  } else if (name === "requester") {
    const c = account.tables.contacts.get(e.rec.requester_id as number)
    row.requester = c === undefined ? null : pickKeys(c.rec, requesterKeys)
  } else if (name === "company" && e.rec.company_id !== null) {
    const c = account.tables.companies.get(e.rec.company_id as number)
    if (c !== undefined) row.company = pickKeys(c.rec, ["id", "name"])
  }
}

const renderTicket = (account: Account, includes: ReadonlyArray<string>, e: Entry): Rec => {
  const row = omit(e.rec, hiddenFields)
  for (const name of includes) embed(account, row, e, name)
  if (e.deleted) row.deleted = true
  return row
}

/** answers `GET /api/v2/tickets` */
export const listTickets = (req: ApiRequest): Outcome => {
  const base = baseErrors(req, allowed)
  if (base.length > 0) return invalid(base)
  const errors = valueErrors(req)
  if (errors.length > 0) return invalid(errors)
  if (paging(req.params).page > MAX_PAGE) return invalid([Bodies.ticketPageCap])
  const includes = includesOf(req.params.get("include")) ?? []
  const render = (e: Entry) => renderTicket(req.account, includes, e)
  const table = req.account.tables.tickets
  return readPage(req, table, toQuery(req), render, 2 * includes.length)
}
