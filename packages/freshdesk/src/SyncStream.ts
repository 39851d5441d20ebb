/**
 * The contract between a Freshdesk stream and the pipeline that stores it.
 *
 * A stream is a description (name, sync mode, columns) plus a `read` that turns the saved
 * cursor into an Effect `Stream` of batches. Each batch carries rows ready to store, the
 * records that could not be decoded (verbatim, with the reason), and the cursor that is safe
 * to save once the batch and everything before it are committed. The pipeline knows nothing
 * of Freshdesk beyond this module.
 *
 * @since 0.1.0
 */
import type { Stream } from "effect"
import type { FreshdeskError } from "./FreshdeskError.ts"
import type { FreshdeskClient } from "./FreshdeskClient.ts"

/**
 * The eight streams, in the order a full sync runs them.
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
 * @since 0.1.0
 * @category models
 */
export type StreamName = (typeof streamNames)[number]

/**
 * `incremental` streams append a change log and resume from a cursor; `full_refresh` streams
 * are read whole on every run and committed once as a snapshot.
 *
 * @since 0.1.0
 * @category models
 */
export type SyncMode = "incremental" | "full_refresh"

/**
 * One column of the dataset, derived from the stream's schema.
 *
 * `type` is a DuckDB type (`BIGINT`, `VARCHAR`, `BOOLEAN`, `DOUBLE`, `TIMESTAMPTZ`,
 * `VARCHAR[]`, `BIGINT[]`, `JSON`, `STRUCT(...)`, `STRUCT(...)[]`). In a row, a `JSON`
 * column holds any `JsonValue` (the pipeline stores its exact text); a `TIMESTAMPTZ`
 * column holds an ISO-8601 string with its offset.
 *
 * @since 0.1.0
 * @category models
 */
export interface Column {
  readonly name: string
  readonly type: string
  readonly description: string
}

/**
 * A record that could not be stored: its exact JSON text, and what was wrong with it.
 *
 * @since 0.1.0
 * @category models
 */
export interface RejectedRecord {
  readonly stream: StreamName
  /** the record's `id` as text, or null when the id itself is missing or invalid */
  readonly id: string | null
  /** dotted path of the offending field, such as `custom_fields` or `stats.closed_at` */
  readonly field: string
  readonly reason: string
  /** the record as it arrived, serialised losslessly */
  readonly raw: string
}

/**
 * What a stream yields: normally one page of records.
 *
 * @since 0.1.0
 * @category models
 */
export interface Batch {
  /**
   * Rows keyed by column name, values as `@landed/http-source`'s `Json.JsonValue`
   * (`bigint` for integers beyond 2^53). `_run_id` and `_extracted_at` are not included:
   * the pipeline adds them.
   */
  readonly rows: ReadonlyArray<Readonly<Record<string, unknown>>>
  readonly rejected: ReadonlyArray<RejectedRecord>
  /** when the page was received; becomes `_extracted_at` */
  readonly extractedAt: Date
  /** lone UTF-16 surrogates replaced by U+FFFD in this batch */
  readonly replacedCharacters: number
  /**
   * The cursor to save once this batch and every earlier one are committed, as a JSON
   * value; `null` for full-refresh streams.
   */
  readonly cursor: unknown
}

/**
 * Where `read` starts: the cursor of the last committed snapshot (null on a first sync or
 * a full refresh) and the user's `--start-date` for a first sync.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReadInput {
  readonly cursor: unknown
  readonly startDate: Date | null
}

/**
 * A stream of the catalog.
 *
 * @since 0.1.0
 * @category models
 */
export interface SyncStream {
  readonly name: StreamName
  readonly mode: SyncMode
  readonly primaryKey: "id"
  /** the column an incremental stream's cursor follows; null for full refresh */
  readonly cursorField: "updated_at" | null
  readonly columns: ReadonlyArray<Column>
  /** bumped whenever `columns` change, recorded in every snapshot */
  readonly schemaVersion: number
  /**
   * The smallest `updated_at` the committed data must reach for `cursor` to be supported
   * (an ISO-8601 string), or null when the cursor makes no claim on the data.
   */
  readonly cursorWatermark: (cursor: unknown) => string | null
  readonly read: (input: ReadInput) => Stream.Stream<Batch, FreshdeskError, FreshdeskClient>
}
