// the parts of @landed/freshdesk's SyncStream contract the storage engine relies on,
// generic in the stream's error and requirements so the engine runs any source (the real
// streams, or the synthetic ones of the tests)
import type { Stream } from "effect"

// Known gap: these mirror packages/freshdesk/src/SyncStream.ts field for field while that
// package's index does not export the contract yet; they become re-exports once it does.
export type SyncMode = "incremental" | "full_refresh"

export interface Column {
  readonly name: string
  readonly type: string
  readonly description: string
}

export interface RejectedRecord {
  readonly stream: string
  readonly id: string | null
  readonly field: string
  readonly reason: string
  readonly raw: string
}

export interface Batch {
  readonly rows: ReadonlyArray<Readonly<Record<string, unknown>>>
  readonly rejected: ReadonlyArray<RejectedRecord>
  readonly extractedAt: Date
  readonly replacedCharacters: number
  readonly cursor: unknown
}

export interface ReadInput {
  readonly cursor: unknown
  readonly startDate: Date | null
}

/** what the storage engine needs to know of a stream to store it */
export interface StreamShape {
  readonly name: string
  readonly mode: SyncMode
  readonly primaryKey: "id"
  readonly cursorField: "updated_at" | null
  readonly columns: ReadonlyArray<Column>
  readonly schemaVersion: number
  readonly cursorWatermark: (cursor: unknown) => string | null
}

export interface StreamSource<E, R> extends StreamShape {
  readonly read: (input: ReadInput) => Stream.Stream<Batch, E, R>
}
