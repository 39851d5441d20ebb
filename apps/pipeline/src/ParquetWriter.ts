/**
 * Writes a stream's rows to Parquet with flat memory: each batch is appended to an NDJSON
 * file under `_staging/<stream>/` as it arrives, and at a checkpoint DuckDB converts that
 * file to ZSTD Parquet (`COPY ... FROM read_json`), partitioned by `updated_month` for
 * incremental streams. DuckDB converting JSON text already on disk was by far the fastest
 * writer measured on the team's machine (see the README).
 *
 * Rows are serialised with the lossless `Json.stringify` (ids past 2^53 keep their digits),
 * and `read_json` gets explicit columns from the stream, so BIGINT parses exact digits. A
 * JSON column is written as a string holding the value's exact text and cast `::JSON` in
 * the `COPY`: DuckDB's JSON reader would re-serialise numbers and drop decimal digits.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { Effect } from "effect"
import * as Dataset from "./Dataset.ts"
import * as DuckDb from "./DuckDb.ts"
import type { StreamShape } from "./internal/contract.ts"
import * as fs from "./internal/fs.ts"
import * as ndjson from "./internal/ndjson.ts"
import type * as StorageError from "./StorageError.ts"

/**
 * A Parquet file written to staging, waiting to be verified and published.
 *
 * @since 0.1.0
 * @category models
 */
export interface StagedFile {
  /** absolute path in `_staging/<stream>/` */
  readonly path: string
  /** the partition folder it is published under (`updated_month=2026-11`, `run=<id>`) */
  readonly partition: string
}

/**
 * What a flushed chunk of rows became, with what the verifier must find in it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Staged {
  readonly files: ReadonlyArray<StagedFile>
  readonly rows: number
  /** the sum of the ids written, as exact digits */
  readonly idSum: bigint
  /** rows written with a null or missing id */
  readonly nullIds: number
}

/**
 * A stream's staging writer; one per stream and run, used by one fiber at a time.
 *
 * @since 0.1.0
 * @category models
 */
export interface Writer {
  /** appends rows received at `extractedAt` */
  readonly append: (
    rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
    extractedAt: Date
  ) => Effect.Effect<void, StorageError.StorageError>
  /** rows appended since the last flush */
  readonly pendingRows: () => number
  /** converts the rows appended since the last flush to Parquet in staging */
  readonly flush: Effect.Effect<Staged, StorageError.StorageError, DuckDb.DuckDb>
  /** closes the open NDJSON file, if any */
  readonly close: Effect.Effect<void>
}

/**
 * Rows per Parquet row group: large enough for readers to skip by statistics and read
 * sequentially, capped in bytes (tickets carry ~1 KB descriptions) so a writer's row
 * group buffer stays well inside DuckDB's memory limit.
 *
 * @since 0.1.0
 * @category policies
 */
export const rowGroupSize = { rows: 100_000, bytes: "64MB" } as const

const PARTITION_COLUMN = "updated_month"

// the largest record read_json accepts (a ticket with a long HTML description); its read
// buffer is twice this, which must fit well inside DuckDB's memory limit
const MAX_RECORD_BYTES = 32 * 1024 * 1024

interface Chunk {
  readonly ndjson: string
  handle: Fs.FileHandle | null
  rows: number
  idSum: bigint
  nullIds: number
}

const jsonColumns = (shape: StreamShape) => shape.columns.filter((c) => c.type === "JSON").map((c) => c.name)

const lineOf = (shape: StreamShape, jsonNames: ReadonlySet<string>, runId: string) => {
  const incremental = shape.mode === "incremental"
  const fields = shape.columns.map((c, i) => ({
    name: c.name,
    prefix: `${i === 0 ? "" : ","}${JSON.stringify(c.name)}:`,
    json: jsonNames.has(c.name)
  }))
  const run = `,"_run_id":${JSON.stringify(runId)}`
  return (row: Readonly<Record<string, unknown>>, extractedAt: string): string => {
    let line = "{"
    for (const field of fields) {
      const value = row[field.name]
      const text = value === null || value === undefined ? "null" : ndjson.encode(value)
      line += field.prefix + (field.json && text !== "null" ? JSON.stringify(text) : text)
    }
    line += `${run},"_extracted_at":"${extractedAt}"`
    if (incremental) line += `,"${PARTITION_COLUMN}":${ndjson.encode(Dataset.utcMonth(row.updated_at))}`
    return `${line}}`
  }
}

const addId = (chunk: Chunk, id: unknown) => {
  if (typeof id === "bigint") chunk.idSum += id
  else if (typeof id === "number" && Number.isInteger(id)) chunk.idSum += BigInt(id)
  else if (id === null || id === undefined) chunk.nullIds++
  else chunk.idSum += BigInt(String(id))
}

