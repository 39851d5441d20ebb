/**
 * Changes to the account while it is served: edits, creations and deletions,
 * each stamped with the simulator's `now` the way the real service stamps an
 * edit.
 *
 * An edit sets `updated_at` to `now` (never earlier than the record's current
 * value); deleting a ticket or contact is a soft delete that also counts as an
 * edit, while the other streams' records are removed for good, as Freshdesk
 * does.
 *
 * @since 0.1.0
 */
import type { Account } from "./Generator.ts"
import { buildRecord } from "./Generator.ts"
import { type StreamName, streamNames } from "./Options.ts"
import { type Flags, formatTime, type Rec, toEntry } from "./Records.ts"
import { SimulatorError } from "./SimulatorError.ts"
import type { Entry, Table } from "./Table.ts"

const softDeleted: ReadonlyArray<StreamName> = ["tickets", "contacts"]

/**
 * Checks that a name is one of the eight streams.
 *
 * @since 0.1.0
 * @category guards
 */
export const assertStream = (stream: string): StreamName => {
  if ((streamNames as ReadonlyArray<string>).includes(stream)) return stream as StreamName
  throw new SimulatorError({
    reason: "UnknownStream",
    message: `Unknown stream \`${stream}\`; expected one of ${streamNames.join(", ")}`
  })
}

const entryOf = (table: Table, stream: StreamName, id: number): Entry => {
  const entry = table.get(id)
  if (entry !== undefined) return entry
  const message = `No record with id ${id} in \`${stream}\``
  throw new SimulatorError({ reason: "NotFound", message })
}

/**
 * A record as the control API shows it: its full shape plus its hidden state
 * flags.
 *
 * @since 0.1.0
 * @category rendering
 */
export const present = (stream: StreamName, e: Entry): Rec => {
  if (stream === "tickets") return { ...e.rec, deleted: e.deleted }
  if (stream === "contacts") return { ...e.rec, deleted: e.deleted, blocked: e.blocked }
  return e.rec
}

/**
 * Every current record of a stream, hidden ones included, in id order.
 *
 * @since 0.1.0
 * @category rendering
 */
export const dataOf = (account: Account, stream: StreamName): ReadonlyArray<Rec> =>
  [...account.tables[stream].all()].sort((a, b) => a.id - b.id).map((e) => present(stream, e))

const splitFlags = (patch: Rec): readonly [Rec, Flags] => {
  const { deleted, blocked, ...fields } = patch
  const flags: { deleted?: boolean; blocked?: boolean } = {}
  if (typeof deleted === "boolean") flags.deleted = deleted
  if (typeof blocked === "boolean") flags.blocked = blocked
  return [fields, flags]
}

const seconds = (ms: number): number => Math.floor(ms / 1000) * 1000

/**
 * Edits a record: lays `patch` over it and stamps `updated_at` with `now`
 * unless the patch sets it; `deleted` and `blocked` in the patch set the hidden
 * state.
 *
 * @since 0.1.0
 * @category mutations
 */
export const update = (account: Account, stream: StreamName, id: number, patch: Rec, now: number): Rec => {
  const table = account.tables[stream]
  const old = entryOf(table, stream, id)
  const [fields, flags] = splitFlags(patch)
  const stamp = formatTime(Math.max(seconds(now), old.updated))
  const rec = { ...old.rec, ...fields, id, updated_at: fields.updated_at ?? stamp }
  const next = toEntry(rec, { deleted: old.deleted, blocked: old.blocked, ...flags })
  table.put(next)
  return present(stream, next)
}

/**
 * Creates a record generated like the others, created and updated at `now`,
 * with `partial` laid over it.
 *
 * @since 0.1.0
 * @category mutations
 */
export const create = (account: Account, stream: StreamName, partial: Rec, now: number): Rec => {
  const [fields, flags] = splitFlags(partial)
  const next = toEntry(buildRecord(account, stream, seconds(now), fields), flags)
  account.tables[stream].put(next)
  return present(stream, next)
}

/**
 * Deletes a record: tickets and contacts are soft-deleted (and stamped), the
 * other streams' records disappear.
 *
 * @since 0.1.0
 * @category mutations
 */
export const remove = (account: Account, stream: StreamName, id: number, now: number): void => {
  const table = account.tables[stream]
  entryOf(table, stream, id)
  if (softDeleted.includes(stream)) update(account, stream, id, { deleted: true }, now)
  else table.delete(id)
}
