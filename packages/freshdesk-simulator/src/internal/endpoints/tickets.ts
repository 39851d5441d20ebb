// GET /tickets: filters, the default 30-day window, ordering, includes and the 300-page cap
import type { Account } from "../../Generator.ts"
import type { Rec } from "../../Records.ts"
import type { Entry, SortKey, View } from "../../Table.ts"
import * as Bodies from "../bodies.ts"
import { isoTime, paging, positiveId } from "../params.ts"
import {
  type ApiRequest,
  and,
  baseErrors,
  invalid,
  type Outcome,
  omit,
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

/** the 300-page cap of the ticket list (freshdesk-api.md section 2) */
export const MAX_PAGE = 300

// the list leaves out what only includes bring
const hiddenFields = ["description", "description_text", "stats"]

// start of today (UTC) minus one calendar month, the day clamped to the shorter month
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
  const errors: Array<Bodies.FieldError> = []
  const filter = p.get("filter")
  if (filter !== undefined && !filters.includes(filter)) errors.push(Bodies.notOneOf("filter", filters))
  for (const f of ["requester_id", "company_id"]) {
    const v = p.get(f)
    if (v !== undefined && positiveId(v) === undefined) errors.push(Bodies.notPositiveInteger(f))
  }
  const since = p.get("updated_since")
  if (since !== undefined && isoTime(since) === undefined) errors.push(Bodies.invalidDate("updated_since"))
  const orderBy = p.get("order_by")
  if (orderBy !== undefined && !orderBys.includes(orderBy)) errors.push(Bodies.notOneOf("order_by", orderBys))
  const orderType = p.get("order_type")
  if (orderType !== undefined && !orderTypes.includes(orderType)) errors.push(Bodies.notOneOf("order_type", orderTypes))
  if (includesOf(p.get("include")) === undefined) errors.push(Bodies.notOneOf("include", includeNames, "not_included"))
  return errors
}

const requesterIdsByEmail = (account: Account, email: string): ReadonlySet<number> => {
  const wanted = email.toLowerCase()
  const ids = account.tables.contacts
    .all()
    .filter((c) => typeof c.rec.email === "string" && c.rec.email.toLowerCase() === wanted)
  return new Set(ids.map((c) => c.id))
}

const predicates = (req: ApiRequest): Array<(e: Entry) => boolean> => {
  const p = req.params
  const out: Array<(e: Entry) => boolean> = []
  const requester = p.get("requester_id")
  if (requester !== undefined) out.push((e) => e.rec.requester_id === Number(requester))
  const company = p.get("company_id")
  if (company !== undefined) out.push((e) => e.rec.company_id === Number(company))
  const email = p.get("email")
  if (email !== undefined) {
    const ids = requesterIdsByEmail(req.account, email)
    out.push((e) => ids.has(e.rec.requester_id as number))
  }
  const owner = req.account.ownerId
  if (p.get("filter") === "new_and_my_open")
    out.push((e) => e.status === 2 && (e.rec.responder_id === null || e.rec.responder_id === owner))
  if (p.get("filter") === "watching") out.push((e) => req.account.watched.has(e.id))
  return out
}

// a lower bound on a time key is a binary search when the listing is ordered by that key
const lowerBound = (key: SortKey, field: "updated_at" | "created_at", value: number, inclusive: boolean) => {
  if (key === field) return { from: { value, inclusive }, pred: undefined }
  const pred = (e: Entry): boolean => {
    const t = field === "updated_at" ? e.updated : e.created
    return inclusive ? t >= value : t > value
  }
  return { from: undefined, pred }
}

const toQuery = (req: ApiRequest): Query => {
  const p = req.params
  const filter = p.get("filter")
  const view: View = filter === "spam" ? "spam" : filter === "deleted" ? "deleted" : "normal"
  const key = (p.get("order_by") ?? "created_at") as SortKey
  const preds = predicates(req)
  const since = p.get("updated_since")
  const windowed = !filterParams.some((f) => p.has(f))
  const bound =
    since !== undefined
      ? lowerBound(key, "updated_at", isoTime(since)!, true)
      : windowed
        ? lowerBound(key, "created_at", defaultWindowStart(req.now), false)
        : undefined
  if (bound?.pred !== undefined) preds.push(bound.pred)
  return { view, key, dir: p.get("order_type") === "asc" ? "asc" : "desc", from: bound?.from, where: and(preds) }
}

const renderTicket = (account: Account, includes: ReadonlyArray<string>, e: Entry): Rec => {
  const row = omit(e.rec, hiddenFields)
  for (const name of includes) {
    if (name === "description") Object.assign(row, pickKeys(e.rec, ["description", "description_text"]))
    if (name === "stats") row.stats = e.rec.stats ?? null
    if (name === "requester") {
      const c = account.tables.contacts.get(e.rec.requester_id as number)
      row.requester = c === undefined ? null : pickKeys(c.rec, ["id", "name", "email", "mobile", "phone"])
    }
    if (name === "company" && e.rec.company_id !== null) {
      const c = account.tables.companies.get(e.rec.company_id as number)
      if (c !== undefined) row.company = pickKeys(c.rec, ["id", "name"])
    }
  }
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
  return readPage(req, req.account.tables.tickets, toQuery(req), render, 2 * includes.length)
}
