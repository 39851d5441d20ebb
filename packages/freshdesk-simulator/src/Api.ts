/**
 * The `/api/v2` routes: one request in, one reply out, in the order the real
 * service checks things. The throttler comes first and counts every request it
 * lets in (invalid ones too), then authentication (401), then the key's
 * permissions and the plan's features (403), then the endpoint's own validation
 * (400) and finally the listing.
 *
 * @since 0.1.0
 */
import type { Endpoint, StreamName } from "./Options.ts"
import type { SubLimit } from "./RateLimiter.ts"
import * as Scenarios from "./Scenarios.ts"
import { stringify } from "./WireJson.ts"
import * as Bodies from "./internal/bodies.ts"
import { listContacts } from "./internal/endpoints/contacts.ts"
import { listTicketFields } from "./internal/endpoints/fields.ts"
import {
  agentMe,
  listAgents,
  listCompanies,
  listGroups,
  listProducts,
  listRoles,
  listTimeEntries
} from "./internal/endpoints/others.ts"
import type { ApiRequest, Outcome, Page } from "./internal/endpoints/shared.ts"
import { listTickets } from "./internal/endpoints/tickets.ts"
import { readParams } from "./internal/params.ts"
import type { Reply, State } from "./internal/state.ts"

// Known gap: only the list routes, /agents/me and /ticket_fields exist; record,
// create, update and search routes answer 404 because the connector never
// calls them. Add them here if it starts to.
const handlers: { readonly [K in Endpoint]: (req: ApiRequest) => Outcome } = {
  tickets: listTickets,
  contacts: listContacts,
  companies: listCompanies,
  agents: listAgents,
  groups: listGroups,
  roles: listRoles,
  products: listProducts,
  time_entries: listTimeEntries,
  "agents/me": agentMe,
  ticket_fields: listTicketFields
}

/**
 * The endpoints served, by path under `/api/v2`.
 *
 * @since 0.1.0
 * @category constants
 */
export const endpoints: ReadonlyArray<Endpoint> = Object.keys(handlers) as Array<Endpoint>

/**
 * The endpoint a request path names, if any (one trailing slash is tolerated).
 *
 * @since 0.1.0
 * @category routing
 */
export const route = (path: string): Endpoint | undefined => {
  const m = /^\/api\/v2\/(.+?)\/?$/.exec(path)
  const name = m?.[1]
  const known = (endpoints as ReadonlyArray<string | undefined>).includes(name)
  return known ? (name as Endpoint) : undefined
}

/**
 * What the route needs to know about the HTTP request.
 *
 * @since 0.1.0
 * @category models
 */
export interface ApiCall {
  readonly endpoint: Endpoint
  readonly path: string
  readonly rawQuery: string
  readonly host: string
  readonly authorization: string | undefined
}

const baseHeaders = {
  "Content-Type": "application/json; charset=utf-8",
  "X-Freshdesk-API-Version": "latest=v2; requested=v2",
  "Cache-Control": "no-cache, no-store, max-age=0, must-revalidate",
  Pragma: "no-cache"
}

const subLimit = (endpoint: Endpoint): SubLimit =>
  endpoint === "tickets" ? "ticketList" : endpoint === "contacts" ? "contactList" : undefined

// basic auth with the key as user name; a user name with `@` would be
// email/password auth
const authorized = (header: string | undefined, apiKey: string): boolean => {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? "")
  if (m === null) return false
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8")
  const user = decoded.includes(":") ? decoded.slice(0, decoded.indexOf(":")) : decoded
  return user === apiKey && !user.includes("@")
}

// a query key as the server reads it (a malformed escape is kept as written)
const keyOf = (part: string): string => {
  const raw = part.split("=")[0] ?? ""
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "))
  } catch {
    return raw
  }
}

// the next page's URL: every original parameter as sent, `page` replaced
const nextLink = (call: ApiCall, page: number): string => {
  const kept = call.rawQuery.split("&").filter((part) => part !== "" && keyOf(part) !== "page")
  const query = [...kept, `page=${page + 1}`].join("&")
  return `<http://${call.host}${call.path}?${query}>; rel="next"`
}

type Headers = Record<string, string>

const json = (status: number, body: unknown, headers: Headers = {}, credits = 1): Reply => ({
  status,
  headers: { ...baseHeaders, ...headers },
  body: stringify(body),
  credits
})

const faultReply = (kind: "500" | "502" | "503"): Reply => {
  if (kind === "500") return json(500, Bodies.internalError)
  if (kind === "503") return json(503, Bodies.serviceUnavailable)
  return {
    status: 502,
    headers: { ...baseHeaders, "Content-Type": "text/html" },
    body: Bodies.badGatewayHtml,
    credits: 1
  }
}

const pageReply = (state: State, call: ApiCall, outcome: Page, now: number): Reply => {
  const stream = call.endpoint as StreamName
  const credits = 1 + outcome.extraCredits
  state.limiter.chargeCredits(now, outcome.extraCredits)
  const rt = state.runtime
  const rows = Scenarios.corrupt(stream, outcome.page, outcome.rows, rt.corruptions, rt.fieldFlips)
  const headers: Record<string, string> = { ...state.limiter.headers(now, credits) }
  if (outcome.hasNext) headers.Link = nextLink(call, outcome.page)
  state.mutator.listed(state.account, stream, rt.now().getTime())
  return json(200, rows, headers, credits)
}

const answer = (state: State, call: ApiCall, now: number): Reply => {
  const rl = (credits: number) => state.limiter.headers(now, credits) ?? {}
  const params = readParams(new URLSearchParams(call.rawQuery))
  const outcome = handlers[call.endpoint]({
    account: state.account,
    params,
    now: state.runtime.now().getTime(),
    perPageMode: state.runtime.perPageMode
  })
  if (outcome._tag === "Invalid") return json(400, Bodies.validation(outcome.errors), rl(1))
  if (outcome._tag === "Object") return json(200, outcome.body, rl(1))
  return pageReply(state, call, outcome, now)
}

/**
 * Answers one API request.
 *
 * @since 0.1.0
 * @category handlers
 */
export const respond = (state: State, call: ApiCall, now: number): Reply => {
  const admission = state.limiter.admit(now, subLimit(call.endpoint))
  if (admission._tag === "Refused") {
    const retryAfter = String(admission.retryAfterSeconds)
    return json(429, Bodies.rateLimited, { "Retry-After": retryAfter }, 0)
  }
  const rl = state.limiter.headers(now, 1) ?? {}
  if (!authorized(call.authorization, state.apiKey)) return json(401, Bodies.invalidCredentials, rl)
  const forbidden = state.runtime.forbidden[call.endpoint]
  if (forbidden === "access_denied") return json(403, Bodies.accessDenied, rl)
  if (forbidden === "require_feature") return json(403, Bodies.requireFeature(call.endpoint), rl)
  const fault = state.faults.pick(call.endpoint)
  if (fault === "500" || fault === "502" || fault === "503") return faultReply(fault)
  const reply = answer(state, call, now)
  return fault === undefined ? reply : { ...reply, drop: fault }
}
