// GET /contacts: state views, _updated_since, equality filters, the reduced list shape
import type { Account } from "../../Generator.ts"
import type { Rec } from "../../Records.ts"
import type { Entry, View } from "../../Table.ts"
import * as Bodies from "../bodies.ts"
import { isoTime, positiveId } from "../params.ts"
import { type ApiRequest, and, baseErrors, invalid, type Outcome, pickKeys, readPage } from "./shared.ts"

const allowed = new Set([
  "email",
  "mobile",
  "phone",
  "company_id",
  "state",
  "tag",
  "unique_external_id",
  "_updated_since",
  "include",
  "page",
  "per_page"
])
const states = ["verified", "unverified", "blocked", "deleted"]

// list rows are a reduced shape: no tags, other_emails, avatar, view_all_tickets, deleted
const listFields = [
  "active",
  "address",
  "company_id",
  "description",
  "email",
  "id",
  "job_title",
  "language",
  "mobile",
  "name",
  "phone",
  "time_zone",
  "twitter_id",
  "other_companies",
  "facebook_id",
  "unique_external_id",
  "csat_rating",
  "preferred_source",
  "twitter_profile_status",
  "twitter_followers_count",
  "org_contact_id",
  "custom_fields",
  "created_at",
  "updated_at"
]

const valueErrors = (req: ApiRequest): Array<Bodies.FieldError> => {
  const p = req.params
  const errors: Array<Bodies.FieldError> = []
  const state = p.get("state")
  if (state !== undefined && !states.includes(state)) errors.push(Bodies.notOneOf("state", states))
  const company = p.get("company_id")
  if (company !== undefined && positiveId(company) === undefined) errors.push(Bodies.notPositiveInteger("company_id"))
  const since = p.get("_updated_since")
  if (since !== undefined && isoTime(since) === undefined) errors.push(Bodies.invalidDate("_updated_since"))
  const include = p.get("include")
  if (include !== undefined && include !== "company")
    errors.push(Bodies.notOneOf("include", ["company"], "not_included"))
  return errors
}

const equals =
  (field: string, value: string, fold = false) =>
  (e: Entry) => {
    const v = e.rec[field]
    return typeof v === "string" && (fold ? v.toLowerCase() === value.toLowerCase() : v === value)
  }

const predicates = (req: ApiRequest): Array<(e: Entry) => boolean> => {
  const p = req.params
  const out: Array<(e: Entry) => boolean> = []
  for (const field of ["mobile", "phone", "unique_external_id"]) {
    const v = p.get(field)
    if (v !== undefined) out.push(equals(field, v))
  }
  const email = p.get("email")
  if (email !== undefined) out.push(equals("email", email, true))
  const company = p.get("company_id")
  if (company !== undefined) out.push((e) => e.rec.company_id === Number(company))
  const tag = p.get("tag")
  if (tag !== undefined) out.push((e) => Array.isArray(e.rec.tags) && e.rec.tags.includes(tag))
  const since = p.get("_updated_since")
  if (since !== undefined) {
    const t = isoTime(since)!
    out.push((e) => e.updated >= t)
  }
  const state = p.get("state")
  if (state === "verified") out.push((e) => e.rec.active === true)
  if (state === "unverified") out.push((e) => e.rec.active !== true)
  return out
}

const renderContact = (account: Account, withCompany: boolean, e: Entry): Rec => {
  const row = pickKeys(e.rec, listFields)
  // other_companies only appears on rows that have a company
  if (row.company_id === null) delete row.other_companies
  if (withCompany && typeof row.company_id === "number") {
    const c = account.tables.companies.get(row.company_id)
    if (c !== undefined) row.company = pickKeys(c.rec, ["id", "name"])
  }
  return row
}

/** answers `GET /api/v2/contacts` */
export const listContacts = (req: ApiRequest): Outcome => {
  const base = baseErrors(req, allowed)
  if (base.length > 0) return invalid(base)
  const errors = valueErrors(req)
  if (errors.length > 0) return invalid(errors)
  const state = req.params.get("state")
  const view: View = state === "deleted" ? "deleted" : state === "blocked" ? "blocked" : "normal"
  const withCompany = req.params.get("include") === "company"
  const render = (e: Entry) => renderContact(req.account, withCompany, e)
  return readPage(
    req,
    req.account.tables.contacts,
    { view, key: "name", dir: "asc", where: and(predicates(req)) },
    render
  )
}
