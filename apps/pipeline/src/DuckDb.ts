/**
 * The one DuckDB instance of a process, with its memory limit and threads set on purpose:
 * DuckDB converts staged JSON text to Parquet, reads checkpoints back to verify them, and
 * answers `query`. A 2-core machine shares it with the sync itself, and a query over
 * millions of rows peaks at several hundred MB, so the defaults are 2 threads and 512 MB.
 *
 * Results come back as JSON-safe values (BIGINT and HUGEINT as exact digit strings).
 *
 * @since 0.1.0
 */
import { DuckDBInstance } from "@duckdb/node-api"
import type { DuckDBConnection } from "@duckdb/node-api"
import { Context, Effect, Layer } from "effect"
import * as StorageError from "./StorageError.ts"

/**
 * A row as DuckDB returns it, converted to JSON-safe values.
 *
 * @since 0.1.0
 * @category models
 */
export type Row = Readonly<Record<string, unknown>>

/**
 * A result set with its column names in order.
 *
 * @since 0.1.0
 * @category models
 */
export interface Table {
  readonly columns: ReadonlyArray<string>
  readonly types: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<unknown>>
}

/**
 * Statements on one connection, so session settings (`file_search_path`) carry over.
 *
 * @since 0.1.0
 * @category models
 */
export interface Session {
  readonly run: (sql: string, purpose: string) => Effect.Effect<void, StorageError.StorageError>
  readonly rows: (sql: string, purpose: string) => Effect.Effect<ReadonlyArray<Row>, StorageError.StorageError>
  readonly table: (sql: string, purpose: string) => Effect.Effect<Table, StorageError.StorageError>
}

/**
 * The DuckDB service: statements on fresh connections of the shared instance.
 *
 * @since 0.1.0
 * @category services
 */
export class DuckDb extends Context.Tag("@landed/pipeline/DuckDb")<
  DuckDb,
  Session & {
    readonly session: <A, E, R>(
      use: (session: Session) => Effect.Effect<A, E, R>
    ) => Effect.Effect<A, E | StorageError.StorageError, R>
  }
>() {}

/**
 * Settings of the instance.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** DuckDB's `memory_limit`; default `512MB` */
  readonly memoryLimit?: string
  /** DuckDB's `threads`; default 2 */
  readonly threads?: number
}

const sessionOf = (connection: DuckDBConnection): Session => ({
  run: (sql, purpose) =>
    Effect.tryPromise({ try: () => connection.run(sql), catch: (e) => StorageError.duckDb(purpose, e) }).pipe(
      Effect.asVoid
    ),
  rows: (sql, purpose) =>
    Effect.tryPromise({
      try: async () => (await connection.runAndReadAll(sql)).getRowObjectsJson() as ReadonlyArray<Row>,
      catch: (e) => StorageError.duckDb(purpose, e)
    }),
  table: (sql, purpose) =>
    Effect.tryPromise({
      try: async () => {
        const reader = await connection.runAndReadAll(sql)
        const types = reader.columnTypes().map((type) => type.toString())
        return { columns: reader.columnNames(), types, rows: reader.getRowsJson() }
      },
      catch: (e) => StorageError.duckDb(purpose, e)
    })
})

const connect = (instance: DuckDBInstance) =>
  Effect.acquireRelease(
    Effect.tryPromise({ try: () => instance.connect(), catch: (e) => StorageError.duckDb("open a connection", e) }),
    (connection) => Effect.sync(() => connection.closeSync())
  )

const open = (options: Options) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () =>
        DuckDBInstance.create(":memory:", {
          memory_limit: options.memoryLimit ?? "512MB",
          threads: String(options.threads ?? 2),
          // row order inside a file carries no meaning here, and dropping it bounds memory
          preserve_insertion_order: "false",
          // the pipeline never downloads extensions at run time
          autoinstall_known_extensions: "false"
        }),
      catch: (e) => StorageError.duckDb("start", e)
    }),
    (instance) => Effect.sync(() => instance.closeSync())
  )

// without the icu extension DuckDB already renders TIMESTAMPTZ in UTC; with it, force UTC
const pinUtc = (session: Session) => session.run("SET TimeZone = 'UTC'", "set the time zone").pipe(Effect.ignore)

const make = (options: Options) =>
  Effect.gen(function* () {
    const instance = yield* open(options)
    const session = <A, E, R>(use: (session: Session) => Effect.Effect<A, E, R>) =>
      Effect.scoped(
        Effect.flatMap(connect(instance), (connection) => {
          const s = sessionOf(connection)
          return Effect.zipRight(pinUtc(s), use(s))
        })
      )
    return DuckDb.of({
      session,
      run: (sql, purpose) => session((s) => s.run(sql, purpose)),
      rows: (sql, purpose) => session((s) => s.rows(sql, purpose)),
      table: (sql, purpose) => session((s) => s.table(sql, purpose))
    })
  })

/**
 * The instance as a scoped layer, closed when the layer is released.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<DuckDb, StorageError.StorageError> =>
  Layer.scoped(DuckDb, make(options))

/**
 * Quotes a text as an SQL string literal.
 *
 * @since 0.1.0
 * @category sql
 */
export const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`

/**
 * Quotes a name as an SQL identifier.
 *
 * @since 0.1.0
 * @category sql
 */
export const identifier = (name: string): string => `"${name.replaceAll('"', '""')}"`

/**
 * An SQL list literal of string values, such as a list of files for `read_parquet`.
 *
 * @since 0.1.0
 * @category sql
 */
export const list = (texts: ReadonlyArray<string>): string => `[${texts.map(literal).join(", ")}]`
