/**
 * The simulator's options: the account it generates, the limits it enforces and
 * the faults and scenarios it plays. Every option has a default, so
 * `Simulator.start()` serves a small realistic account on the Pro plan's
 * limits.
 *
 * @since 0.1.0
 */

/**
 * The eight streams the connector syncs, in the connector's order.
 *
 * @since 0.1.0
 * @category models
 */
export const streamNames = [
  "tickets",
  "contacts",
  "companies",
  "agents",
  "groups",
  "roles",
  "products",
  "time_entries"
] as const

/**
 * A stream's name (also its path under `/api/v2`).
 *
 * @since 0.1.0
 * @category models
 */
export type StreamName = (typeof streamNames)[number]

/**
 * Every API route the simulator serves, named by its path under `/api/v2`.
 *
 * @since 0.1.0
 * @category models
 */
export type Endpoint = StreamName | "agents/me" | "ticket_fields"

/**
 * Limits per window: the overall account limit in credits and the ticket-list
 * and contact-list sub-limits in calls; `null` means no limit.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimits {
  readonly overall: number | null
  readonly ticketList: number | null
  readonly contactList: number | null
}

/**
 * A plan preset name.
 *
 * @since 0.1.0
 * @category models
 */
export type PlanName = "free" | "growth" | "pro" | "enterprise" | "unlimited"

/**
 * The current plans' per-minute limits (freshdesk-api.md section 4).
 *
 * @since 0.1.0
 * @category constants
 */
export const plans: { readonly [K in PlanName]: RateLimits } = {
  free: { overall: 50, ticketList: 50, contactList: 50 },
  growth: { overall: 200, ticketList: 20, contactList: 20 },
  pro: { overall: 400, ticketList: 100, contactList: 100 },
  enterprise: { overall: 700, ticketList: 200, contactList: 200 },
  unlimited: { overall: null, ticketList: null, contactList: null }
}

/**
 * A fault the server can inject: an error status with its body, a reset
 * connection, or a body cut off mid-JSON (`truncate` ends the response cleanly,
 * `truncate-reset` promises the full length and then destroys the socket).
 *
 * @since 0.1.0
 * @category models
 */
export type FaultKind = "500" | "502" | "503" | "reset" | "truncate" | "truncate-reset"

/**
 * One fault rule: inject `kind` on a `rate` share (0..1) of API requests,
 * optionally only on some endpoints and at most `times` times.
 *
 * @since 0.1.0
 * @category models
 */
export interface FaultRule {
  readonly kind: FaultKind
  readonly rate: number
  readonly endpoints?: ReadonlyArray<Endpoint>
  readonly times?: number
}

/**
 * Response latency: a fixed delay plus up to `jitterMs` more, drawn from the
 * seed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Latency {
  readonly ms: number
  readonly jitterMs?: number
}

/**
 * Why an endpoint answers 403: the key's role (`access_denied`) or the plan
 * (`require_feature`).
 *
 * @since 0.1.0
 * @category models
 */
export type ForbiddenReason = "access_denied" | "require_feature"

/**
 * Hundreds of tickets sharing one `updated_at`, placed so that in
 * `updated_at asc` order they straddle position `around` (0-based) of the
 * normal listing.
 *
 * @since 0.1.0
 * @category models
 */
export interface TieGroup {
  readonly size: number
  readonly around: number
}

/**
 * A mutation played while a stream is paged: after every `everyNRequests`-th
 * successful listing request of `stream`, `count` records are updated
 * (default), created or deleted.
 *
 * @since 0.1.0
 * @category models
 */
export interface PagingMutation {
  readonly stream: StreamName
  readonly everyNRequests: number
  readonly count: number
  readonly action?: "update" | "create" | "delete"
}

/**
 * A malformed value put into one record's listing output: `field` is a dotted
 * path (`custom_fields.cf_amount`), `value` any JSON value, or `raw` JSON text
 * spliced verbatim.
 *
 * @since 0.1.0
 * @category models
 */
export interface Corruption {
  readonly stream: StreamName
  readonly id: number
  readonly field: string
  readonly value?: unknown
  readonly raw?: string
}

/**
 * A field that changes type on some pages of a listing: on those `pages` every
 * row's `field` becomes `value` (or `raw` text), by default the old value
 * written as a string.
 *
 * @since 0.1.0
 * @category models
 */
export interface FieldFlip {
  readonly stream: StreamName
  readonly field: string
  readonly pages: ReadonlyArray<number>
  readonly value?: unknown
  readonly raw?: string
}

/**
 * How many records each stream starts with.
 *
 * @since 0.1.0
 * @category models
 */
export type Counts = {
  readonly [K in StreamName as K extends "time_entries" ? "timeEntries" : K]: number
}

