/**
 * Verification with DuckDB, before and after publishing.
 *
 * - `checkpoint`: DuckDB reads a staged checkpoint back, which is refused unless the row
 *   count equals the rows written, every id is present and not null (their sum equals the
 *   sum written), the columns and types match the stream's, and the cursor about to be
 *   saved is supported by the data (the committed data reaches the cursor's watermark).
 * - `dataset` (the `verify` command): every committed file is re-read and checked against
 *   the snapshots, and files no snapshot names are reported.
 *
 * @since 0.1.0
 */
import { Clock, Effect } from "effect"
import * as Dataset from "./Dataset.ts"
import * as DuckDb from "./DuckDb.ts"
import type { StreamShape } from "./internal/contract.ts"
import * as fs from "./internal/fs.ts"
import * as Recovery from "./Recovery.ts"
import * as Snapshot from "./Snapshot.ts"
import * as State from "./State.ts"
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
  }).pipe(
    // a staged file DuckDB cannot read (cut off, damaged on disk) fails the verification
    // like any other mismatch, so the run reports it as refused rather than as a crash
    Effect.catchIf(
      (error) => error.reason === "DuckDb",
      (error) => Effect.fail(failed(expect.shape, [`the staged files cannot be read back (${error.message})`]))
    )
  )

/**
 * What `verify` found for one stream.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamCheck {
  readonly stream: string
  readonly snapshots: number
  readonly files: number
  readonly rows: number
  readonly problems: ReadonlyArray<string>
}

/**
 * What `verify` found for a dataset.
 *
 * @since 0.1.0
 * @category models
 */
export interface DatasetCheck {
  readonly type: "verify_report"
  readonly out: string
  readonly ok: boolean
  readonly streams: ReadonlyArray<StreamCheck>
}

const checkFile = (out: string, file: Snapshot.FileEntry) =>
  Effect.gen(function* () {
    const path = Dataset.resolve(out, file.path)
    const size = yield* fs.sizeOrNull(path)
    if (size === null) return [`missing file ${file.path}`]
    if (size !== file.bytes) return [`size of ${file.path} is ${size} bytes, the snapshot says ${file.bytes}`]
    const duck = yield* DuckDb.DuckDb
    const footer = yield* Effect.either(
      duck.rows(`SELECT num_rows FROM parquet_file_metadata(${DuckDb.literal(path)})`, `read ${file.path}`)
    )
    if (footer._tag === "Left") return [`unreadable file ${file.path}: ${footer.left.message}`]
    const rows = Number(footer.right[0]?.num_rows ?? -1)
    return rows === file.rows ? [] : [`${file.path} holds ${rows} rows, the snapshot says ${file.rows}`]
  })

const checkData = (out: string, state: State.StreamState) =>
  Effect.gen(function* () {
    const latest = state.latest
    if (latest === null || state.files.size === 0) return [] as ReadonlyArray<string>
    const paths = [...state.files.keys()].map((p) => Dataset.resolve(out, p))
    const cursor = latest.mode === "incremental" ? "epoch_ms(max(updated_at))" : "NULL"
    const duck = yield* DuckDb.DuckDb
    const result = yield* Effect.either(
      duck.rows(
        `SELECT count(*) AS rows, count(*) - count(id) AS null_ids, ${cursor} AS max_cursor FROM ${readParquet(paths)}`,
        `read the committed data of stream ${state.stream}`
      )
    )
    if (result._tag === "Left") return [`the committed data cannot be read: ${result.left.message}`]
    const row = result.right[0]
    const expected = latest.totalRows
    return [
      ...(Number(row?.rows) === expected ? [] : [`${String(row?.rows)} rows read, the snapshots say ${expected}`]),
      ...(Number(row?.null_ids) === 0 ? [] : [`${String(row?.null_ids)} rows without an id`]),
      ...watermarkProblems(latest.verification.watermark, fromEpochMillis(row?.max_cursor))
    ]
  })

const checkCurrent = (out: string, state: State.StreamState) =>
  Effect.gen(function* () {
    if (state.latest === null) return []
    const text = yield* fs.readTextOrNull(Dataset.currentPath(out, state.stream))
    return text === Snapshot.encode(state.latest) ? [] : [`current.json is not a copy of snapshot ${state.latest.seq}`]
  })

const checkStream = (out: string, stream: string) =>
  Effect.gen(function* () {
    const loaded = yield* Effect.either(State.load(out, stream))
    if (loaded._tag === "Left") return { stream, snapshots: 0, files: 0, rows: 0, problems: [loaded.left.message] }
    const state = loaded.right
    const perFile = yield* Effect.forEach(state.files.values(), (file) => checkFile(out, file), { concurrency: 4 })
    const orphans = yield* Recovery.orphans(out, state)
    const problems = [
      ...perFile.flat(),
      ...orphans.map((path) => `file ${path} is named by no snapshot`),
      ...(yield* checkCurrent(out, state)),
      ...(perFile.flat().length === 0 ? yield* checkData(out, state) : [])
    ]
    return {
      stream,
      snapshots: state.snapshots.length,
      files: state.files.size,
      rows: state.latest?.totalRows ?? 0,
      problems
    }
  })

const streamFolders = (out: string) =>
  Effect.gen(function* () {
    const withState = yield* State.streamsOnDisk(out)
    const names = yield* fs.listNames(out)
    const folders = yield* Effect.filter(names, (name) =>
      name.startsWith("_") || name.startsWith(".") ? Effect.succeed(false) : fs.isDirectory(Dataset.resolve(out, name))
    )
    return [...new Set([...withState, ...folders])].sort()
  })

/**
 * Re-checks a whole dataset against its committed state: every file a snapshot names
 * exists with its size and row count, no file under a stream folder is unnamed, the data
 * reads back whole and reaches each stream's cursor, and `current.json` matches.
 *
 * @since 0.1.0
 * @category verifying
 */
export const dataset = (out: string): Effect.Effect<DatasetCheck, StorageError.StorageError, DuckDb.DuckDb> =>
  Effect.gen(function* () {
    const streams = yield* Effect.forEach(yield* streamFolders(out), (stream) => checkStream(out, stream))
    return { type: "verify_report", out, ok: streams.every((s) => s.problems.length === 0), streams }
  })
