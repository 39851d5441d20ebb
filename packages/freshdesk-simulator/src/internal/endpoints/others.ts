// the simpler listings: companies, agents, groups, roles, products,
// time entries and agents/me (freshdesk-api.md sections 3.3 to 3.8)
import type { StreamName } from "../../Options.ts"
import type { Rec } from "../../Records.ts"
import type { Entry, SortKey } from "../../Table.ts"
import * as Bodies from "../bodies.ts"
import { dateTime, failed, isoTime, oneOf, positiveId } from "../params.ts"
import { type ApiRequest, and, baseErrors, invalid, type Outcome, omit, type Predicate, readPage } from "./shared.ts"

const pagingOnly = new Set(["page", "per_page"])

const plain =
  (stream: StreamName, key: SortKey, hidden: ReadonlyArray<string> = []) =>
  (req: ApiRequest): Outcome => {
    const base = baseErrors(req, pagingOnly)
    if (base.length > 0) return invalid(base)
    const render = (e: Entry): Rec => (hidden.length === 0 ? e.rec : omit(e.rec, hidden))
    const query = { view: "normal", key, dir: "asc" } as const
    return readPage(req, req.account.tables[stream], query, render)
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

const contactField =
  (field: string, value: string): Predicate =>
  (e) => {
    const v = (e.rec.contact as Rec | undefined)?.[field]
    return v !== null && v !== undefined && String(v).toLowerCase() === value.toLowerCase()
  }

const agentPredicates = (req: ApiRequest): Array<Predicate> => {
  const preds = ["email", "mobile", "phone"].flatMap((field) => {
    const v = req.params.get(field)
    return v === undefined ? [] : [contactField(field, v)]
  })
  const state = req.params.get("state")
  if (state !== undefined) preds.push((e) => e.rec.occasional === (state === "occasional"))
  return preds
}

/** answers `GET /api/v2/agents` */
export const listAgents = (req: ApiRequest): Outcome => {
  const base = baseErrors(req, agentParams)
  const errors = base.length > 0 ? base : failed([oneOf(req.params, "state", agentStates)])
  if (errors.length > 0) return invalid(errors)
  const render = (e: Entry): Rec => omit(e.rec, ["group_ids", "role_ids"])
  const where = and(agentPredicates(req))
  const query = { view: "normal", key: "id", dir: "asc", where } as const
  return readPage(req, req.account.tables.agents, query, render)
}

/** answers `GET /api/v2/agents/me`: the agent who owns the key */
export const agentMe = (req: ApiRequest): Outcome => {
  const base = baseErrors(req, new Set())
  if (base.length > 0) return invalid(base)
  const { tables, ownerId } = req.account
  return { _tag: "Object", body: tables.agents.get(ownerId)?.rec ?? {} }
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

type IdField = "company_id" | "agent_id"

// an id filter must name an existing agent or company
const knownId = (req: ApiRequest, field: IdField): Bodies.FieldError | undefined => {
  const v = req.params.get(field)
  if (v === undefined) return undefined
  const id = positiveId(v)
  if (id === undefined) return Bodies.notPositiveInteger(field)
  const { agents, companies } = req.account.tables
  const found = (field === "agent_id" ? agents : companies).get(id) !== undefined
  return found ? undefined : { field, message: "can't be blank", code: "invalid_value" }
}

const timeErrors = (req: ApiRequest): Array<Bodies.FieldError> => {
  const p = req.params
  const billable = p.get("billable")
  const boolOk = billable === undefined || billable === "true" || billable === "false"
  return failed([
    knownId(req, "company_id"),
    knownId(req, "agent_id"),
    dateTime(p, "executed_after"),
    dateTime(p, "executed_before"),
    boolOk ? undefined : Bodies.notBoolean("billable")
  ])
}

const executedAt = (e: Entry): number => Date.parse(e.rec.executed_at as string)

const timePredicates = (req: ApiRequest): Array<Predicate> => {
  const p = req.params
  const out = (["company_id", "agent_id"] as const).flatMap((field) => {
    const v = p.get(field)
    return v === undefined ? [] : [(e: Entry) => e.rec[field] === Number(v)]
  })
  const after = p.get("executed_after")
  if (after !== undefined) out.push((e) => executedAt(e) >= isoTime(after)!)
  const before = p.get("executed_before")
  if (before !== undefined) out.push((e) => executedAt(e) <= isoTime(before)!)
  const billable = p.get("billable")
  if (billable !== undefined) out.push((e) => e.rec.billable === (billable === "true"))
  return out
}

/** answers `GET /api/v2/time_entries` */
export const listTimeEntries = (req: ApiRequest): Outcome => {
  const base = baseErrors(req, timeParams)
  const errors = base.length > 0 ? base : timeErrors(req)
  if (errors.length > 0) return invalid(errors)
  const where = and(timePredicates(req))
  const query = { view: "normal", key: "id", dir: "asc", where } as const
  return readPage(req, req.account.tables.time_entries, query, (e) => e.rec)
}
