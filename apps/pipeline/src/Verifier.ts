/**
 * Verification of a checkpoint before it is published: DuckDB reads the staged Parquet
 * back and the checkpoint is refused unless the row count equals the rows written, every
 * id is present and not null (their sum equals the sum written), the columns and types
 * match the stream's, and the cursor about to be saved is supported by the data (the
 * committed data reaches the cursor's watermark).
 *
 * @since 0.1.0
 */
import { Clock, Effect } from "effect"
import * as DuckDb from "./DuckDb.ts"
import type { StreamShape } from "./internal/contract.ts"
import type * as Snapshot from "./Snapshot.ts"
import * as StorageError from "./StorageError.ts"

/**
 * What a checkpoint must contain, as counted while writing it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Expectation {
  readonly shape: StreamShape
  readonly files: ReadonlyArray<string>
  readonly rows: number
  readonly idSum: bigint
  readonly cursor: unknown
  /** the largest `updated_at` committed before this checkpoint */
  readonly committedMaxUpdatedAt: string | null
}

/**
 * The outcome of a passed verification.
 *
 * @since 0.1.0
 * @category models
 */
export interface Verified {
  readonly verification: Snapshot.Verification
  /** rows per staged file, from the Parquet footers */
  readonly fileRows: ReadonlyMap<string, number>
  /** the largest `updated_at` of everything committed once this checkpoint is */
  readonly maxUpdatedAt: string | null
}

interface Aggregate {
  readonly rows: number
  readonly nullIds: number
  readonly idSum: string
  readonly maxUpdatedAt: string | null
}

const readParquet = (files: ReadonlyArray<string>) =>
  `read_parquet(${DuckDb.list(files)}, hive_partitioning = false, union_by_name = true)`

const failed = (shape: StreamShape, problems: ReadonlyArray<string>) =>
  new StorageError.StorageError({
    reason: "VerificationFailed",
    stream: shape.name,
    message: `the checkpoint of stream \`${shape.name}\` failed verification and was not published: ${problems.join("; ")}`
  })

const fromEpochMillis = (value: unknown): string | null =>
  value === null || value === undefined ? null : new Date(Number(value)).toISOString()

const aggregate = (shape: StreamShape, files: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    if (files.length === 0) return { rows: 0, nullIds: 0, idSum: "0", maxUpdatedAt: null } satisfies Aggregate
    const duck = yield* DuckDb.DuckDb
    const cursor = shape.cursorField === null ? "NULL" : `epoch_ms(max(${DuckDb.identifier(shape.cursorField)}))`
    const [row] = yield* duck.rows(
      `SELECT count(*) AS rows, count(*) - count(id) AS null_ids, coalesce(sum(id::HUGEINT), 0)::VARCHAR AS id_sum, ${cursor} AS max_cursor FROM ${readParquet(files)}`,
      `read back the checkpoint of stream ${shape.name}`
    )
    return {
      rows: Number(row?.rows ?? 0),
      nullIds: Number(row?.null_ids ?? 0),
      idSum: String(row?.id_sum ?? "0"),
      maxUpdatedAt: fromEpochMillis(row?.max_cursor)
    } satisfies Aggregate
  })

const fileRows = (shape: StreamShape, files: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    if (files.length === 0) return new Map<string, number>()
    const duck = yield* DuckDb.DuckDb
    const rows = yield* duck.rows(
      `SELECT file_name, num_rows FROM parquet_file_metadata(${DuckDb.list(files)})`,
      `read the Parquet footers of stream ${shape.name}`
    )
    return new Map(rows.map((r) => [String(r.file_name), Number(r.num_rows)]))
  })

/**
 * The columns and DuckDB types a stream's Parquet files hold, in order (the partition
 * folder is not a column of the file).
 *
 * @since 0.1.0
 * @category schema
 */
export const expectedColumns = (shape: StreamShape): ReadonlyArray<readonly [string, string]> => [
  ...shape.columns.map((c) => [c.name, c.type] as const),
  ["_run_id", "VARCHAR"],
  ["_extracted_at", "TIMESTAMPTZ"]
]

const describe = (sql: string, purpose: string) =>
  Effect.gen(function* () {
    const duck = yield* DuckDb.DuckDb
    const rows = yield* duck.rows(`DESCRIBE ${sql}`, purpose)
    return rows.map((r) => `${String(r.column_name)} ${String(r.column_type)}`)
  })

const schemaProblems = (shape: StreamShape, files: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    if (files.length === 0) return []
    const typed = expectedColumns(shape).map(([name, type]) => `NULL::${type} AS ${DuckDb.identifier(name)}`)
    const expected = yield* describe(`SELECT ${typed.join(", ")}`, `type the columns of stream ${shape.name}`)
    const actual = yield* describe(`SELECT * FROM ${readParquet(files)}`, `read the schema of stream ${shape.name}`)
    const missing = expected.filter((c) => !actual.includes(c))
    const extra = actual.filter((c) => !expected.includes(c))
    if (missing.length === 0 && extra.length === 0) return []
    return [
      `columns differ from the stream's (expected but absent: ${missing.join(", ") || "none"}; unexpected: ${extra.join(", ") || "none"})`
    ]
  })

const later = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : Date.parse(a) >= Date.parse(b) ? a : b

const watermarkProblems = (watermark: string | null, reached: string | null): ReadonlyArray<string> => {
  if (watermark === null) return []
  if (Number.isNaN(Date.parse(watermark))) return [`the cursor's watermark \`${watermark}\` is not a timestamp`]
  if (reached !== null && Date.parse(reached) >= Date.parse(watermark)) return []
  return [`the cursor claims data up to ${watermark} but the committed data reaches only ${reached ?? "nothing"}`]
}

/**
 * Reads a staged checkpoint back and checks it; fails with `VerificationFailed` listing
 * every problem found.
 *
 * @since 0.1.0
 * @category verifying
 */
export const checkpoint = (expect: Expectation): Effect.Effect<Verified, StorageError.StorageError, DuckDb.DuckDb> =>
  Effect.gen(function* () {
    const { shape, files } = expect
    const found = yield* aggregate(shape, files)
    const perFile = yield* fileRows(shape, files)
    const maxUpdatedAt = later(expect.committedMaxUpdatedAt, found.maxUpdatedAt)
    const watermark = shape.cursorWatermark(expect.cursor)
    const footerRows = [...perFile.values()].reduce((a, b) => a + b, 0)
    const problems = [
      ...(found.rows === expect.rows ? [] : [`${found.rows} rows read back, ${expect.rows} written`]),
      ...(footerRows === expect.rows ? [] : [`${footerRows} rows in the file footers, ${expect.rows} written`]),
      ...(found.nullIds === 0 ? [] : [`${found.nullIds} rows without an id`]),
      ...(found.idSum === expect.idSum.toString() ? [] : [`the ids read back do not match the ids written`]),
      ...(yield* schemaProblems(shape, files)),
      ...watermarkProblems(watermark, maxUpdatedAt)
    ]
    if (problems.length > 0) return yield* failed(shape, problems)
    const checkedAt = new Date(yield* Clock.currentTimeMillis).toISOString()
    const verification = {
      rows: found.rows,
      nullIds: found.nullIds,
      idSum: found.idSum,
      schema: "match" as const,
      watermark,
      maxUpdatedAt,
      checkedAt
    }
    return { verification, fileRows: perFile, maxUpdatedAt }
  })
