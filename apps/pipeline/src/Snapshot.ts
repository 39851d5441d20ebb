/**
 * A snapshot is the record of one commit of one stream: the cursor that is safe to resume
 * from, the files the commit published with their row counts and sizes, the schema
 * version, and what the verification found. Writing `_state/<stream>/snapshots/<seq>.json`
 * is the commit; the union of a stream's snapshots names every committed file.
 *
 * Encoded as indented JSON; the cursor keeps exact digits (bigint and long decimals).
 *
 * @since 0.1.0
 */
import { Json } from "@landed/http-source"
import { Either, ParseResult, Schema } from "effect"

/**
 * A committed file, its path relative to the dataset root.
 *
 * @since 0.1.0
 * @category models
 */
export const FileEntry = Schema.Struct({
  path: Schema.String,
  rows: Schema.NonNegativeInt,
  bytes: Schema.NonNegativeInt
})

/**
 * @since 0.1.0
 * @category models
 */
export type FileEntry = typeof FileEntry.Type

/**
 * What the checkpoint's verification checked and found, before it was published.
 *
 * @since 0.1.0
 * @category models
 */
export const Verification = Schema.Struct({
  /** rows read back from the staged files, equal to the rows written */
  rows: Schema.NonNegativeInt,
  /** ids read back that were null (always 0 in a committed snapshot) */
  nullIds: Schema.NonNegativeInt,
  /** the sum of the ids read back, equal to the sum of the ids written */
  idSum: Schema.String,
  /** the columns and types read back matched the stream's columns */
  schema: Schema.Literal("match"),
  /** the smallest `updated_at` the cursor claims, and the largest the data reaches */
  watermark: Schema.NullOr(Schema.String),
  maxUpdatedAt: Schema.NullOr(Schema.String),
  checkedAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Verification = typeof Verification.Type

/**
 * The snapshot of one commit.
 *
 * @since 0.1.0
 * @category models
 */
export const Snapshot = Schema.Struct({
  format: Schema.Literal(1),
  stream: Schema.String,
  seq: Schema.Int.pipe(Schema.positive()),
  runId: Schema.String,
  mode: Schema.Literal("incremental", "full_refresh"),
  schemaVersion: Schema.Int,
  /** where the next sync resumes; null for full refresh */
  cursor: Schema.Unknown,
  /** the largest `updated_at` of all committed data so far (incremental) */
  maxUpdatedAt: Schema.NullOr(Schema.String),
  /** current views read rows from this run on; null reads every run */
  baselineRun: Schema.NullOr(Schema.String),
  /** a `--full-refresh` in progress that becomes the baseline when its read completes */
  pendingBaselineRun: Schema.NullOr(Schema.String),
  /** true on the commit that ended a complete read of the stream */
  complete: Schema.Boolean,
  /** the files this commit published */
  files: Schema.Array(FileEntry),
  rows: Schema.NonNegativeInt,
  /** rows committed by every snapshot up to this one */
  totalRows: Schema.NonNegativeInt,
  verification: Verification,
  runStartedAt: Schema.String,
  committedAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Snapshot = typeof Snapshot.Type

const decode = Schema.decodeUnknownEither(Snapshot)
const CURSOR_MARK = "\u0000cursor"

/**
 * Encodes a snapshot as indented JSON, the cursor with its exact digits.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode = (snapshot: Snapshot): string => {
  const text = JSON.stringify({ ...snapshot, cursor: CURSOR_MARK }, null, 2)
  return `${text.replace(JSON.stringify(CURSOR_MARK), () => Json.stringify(snapshot.cursor ?? null))}\n`
}

/**
 * Parses a snapshot's text, or says what is wrong with it.
 *
 * @since 0.1.0
 * @category decoding
 */
export const parse = (text: string): Either.Either<Snapshot, string> => {
  let value: unknown
  try {
    value = Json.parse(text)
  } catch (error) {
    return Either.left(`not JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  return Either.mapLeft(decode(value), (error) => ParseResult.TreeFormatter.formatErrorSync(error))
}

/**
 * The run ids whose rows a current view reads: null means every run.
 *
 * @since 0.1.0
 * @category getters
 */
export const baselineOf = (latest: Snapshot | null): string | null => latest?.baselineRun ?? null
