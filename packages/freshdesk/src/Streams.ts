/**
 * The eight Freshdesk streams, as the pipeline sees them.
 *
 * - tickets, incremental: keyset over `updated_since` in passes normal, spam
 *   and deleted; cursor `{ normal, spam, deleted }`.
 * - contacts, incremental: `_updated_since` in passes normal, deleted and
 *   blocked; cursor per pass `{ since, page, max, startedAt }`.
 * - companies, incremental: a full scan kept client-side (`updated_at >=
 *   since`); cursor `{ since }`.
 * - agents, groups, roles, products, time_entries, full refresh: the `Link`
 *   header; cursor null.
 *
 * @since 0.1.0
 */
import * as Contacts from "./internal/contacts.ts"
import * as E from "./internal/entities.ts"
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

const fullRefresh = (entity: E.Entity, path: string, finish?: E.Finish): SyncStream => ({
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
  entity: E.Entity,
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
 * Tickets: incremental on `updated_at`, never truncated at the 30,000-ticket
 * listing cap.
 *
 * @since 0.1.0
 * @category streams
 */
export const tickets: SyncStream = incremental(E.tickets, Tickets.read, Tickets.watermark)

/**
 * Contacts: incremental with `_updated_since`; deleted and blocked ones are
 * flagged.
 *
 * @since 0.1.0
 * @category streams
 */
export const contacts: SyncStream = incremental(E.contacts, Contacts.read, Contacts.watermark)

/**
 * Companies: incremental by a full scan (the API cannot filter companies).
 *
 * @since 0.1.0
 * @category streams
 */
export const companies: SyncStream = incremental(E.companies, Scans.companies, Scans.watermark)

/**
 * Agents: full refresh.
 *
 * @since 0.1.0
 * @category streams
 */
export const agents: SyncStream = fullRefresh(E.agents, "/agents")

/**
 * Groups: full refresh.
 *
 * @since 0.1.0
 * @category streams
 */
export const groups: SyncStream = fullRefresh(E.groups, "/groups")

/**
 * Roles: full refresh.
 *
 * @since 0.1.0
 * @category streams
 */
export const roles: SyncStream = fullRefresh(E.roles, "/roles")

/**
 * Products: full refresh (403 `require_feature` on plans without products).
 *
 * @since 0.1.0
 * @category streams
 */
export const products: SyncStream = fullRefresh(E.products, "/products")

/**
 * Time entries: full refresh, with `time_spent_minutes` beside `time_spent`.
 *
 * @since 0.1.0
 * @category streams
 */
export const timeEntries: SyncStream = fullRefresh(E.timeEntries, "/time_entries", E.finishEntries)

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
export const byName = (name: string): SyncStream | undefined => {
  const named = (stream: SyncStream) => stream.name === name
  return all.find(named)
}

/**
 * Whether a text is a stream name.
 *
 * @since 0.1.0
 * @category guards
 */
export const isStreamName = (name: string): name is StreamName => byName(name) !== undefined
