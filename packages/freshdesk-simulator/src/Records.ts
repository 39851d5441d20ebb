/**
 * Records as the simulator stores them: the full API object of a record plus
 * the keys it is listed by and its hidden state (deleted, blocked). Timestamps
 * are epoch milliseconds inside and `YYYY-MM-DDTHH:MM:SSZ` on the wire.
 *
 * @since 0.1.0
 */
import type { Entry } from "./Table.ts"

/**
 * A record in its full API shape (`description`, `stats` and the like
 * included).
 *
 * @since 0.1.0
 * @category models
 */
export type Rec = Readonly<Record<string, unknown>>

/**
 * Hidden state kept beside a record.
 *
 * @since 0.1.0
 * @category models
 */
export interface Flags {
  readonly deleted?: boolean
  readonly blocked?: boolean
}

/**
 * Writes epoch milliseconds as the API's UTC timestamp, seconds precision.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`

/**
 * Writes epoch milliseconds with a `+05:30` offset, as the API documentation's
 * examples do.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatIndia = (ms: number): string => {
  const shifted = new Date(ms + 19_800_000).toISOString()
  return `${shifted.slice(0, 19)}+05:30`
}

/**
 * Writes the UTC calendar date of epoch milliseconds as `YYYY-MM-DD`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

/**
 * Reads a timestamp field back to epoch milliseconds (0 when absent or
 * unreadable).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseTime = (value: unknown): number => {
  if (typeof value !== "string") return 0
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? 0 : ms
}

/**
 * Builds the stored entry of a record, deriving its order keys from its fields.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toEntry = (rec: Rec, flags: Flags = {}): Entry => ({
  id: Number(rec.id),
  rec,
  created: parseTime(rec.created_at),
  updated: parseTime(rec.updated_at),
  due: parseTime(rec.due_by),
  status: typeof rec.status === "number" ? rec.status : 0,
  name: typeof rec.name === "string" ? rec.name.toLowerCase() : "",
  deleted: flags.deleted === true,
  blocked: flags.blocked === true,
  spam: rec.spam === true
})
