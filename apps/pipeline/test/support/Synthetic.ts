// synthetic streams for the storage engine's tests: a SyncStream whose `read` yields
// batches built here from an in-memory account (no HTTP involved)
import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import { type Duration, Effect, Stream } from "effect"
import type { Batch, Column, StreamSource } from "../../src/internal/contract.ts"

export type Ticket = {
  readonly id: number | bigint
  readonly subject: string
  readonly updated_at: string
  readonly custom_fields: unknown
  readonly tags: ReadonlyArray<string> | null
  readonly deleted: boolean
}

export const ticketColumns: ReadonlyArray<Column> = [
  { name: "id", type: "BIGINT", description: "id" },
  { name: "subject", type: "VARCHAR", description: "subject" },
  { name: "updated_at", type: "TIMESTAMPTZ", description: "last update" },
  { name: "custom_fields", type: "JSON", description: "custom fields" },
  { name: "tags", type: "VARCHAR[]", description: "tags" },
  { name: "deleted", type: "BOOLEAN", description: "deleted" }
]

interface TicketCursor {
  readonly updated_at: string
}

const watermarkOf = (cursor: unknown) => (cursor as TicketCursor | null)?.updated_at ?? null

export const ticket = (id: number | bigint, updatedAt: string, patch: Partial<Ticket> = {}): Ticket => ({
  id,
  subject: `ticket ${id}`,
  updated_at: updatedAt,
  custom_fields: { cf_n: id },
  tags: [],
  deleted: false,
  ...patch
})

/** an account whose tickets can be changed between reads */
export const account = (tickets: ReadonlyArray<Ticket>) => ({ tickets: [...tickets] })

const batchOf = (rows: Batch["rows"], cursor: unknown, extractedAt = new Date()): Batch => ({
  rows,
  rejected: [],
  extractedAt,
  replacedCharacters: 0,
  cursor
})

const ordered = (tickets: ReadonlyArray<Ticket>) =>
  [...tickets].sort((a, b) => a.updated_at.localeCompare(b.updated_at) || Number(a.id) - Number(b.id))

export interface TicketsOptions {
  readonly pageSize?: number
  /** fail with this error after this many pages */
  readonly failAfterPages?: { readonly pages: number; readonly error: unknown }
  /** wait this long before each page after the first */
  readonly pageDelay?: Duration.DurationInput
  readonly schemaVersion?: number
  readonly columns?: ReadonlyArray<Column>
  readonly watermark?: (cursor: unknown) => string | null
}

/** an incremental tickets stream over `acct`, keyset on updated_at (inclusive) */
export const tickets = (
  acct: { tickets: Array<Ticket> },
  options: TicketsOptions = {}
): StreamSource<unknown, never> => ({
  name: "tickets",
  mode: "incremental",
  primaryKey: "id",
  cursorField: "updated_at",
  columns: options.columns ?? ticketColumns,
  schemaVersion: options.schemaVersion ?? 1,
  cursorWatermark: options.watermark ?? watermarkOf,
  read: (input) => {
    const from = watermarkOf(input.cursor) ?? input.startDate?.toISOString() ?? ""
    const rows = ordered(acct.tickets).filter((t) => t.updated_at >= from)
    const size = options.pageSize ?? 10
    const pages: Array<Batch> = []
    for (let i = 0; i < rows.length; i += size) {
      const page = rows.slice(i, i + size)
      pages.push(batchOf(page, { updated_at: page.at(-1)?.updated_at }))
    }
    const fail = options.failAfterPages
    const delayed = Stream.fromIterable(pages).pipe(
      Stream.zipWithIndex,
      Stream.mapEffect(([page, i]) =>
        i > 0 && options.pageDelay !== undefined
          ? Effect.as(Effect.sleep(options.pageDelay), page)
          : Effect.succeed(page)
      )
    )
    if (fail === undefined) return delayed
    return Stream.concat(Stream.take(delayed, fail.pages), Stream.fail(fail.error))
  }
})

export type Agent = {
  readonly id: number | bigint
  readonly name: string
}

export const agentColumns: ReadonlyArray<Column> = [
  { name: "id", type: "BIGINT", description: "id" },
  { name: "name", type: "VARCHAR", description: "name" }
]

/** a full-refresh agents stream over `acct` */
export const agents = (
  acct: { agents: Array<Agent> },
  options: { readonly pageSize?: number; readonly failAfterPages?: { pages: number; error: unknown } } = {}
): StreamSource<unknown, never> => ({
  name: "agents",
  mode: "full_refresh",
  primaryKey: "id",
  cursorField: null,
  columns: agentColumns,
  schemaVersion: 1,
  cursorWatermark: () => null,
  read: () => {
    const size = options.pageSize ?? 10
    const pages: Array<Batch> = []
    for (let i = 0; i < acct.agents.length; i += size) {
      pages.push(batchOf(acct.agents.slice(i, i + size), null))
    }
    const fail = options.failAfterPages
    const all = Stream.fromIterable(pages)
    return fail === undefined ? all : Stream.concat(Stream.take(all, fail.pages), Stream.fail(fail.error))
  }
})

/** a temporary dataset folder, removed when the scope closes */
export const tempDir = Effect.acquireRelease(
  Effect.promise(() => Fs.mkdtemp(Path.join(Os.tmpdir(), "pipeline-test-"))),
  (dir) => Effect.promise(() => Fs.rm(dir, { recursive: true, force: true }))
)

export const listFiles = async (dir: string): Promise<ReadonlyArray<string>> => {
  try {
    const entries = await Fs.readdir(dir, { recursive: true, withFileTypes: true })
    return entries
      .filter((e) => e.isFile())
      .map((e) => Path.relative(dir, Path.join(e.parentPath, e.name)))
      .sort()
  } catch {
    return []
  }
}
