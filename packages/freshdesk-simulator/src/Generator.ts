/**
 * The seeded account generator: the same seed and counts always give the same
 * account.
 *
 * Records are built stream by stream so that references hold (a ticket's
 * requester is a generated contact, a time entry's ticket a generated ticket).
 * Creation times are drawn and sorted first, so ids grow with `created_at` as
 * in a real account; tickets span about two years before `now`, and everything
 * generated is at least one second older than `now`, so an edit stamped `now`
 * is strictly later than any generated `updated_at`.
 *
 * @since 0.1.0
 */
import {
  type Counts,
  defaultCounts,
  defaultFractions,
  type Fractions,
  type StreamName,
  type TieGroup
} from "./Options.ts"
import { formatTime, type Rec, toEntry } from "./Records.ts"
import { type Entry, Table } from "./Table.ts"
import { type Ctx, DAY, type Pools } from "./internal/build/context.ts"
import { company, contact } from "./internal/build/people.ts"
import { agent, group, product, role, timeEntry } from "./internal/build/staff.ts"
import { ticket } from "./internal/build/tickets.ts"
import { derive, make, type Rng } from "./internal/prng.ts"

/**
 * A generated account: one table per stream plus the state listings need.
 *
 * @since 0.1.0
 * @category models
 */
export interface Account {
  readonly tables: { readonly [K in StreamName]: Table }
  readonly ownerId: number
  readonly watched: Set<number>
  readonly odd: boolean
  readonly rng: Rng
  readonly createdAt: number
}

/**
 * What the generator needs.
 *
 * @since 0.1.0
 * @category models
 */
export interface GenerateOptions {
  readonly seed: number
  readonly now: number
  readonly counts?: Partial<Counts>
  readonly fractions?: Partial<Fractions>
  readonly oddShapes?: boolean
  readonly tieGroup?: TieGroup
}

const idBases: { readonly [K in StreamName]: number } = {
  tickets: 0,
  contacts: 50000009103717,
  companies: 1080000528068,
  agents: 67013469919,
  groups: 501001204168,
  roles: 50000226547,
  products: 1060000012345,
  time_entries: 50000512000000
}

const YEAR = 365 * DAY

const toSecond = (ms: number): number => Math.floor(ms / 1000) * 1000

// n creation times in [from, to], ascending, whole seconds
const createdTimes = (rng: Rng, n: number, from: number, to: number) => {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = toSecond(from + rng.next() * (to - from))
  return out.sort()
}

// a record is often never touched after creation; otherwise it is edited
// within about four months
const updatedAfter = (rng: Rng, created: number, last: number): number => {
  if (rng.chance(0.3)) return created
  const latest = Math.min(last, created + 120 * DAY)
  return toSecond(created + rng.next() * (latest - created))
}

// ids grow with creation and never collide: a stride of 1000 plus noise
const globalId = (rng: Rng, stream: StreamName, i: number): number => idBases[stream] + i * 1000 + rng.int(0, 999)

type Build = (ctx: Ctx, id: number, i: number, created: number, updated: number) => Rec

const builders: { readonly [K in StreamName]: Build } = {
  tickets: (ctx, id, _i, c, u) => ticket(ctx, id, c, u),
  contacts: (ctx, id, i, c, u) => contact(ctx, id, i, c, u),
  companies: (ctx, id, _i, c, u) => company(ctx, id, c, u),
  agents: (ctx, id, _i, c, u) => agent(ctx, id, c, u),
  groups: (ctx, id, _i, c, u) => group(ctx, id, c, u),
  roles: (ctx, id, i, c) => role(ctx, id, i, c),
  products: (ctx, id, _i, c, u) => product(ctx, id, c, u),
  time_entries: (ctx, id, _i, c, u) => timeEntry(ctx, id, c, u)
}

const countOf = (counts: Counts, stream: StreamName): number =>
  stream === "time_entries" ? counts.timeEntries : counts[stream]

const recsOf = (table: Table): ReadonlyArray<Rec> => table.all().map((e) => e.rec)

/**
 * The records each builder may refer to, read from the current tables.
 *
 * @since 0.1.0
 * @category constructors
 */
export const poolsOf = (tables: Account["tables"]): Pools => ({
  contacts: recsOf(tables.contacts),
  companies: recsOf(tables.companies),
  agents: recsOf(tables.agents),
  groups: recsOf(tables.groups),
  products: recsOf(tables.products),
  tickets: recsOf(tables.tickets)
})

interface Fill {
  readonly stream: StreamName
  readonly count: number
  readonly span: number
  readonly now: number
}

const fillStream = (ctx: Ctx, table: Table, fill: Fill): void => {
  const { stream, count } = fill
  const last = fill.now - 1000
  const times = createdTimes(ctx.rng, count, last - fill.span, last)
  for (let i = 0; i < count; i++) {
    const created = times[i]!
    const updated = updatedAfter(ctx.rng, created, last)
    const id = stream === "tickets" ? i + 1 : globalId(ctx.rng, stream, i)
    table.put(toEntry(builders[stream](ctx, id, i, created, updated)))
  }
}

