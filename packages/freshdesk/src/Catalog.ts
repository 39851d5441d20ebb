/**
 * The catalog `discover` prints: each stream, its sync mode, cursor, primary
 * key and columns with their DuckDB types, as a plain JSON value.
 *
 * @since 0.1.0
 */
import * as Streams from "./Streams.ts"
import type { Column, SyncStream } from "./SyncStream.ts"

/**
 * One stream of the catalog.
 *
 * @since 0.1.0
 * @category models
 */
export interface CatalogStream {
  readonly name: string
  readonly sync_mode: SyncStream["mode"]
  readonly cursor_field: string | null
  readonly primary_key: ReadonlyArray<string>
  readonly schema_version: number
  readonly columns: ReadonlyArray<Column>
}

/**
 * The catalog.
 *
 * @since 0.1.0
 * @category models
 */
export interface Catalog {
  readonly streams: ReadonlyArray<CatalogStream>
}

const describe = (stream: SyncStream): CatalogStream => ({
  name: stream.name,
  sync_mode: stream.mode,
  cursor_field: stream.cursorField,
  primary_key: [stream.primaryKey],
  schema_version: stream.schemaVersion,
  columns: stream.columns.map(({ name, type, description }) => ({ name, type, description }))
})

/**
 * The catalog of some streams (default: all eight).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (streams: ReadonlyArray<SyncStream> = Streams.all): Catalog => ({
  streams: streams.map(describe)
})
