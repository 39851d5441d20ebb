/**
 * The eight Freshdesk streams, as the pipeline sees them.
 *
 * | stream | mode | how it reads | cursor |
 * |---|---|---|---|
 * | tickets | incremental | keyset over `updated_since`, passes normal, spam, deleted | `{ normal, spam, deleted }` |
 * | contacts | incremental | `_updated_since`, passes normal, deleted, blocked | per pass `{ since, page, max, startedAt }` |
 * | companies | incremental | full scan kept client-side (`updated_at >= since`) | `{ since }` |
 * | agents, groups, roles, products, time_entries | full refresh | `Link` header | null |
 *
 * @since 0.1.0
 */
import * as Contacts from "./internal/contacts.ts"
import * as Entities from "./internal/entities.ts"
import * as Scans from "./internal/scans.ts"
import * as Tickets from "./internal/tickets.ts"
import type { StreamName, SyncStream } from "./SyncStream.ts"

/**
 * The version of the column sets below, recorded in every snapshot.
 *
 * @since 0.1.0
 * @category constants
 */
export const schemaVersion = 1

const noWatermark = (): null => null

const fullRefresh = (entity: Entities.Entity, path: string, finish?: Entities.Finish): SyncStream => ({
  name: entity.name,
  mode: "full_refresh",
  primaryKey: "id",
  cursorField: null,
  columns: entity.columns,
  schemaVersion,
  cursorWatermark: noWatermark,
  read: Scans.fullRefresh(entity, path, finish)
})

const incremental = (
  entity: Entities.Entity,
  read: SyncStream["read"],
  cursorWatermark: SyncStream["cursorWatermark"]
): SyncStream => ({
  name: entity.name,
  mode: "incremental",
  primaryKey: "id",
  cursorField: "updated_at",
  columns: entity.columns,
  schemaVersion,
  cursorWatermark,
  read
})

/**
 * Tickets: incremental on `updated_at`, never truncated at the 30,000-ticket listing cap.
 *
 * @since 0.1.0
 * @category streams
 */
export const tickets: SyncStream = incremental(Entities.tickets, Tickets.read, Tickets.watermark)

/**
 * Contacts: incremental with `_updated_since`; deleted and blocked ones are flagged.
 *
 * @since 0.1.0
 * @category streams
 */
export const contacts: SyncStream = incremental(Entities.contacts, Contacts.read, Contacts.watermark)

/**
 * Companies: incremental by a full scan (the API cannot filter companies).
 *
 * @since 0.1.0
 * @category streams
 */
export const companies: SyncStream = incremental(Entities.companies, Scans.companies, Scans.companiesWatermark)

/**
 * Agents: full refresh.
 *
 * @since 0.1.0
 * @category streams
 */
export const agents: SyncStream = fullRefresh(Entities.agents, "/agents")

/**
 * Groups: full refresh.
 *
 * @since 0.1.0
 * @category streams
 */
export const groups: SyncStream = fullRefresh(Entities.groups, "/groups")

/**
 * Roles: full refresh.
 *
 * @since 0.1.0
 * @category streams
 */
export const roles: SyncStream = fullRefresh(Entities.roles, "/roles")

/**
 * Products: full refresh (403 `require_feature` on plans without products).
 *
 * @since 0.1.0
 * @category streams
 */
export const products: SyncStream = fullRefresh(Entities.products, "/products")

/**
 * Time entries: full refresh, with `time_spent_minutes` beside `time_spent`.
 *
 * @since 0.1.0
 * @category streams
 */
export const timeEntries: SyncStream = fullRefresh(Entities.timeEntries, "/time_entries", Entities.finishTimeEntries)

/**
 * Every stream, in the order a full sync runs them.
 *
 * @since 0.1.0
 * @category streams
 */
export const all: ReadonlyArray<SyncStream> = [
  tickets,
  contacts,
  companies,
  agents,
  groups,
  roles,
  products,
  timeEntries
]

/**
 * The stream of a name, or undefined for a name that is not one.
 *
 * @since 0.1.0
 * @category accessors
 */
export const byName = (name: string): SyncStream | undefined => all.find((stream) => stream.name === name)

/**
 * Whether a text is a stream name.
 *
 * @since 0.1.0
 * @category guards
 */
export const isStreamName = (name: string): name is StreamName => byName(name) !== undefined
