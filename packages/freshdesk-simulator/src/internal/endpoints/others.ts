// the simpler listings: companies, agents, groups, roles, products, time entries, agents/me
import type { Rec } from "../../Records.ts"
import type { Entry } from "../../Table.ts"
import type { StreamName } from "../../Options.ts"
import * as Bodies from "../bodies.ts"
import { isoTime, positiveId } from "../params.ts"
import { type ApiRequest, and, baseErrors, invalid, type Outcome, omit, readPage } from "./shared.ts"

const pagingOnly = new Set(["page", "per_page"])

const plain =
  (stream: StreamName, key: "name" | "id", hidden: ReadonlyArray<string> = []) =>
  (req: ApiRequest): Outcome => {
    const base = baseErrors(req, pagingOnly)
    if (base.length > 0) return invalid(base)
    const render = (e: Entry): Rec => (hidden.length === 0 ? e.rec : omit(e.rec, hidden))
    return readPage(req, req.account.tables[stream], { view: "normal", key, dir: "asc" }, render)
  }

/** answers `GET /api/v2/companies`: no filters, ordered by name */
export const listCompanies = plain("companies", "name")

/** answers `GET /api/v2/groups`; `agent_ids` is a view-only field */
export const listGroups = plain("groups", "id", ["agent_ids"])

/** answers `GET /api/v2/roles` */
export const listRoles = plain("roles", "id")

/** answers `GET /api/v2/products` */
export const listProducts = plain("products", "id")

const agentParams = new Set(["email", "mobile", "phone", "state", "page", "per_page"])
const agentStates = ["fulltime", "occasional"]

const contactField = (field: string, value: string) => (e: Entry) => {
  const contact = e.rec.contact as Rec | undefined
  const v = contact?.[field]
  return v !== null && v !== undefined && String(v).toLowerCase() === value.toLowerCase()
}

/** answers `GET /api/v2/agents` */
export const listAgents = (req: ApiRequest): Outcome => {
  const base = baseErrors(req, agentParams)
  if (base.length > 0) return invalid(base)
  const state = req.params.get("state")
  if (state !== undefined && !agentStates.includes(state)) return invalid([Bodies.notOneOf("state", agentStates)])
  const preds: Array<(e: Entry) => boolean> = []
  for (const field of ["email", "mobile", "phone"]) {
    const v = req.params.get(field)
    if (v !== undefined) preds.push(contactField(field, v))
  }
  if (state !== undefined) preds.push((e) => e.rec.occasional === (state === "occasional"))
  const render = (e: Entry): Rec => omit(e.rec, ["group_ids", "role_ids"])
  return readPage(req, req.account.tables.agents, { view: "normal", key: "id", dir: "asc", where: and(preds) }, render)
}

/** answers `GET /api/v2/agents/me`: the agent who owns the key */
export const agentMe = (req: ApiRequest): Outcome => {
  const base = baseErrors(req, new Set())
  if (base.length > 0) return invalid(base)
  return { _tag: "Object", body: req.account.tables.agents.get(req.account.ownerId)?.rec ?? {} }
}

const timeParams = new Set([
  "company_id",
  "agent_id",
  "executed_after",
  "executed_before",
  "billable",
  "page",
  "per_page"
])

const knownId = (req: ApiRequest, field: "company_id" | "agent_id"): Bodies.FieldError | undefined => {
  const v = req.params.get(field)
  if (v === undefined) return undefined
  const id = positiveId(v)
  if (id === undefined) return Bodies.notPositiveInteger(field)
  const table = field === "agent_id" ? req.account.tables.agents : req.account.tables.companies
  return table.get(id) === undefined ? { field, message: "can't be blank", code: "invalid_value" } : undefined
}

const timeErrors = (req: ApiRequest): Array<Bodies.FieldError> => {
  const errors = [knownId(req, "company_id"), knownId(req, "agent_id")].filter((e) => e !== undefined)
  for (const field of ["executed_after", "executed_before"]) {
    const v = req.params.get(field)
    if (v !== undefined && isoTime(v) === undefined) errors.push(Bodies.invalidDate(field))
  }
  const billable = req.params.get("billable")
  if (billable !== undefined && billable !== "true" && billable !== "false") errors.push(Bodies.notBoolean("billable"))
  return errors
}

const timePredicates = (req: ApiRequest): Array<(e: Entry) => boolean> => {
  const p = req.params
  const out: Array<(e: Entry) => boolean> = []
  for (const field of ["company_id", "agent_id"]) {
    const v = p.get(field)
    if (v !== undefined) out.push((e) => e.rec[field] === Number(v))
  }
  const executed = (e: Entry) => Date.parse(e.rec.executed_at as string)
  const after = p.get("executed_after")
  if (after !== undefined) out.push((e) => executed(e) >= isoTime(after)!)
  const before = p.get("executed_before")
  if (before !== undefined) out.push((e) => executed(e) <= isoTime(before)!)
  const billable = p.get("billable")
  if (billable !== undefined) out.push((e) => e.rec.billable === (billable === "true"))
  return out
}

/** answers `GET /api/v2/time_entries` */
export const listTimeEntries = (req: ApiRequest): Outcome => {
  const base = baseErrors(req, timeParams)
  if (base.length > 0) return invalid(base)
  const errors = timeErrors(req)
  if (errors.length > 0) return invalid(errors)
  const query = { view: "normal", key: "id", dir: "asc", where: and(timePredicates(req)) } as const
  return readPage(req, req.account.tables.time_entries, query, (e) => e.rec)
}