/**
 * Shares (0..1) of tickets and contacts generated in each hidden state.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fractions {
  readonly deletedTickets: number
  readonly spamTickets: number
  readonly deletedContacts: number
  readonly blockedContacts: number
}

/**
 * Options that may change while the server runs (see
 * `SimulatorHandle.configure`).
 *
 * @since 0.1.0
 * @category models
 */
export interface RuntimeOptions {
  readonly plan?: PlanName | RateLimits
  readonly windowMs?: number
  readonly perPageMode?: "clamp" | "reject"
  readonly latency?: number | Latency
  readonly faults?: ReadonlyArray<FaultRule>
  readonly forbidden?: { readonly [K in Endpoint]?: ForbiddenReason }
  readonly editDuringPaging?: PagingMutation | ReadonlyArray<PagingMutation>
  readonly corruptions?: ReadonlyArray<Corruption>
  readonly fieldFlips?: ReadonlyArray<FieldFlip>
  readonly now?: Date | string | (() => Date)
}

/**
 * Everything `Simulator.start` accepts; defaults: port 0 (any free port), seed
 * 1, a key derived from the seed, `now` the wall clock, counts 300 tickets, 100
 * contacts, 20 companies, 10 agents, 5 groups, 4 roles, 3 products, 60 time
 * entries, the Pro plan, 60 s windows, clamped `per_page`, no latency, no
 * faults.
 *
 * @since 0.1.0
 * @category models
 */
export interface SimulatorOptions extends RuntimeOptions {
  readonly port?: number
  readonly seed?: number
  readonly apiKey?: string
  readonly counts?: Partial<Counts>
  readonly fractions?: Partial<Fractions>
  readonly oddShapes?: boolean
  readonly tieGroup?: TieGroup
}

/**
 * The runtime options with every default filled in.
 *
 * @since 0.1.0
 * @category models
 */
export interface Runtime {
  readonly limits: RateLimits
  readonly windowMs: number
  readonly perPageMode: "clamp" | "reject"
  readonly latency: Latency
  readonly faults: ReadonlyArray<FaultRule>
  readonly forbidden: { readonly [K in Endpoint]?: ForbiddenReason }
  readonly editDuringPaging: ReadonlyArray<PagingMutation>
  readonly corruptions: ReadonlyArray<Corruption>
  readonly fieldFlips: ReadonlyArray<FieldFlip>
  readonly now: () => Date
}

/**
 * The default record counts.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCounts: Counts = {
  tickets: 300,
  contacts: 100,
  companies: 20,
  agents: 10,
  groups: 5,
  roles: 4,
  products: 3,
  timeEntries: 60
}

/**
 * The default hidden-state shares.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultFractions: Fractions = {
  deletedTickets: 0.03,
  spamTickets: 0.02,
  deletedContacts: 0.03,
  blockedContacts: 0.02
}

const toLatency = (latency: number | Latency | undefined): Latency =>
  latency === undefined ? { ms: 0 } : typeof latency === "number" ? { ms: latency } : latency

const toClock = (now: Date | string | (() => Date) | undefined): (() => Date) => {
  if (now === undefined) return () => new Date()
  if (typeof now === "function") return now
  const fixed = new Date(now)
  return () => fixed
}

type Mutations = ReadonlyArray<PagingMutation>

const toMutations = (m: PagingMutation | Mutations | undefined): Mutations =>
  m === undefined ? [] : Array.isArray(m) ? m : [m as PagingMutation]

/**
 * Fills the runtime defaults in.
 *
 * @since 0.1.0
 * @category constructors
 */
export const resolveRuntime = (options: RuntimeOptions): Runtime => ({
  limits: typeof options.plan === "object" ? options.plan : plans[options.plan ?? "pro"],
  windowMs: options.windowMs ?? 60_000,
  perPageMode: options.perPageMode ?? "clamp",
  latency: toLatency(options.latency),
  faults: options.faults ?? [],
  forbidden: options.forbidden ?? {},
  editDuringPaging: toMutations(options.editDuringPaging),
  corruptions: options.corruptions ?? [],
  fieldFlips: options.fieldFlips ?? [],
  now: toClock(options.now)
})

/**
 * Applies a partial runtime change over a resolved runtime.
 *
 * @since 0.1.0
 * @category combinators
 */
export const mergeRuntime = (current: Runtime, change: RuntimeOptions): Runtime => ({
  limits: change.plan === undefined ? current.limits : resolveRuntime({ plan: change.plan }).limits,
  windowMs: change.windowMs ?? current.windowMs,
  perPageMode: change.perPageMode ?? current.perPageMode,
  latency: change.latency === undefined ? current.latency : toLatency(change.latency),
  faults: change.faults ?? current.faults,
  forbidden: change.forbidden ?? current.forbidden,
  editDuringPaging: toMutations(change.editDuringPaging ?? current.editDuringPaging),
  corruptions: change.corruptions ?? current.corruptions,
  fieldFlips: change.fieldFlips ?? current.fieldFlips,
  now: change.now === undefined ? current.now : toClock(change.now)
})