const emptyTables = (): { [K in StreamName]: Table } => ({
  tickets: new Table(),
  contacts: new Table(),
  companies: new Table(),
  agents: new Table(),
  groups: new Table(),
  roles: new Table(),
  products: new Table(),
  time_entries: new Table()
})

// the order references need: a stream is built after the streams it points to
const buildOrder: ReadonlyArray<StreamName> = [
  "companies",
  "contacts",
  "agents",
  "groups",
  "roles",
  "products",
  "tickets",
  "time_entries"
]

type Tables = Account["tables"]

const hide = (rng: Rng, tables: Tables, shares: Fractions): void => {
  const { tickets, contacts } = tables
  for (const e of tickets.all()) {
    const roll = rng.next()
    const spam = roll < shares.deletedTickets + shares.spamTickets
    if (roll < shares.deletedTickets) tickets.put({ ...e, deleted: true })
    else if (spam) tickets.put(toEntry({ ...e.rec, spam: true }))
  }
  for (const e of contacts.all()) {
    const roll = rng.next()
    const blocked = roll < shares.deletedContacts + shares.blockedContacts
    if (roll < shares.deletedContacts) contacts.put({ ...e, deleted: true })
    else if (blocked) contacts.put({ ...e, blocked: true })
  }
}

// each agent joins one group and holds one role; groups list their members
const linkStaff = (rng: Rng, tables: Tables): void => {
  const groups = tables.groups.all()
  const roles = tables.roles.all()
  const oneOf = (xs: ReadonlyArray<Entry>) => (xs.length === 0 ? [] : [rng.pick(xs).id])
  for (const a of tables.agents.all()) {
    const rec = { ...a.rec, group_ids: oneOf(groups), role_ids: oneOf(roles) }
    tables.agents.put({ ...a, rec })
  }
  const agents = tables.agents.all()
  for (const g of groups) {
    const inGroup = (a: Entry) => (a.rec.group_ids as Array<number>).includes(g.id)
    const agentIds = agents.filter(inGroup).map((a) => a.id)
    tables.groups.put({ ...g, rec: { ...g.rec, agent_ids: agentIds } })
  }
}

/**
 * Gives a block of normal tickets one shared `updated_at` so that, in
 * `updated_at asc` order, they straddle position `around`; the shared value is
 * the block's latest, so no ticket gets an `updated_at` before its
 * `created_at`.
 *
 * @since 0.1.0
 * @category scenarios
 */
export const placeTieGroup = (table: Table, tie: TieGroup): void => {
  const all = { view: "normal", key: "updated_at", dir: "asc" } as const
  const rows = table.select({ ...all, offset: 0, limit: table.size })
  const size = Math.min(tie.size, rows.length)
  const wanted = tie.around - Math.floor(size / 2)
  const start = Math.max(0, Math.min(wanted, rows.length - size))
  const block = rows.slice(start, start + size)
  const shared = formatTime(block[block.length - 1]?.updated ?? 0)
  for (const e of block) table.put(toEntry({ ...e.rec, updated_at: shared }, e))
}

/**
 * Generates a whole account.
 *
 * @since 0.1.0
 * @category constructors
 */
export const generate = (options: GenerateOptions): Account => {
  const counts = { ...defaultCounts, ...options.counts }
  const rng = make(derive(options.seed, "generate"))
  const tables = emptyTables()
  const odd = options.oddShapes === true
  for (const stream of buildOrder) {
    const ctx: Ctx = { rng, odd, pools: poolsOf(tables) }
    const span = stream === "tickets" ? 2 * YEAR : 3 * YEAR
    const count = countOf(counts, stream)
    fillStream(ctx, tables[stream], { stream, count, span, now: options.now })
  }
  linkStaff(rng, tables)
  hide(rng, tables, { ...defaultFractions, ...options.fractions })
  if (options.tieGroup !== undefined) placeTieGroup(tables.tickets, options.tieGroup)
  const watching = tables.tickets.all().filter(() => rng.chance(0.03))
  return {
    tables,
    ownerId: tables.agents.all()[0]?.id ?? 0,
    watched: new Set(watching.map((e) => e.id)),
    odd,
    rng: make(derive(options.seed, "mutate")),
    createdAt: options.now - 3 * YEAR
  }
}

/**
 * Builds one new record for `stream`, created and updated at `now`, with
 * `partial` fields laid over the generated ones.
 *
 * @since 0.1.0
 * @category constructors
 */
export const buildRecord = (account: Account, stream: StreamName, now: number, partial: Rec): Rec => {
  const { rng, odd, tables } = account
  const table = tables[stream]
  const ctx: Ctx = { rng, odd, pools: poolsOf(tables) }
  const maxId = table.maxId()
  const global = Math.max(maxId, idBases[stream]) + rng.int(1, 999)
  const id = stream === "tickets" ? maxId + 1 : global
  return { ...builders[stream](ctx, id, table.size, now, now), ...partial, id }
}