/**
 * The `read_json` columns and the `SELECT` list that turn staged NDJSON into the stream's
 * Parquet columns (JSON columns read as text, then cast).
 *
 * @since 0.1.0
 * @category sql
 */
export const selectFromNdjson = (shape: StreamShape, ndjson: string): string => {
  const read = shape.columns.map((c) => [c.name, c.type === "JSON" ? "VARCHAR" : c.type] as const)
  read.push(["_run_id", "VARCHAR"], ["_extracted_at", "TIMESTAMPTZ"])
  if (shape.mode === "incremental") read.push([PARTITION_COLUMN, "VARCHAR"])
  const columns = read.map(([name, type]) => `${DuckDb.literal(name)}: ${DuckDb.literal(type)}`).join(", ")
  const select = read.map(([name]) => {
    const id = DuckDb.identifier(name)
    return jsonColumns(shape).includes(name) ? `${id}::JSON AS ${id}` : id
  })
  return `SELECT ${select.join(", ")} FROM read_json(${DuckDb.literal(ndjson)}, format = 'newline_delimited', columns = {${columns}}, maximum_object_size = ${MAX_RECORD_BYTES})`
}

const copyOptions = `FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroupSize.rows}, ROW_GROUP_SIZE_BYTES '${rowGroupSize.bytes}'`

const copyIncremental = (shape: StreamShape, ndjson: string, target: string) =>
  `COPY (${selectFromNdjson(shape, ndjson)}) TO ${DuckDb.literal(target)} (${copyOptions}, PARTITION_BY (${PARTITION_COLUMN}), FILENAME_PATTERN 'part-{i}', RETURN_FILES true)`

const copyWhole = (shape: StreamShape, ndjson: string, target: string) =>
  `COPY (${selectFromNdjson(shape, ndjson)}) TO ${DuckDb.literal(target)} (${copyOptions})`

const stagedFilesOf = (dir: string) =>
  Effect.map(fs.listFilesRecursive(dir), (files) =>
    files.map((file) => ({ path: Path.join(dir, ...file.split("/")), partition: file.split("/")[0] ?? "" }))
  )

const convert = (shape: StreamShape, chunk: Chunk, runId: string, target: string) =>
  Effect.gen(function* () {
    const duck = yield* DuckDb.DuckDb
    if (shape.mode === "incremental") {
      yield* duck.run(copyIncremental(shape, chunk.ndjson, target), `write Parquet for stream ${shape.name}`)
      return yield* stagedFilesOf(target)
    }
    yield* duck.run(copyWhole(shape, chunk.ndjson, `${target}.parquet`), `write Parquet for stream ${shape.name}`)
    return [{ path: `${target}.parquet`, partition: Dataset.runPartition(runId) }]
  })

const closeHandle = (chunk: Chunk) =>
  Effect.promise(async () => {
    const handle = chunk.handle
    chunk.handle = null
    await handle?.close()
  })

/**
 * Makes the staging writer of one stream in one run.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (out: string, shape: StreamShape, runId: string): Writer => {
  const staging = Dataset.stagingDir(out, shape.name)
  const toLine = lineOf(shape, new Set(jsonColumns(shape)), runId)
  let seq = 0
  const fresh = (): Chunk => ({
    ndjson: Path.join(staging, `${runId}-${String(++seq).padStart(5, "0")}.ndjson`),
    handle: null,
    rows: 0,
    idSum: 0n,
    nullIds: 0
  })
  let chunk = fresh()
  const append: Writer["append"] = (rows, extractedAt) =>
    rows.length === 0
      ? Effect.void
      : fs.attempt("append to", chunk.ndjson, async () => {
          const at = extractedAt.toISOString()
          let text = ""
          for (const row of rows) text += `${toLine(row, at)}\n`
          if (chunk.handle === null) {
            await Fs.mkdir(staging, { recursive: true })
            chunk.handle = await Fs.open(chunk.ndjson, "a")
          }
          await chunk.handle.write(text)
          for (const row of rows) addId(chunk, row.id)
          chunk.rows += rows.length
        })
  const flush = Effect.gen(function* () {
    const done = chunk
    chunk = fresh()
    yield* closeHandle(done)
    const summary = { rows: done.rows, idSum: done.idSum, nullIds: done.nullIds }
    if (done.rows === 0) return { files: [], ...summary }
    const files = yield* convert(shape, done, runId, done.ndjson.replace(/\.ndjson$/, ""))
    yield* fs.removeFile(done.ndjson)
    return { files, ...summary }
  })
  return { append, pendingRows: () => chunk.rows, flush, close: Effect.suspend(() => closeHandle(chunk)) }
}
