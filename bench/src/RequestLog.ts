/**
 * What a sync requested, read from the simulator's request log: the endpoint of each
 * request, the lanes a faithful replay runs (one per stream, in the sync's order), and
 * the demand on the rate limits (credits, ticket-list and contact-list calls).
 *
 * @since 0.1.0
 */
import type { LoggedRequest } from "./internal/hostProtocol.ts"

export type { LoggedRequest }

const API_PREFIX = "/api/v2/"

/**
 * The endpoint of a logged path (`/api/v2/tickets?page=2` gives `tickets`).
 *
 * @since 0.1.0
 * @category reading
 */
export const endpointOf = (url: string): string => {
  const path = url.split("?")[0] ?? ""
  return path.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length) : path
}

/**
 * Credits Freshdesk charges for a request: one, plus two per ticket-list embed.
 *
 * @since 0.1.0
 * @category reading
 */
export const creditsOf = (url: string): number => {
  if (endpointOf(url) !== "tickets") return 1
  const include = new URL(url, "http://x").searchParams.get("include")
  const embeds = include === null || include === "" ? 0 : include.split(",").length
  return 1 + 2 * embeds
}

/**
 * A replay plan: the preflight requests one after another, then every lane at once,
 * each lane's requests one after another.
 *
 * @since 0.1.0
 * @category models
 */
export interface Replay {
  readonly preflight: ReadonlyArray<string>
  readonly lanes: Readonly<Record<string, ReadonlyArray<string>>>
}

// the credentials probe and the plan lookup run before any stream starts; the
// ticket_fields lookup is made by the tickets stream for its labels
const laneOf = (endpoint: string): string => {
  if (endpoint === "agents/me") return "preflight"
  if (endpoint === "ticket_fields") return "tickets"
  return endpoint
}

/**
 * Groups the successful requests of a log into the lanes of a replay, in start order.
 *
 * @since 0.1.0
 * @category reading
 */
export const replayOf = (log: ReadonlyArray<LoggedRequest>): Replay => {
  const preflight: Array<string> = []
  const lanes: Record<string, Array<string>> = {}
  const ordered = [...log].filter((r) => r.status === 200).sort((a, b) => a.start - b.start)
  for (const request of ordered) {
    const lane = laneOf(endpointOf(request.url))
    if (lane === "preflight") preflight.push(request.url)
    else {
      const list = lanes[lane] ?? []
      list.push(request.url)
      lanes[lane] = list
    }
  }
  return { preflight, lanes }
}

/**
 * The demand a run put on the rate limits.
 *
 * @since 0.1.0
 * @category models
 */
export interface Demand {
  readonly requests: number
  readonly responses429: number
  /** credits of the admitted requests (every answer but a 429) */
  readonly credits: number
  readonly ticketListCalls: number
  readonly contactListCalls: number
  /** from the first request's arrival to the last response, in milliseconds */
  readonly spanMillis: number
}

/**
 * Adds up the demand of a log.
 *
 * @since 0.1.0
 * @category reading
 */
export const demandOf = (log: ReadonlyArray<LoggedRequest>): Demand => {
  const admitted = log.filter((r) => r.status !== 429)
  const calls = (endpoint: string) => admitted.filter((r) => endpointOf(r.url) === endpoint).length
  const first = Math.min(...log.map((r) => r.start))
  const last = Math.max(...log.map((r) => r.end))
  return {
    requests: log.length,
    responses429: log.length - admitted.length,
    credits: admitted.reduce((sum, r) => sum + creditsOf(r.url), 0),
    ticketListCalls: calls("tickets"),
    contactListCalls: calls("contacts"),
    spanMillis: log.length === 0 ? 0 : last - first
  }
}

/**
 * A plan's limits per window: account credits, ticket-list and contact-list calls.
 *
 * @since 0.1.0
 * @category models
 */
export interface Limits {
  readonly overall: number
  readonly ticketList: number
  readonly contactList: number
}

/**
 * The time the limits allow for a demand at a steady pace, and which limit binds:
 * `max(credits / overall, ticket calls / ticket limit, contact calls / contact limit)`
 * windows.
 *
 * @since 0.1.0
 * @category computing
 */
export const steadyPace = (
  demand: Demand,
  limits: Limits,
  windowMillis: number
): { readonly millis: number; readonly windows: number; readonly binding: keyof Limits } => {
  const windows: ReadonlyArray<readonly [keyof Limits, number]> = [
    ["overall", demand.credits / limits.overall],
    ["ticketList", demand.ticketListCalls / limits.ticketList],
    ["contactList", demand.contactListCalls / limits.contactList]
  ]
  const [binding, most] = windows.reduce((a, b) => (b[1] > a[1] ? b : a))
  return { millis: most * windowMillis, windows: most, binding }
}
