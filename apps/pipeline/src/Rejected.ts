/**
 * Records that could not be stored go to `<out>/_rejected/<stream>/<run_id>.jsonl`, one
 * JSON object per line: `stream`, `id` (text, or null), `field` (dotted path), `reason`,
 * and `record`, the record exactly as it arrived (its JSON text embedded verbatim). The
 * stream goes on; a run with rejects exits 4.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { Effect } from "effect"
import * as Dataset from "./Dataset.ts"
import type { RejectedRecord } from "./internal/contract.ts"
import * as fs from "./internal/fs.ts"
import type * as StorageError from "./StorageError.ts"

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/**
 * One line of the rejected file.
 *
 * @since 0.1.0
 * @category encoding
 */
export const line = (record: RejectedRecord): string => {
  const head = JSON.stringify({ stream: record.stream, id: record.id, field: record.field, reason: record.reason })
  // the raw text is embedded as is when it is JSON (it always is from the streams), so no
  // digit or escape of the original is rewritten; anything else is kept as a string
  const raw = isJson(record.raw) && !/[\n\r]/.test(record.raw) ? record.raw : JSON.stringify(record.raw)
  return `${head.slice(0, -1)},"record":${raw}}\n`
}

/**
 * Appends rejected records to the run's file for their stream, creating it on first use.
 *
 * @since 0.1.0
 * @category writing
 */
export const append = (
  out: string,
  stream: string,
  runId: string,
  records: ReadonlyArray<RejectedRecord>
): Effect.Effect<void, StorageError.StorageError> => {
  if (records.length === 0) return Effect.void
  const path = Dataset.rejectedPath(out, stream, runId)
  return fs.attempt("append to", path, async () => {
    await Fs.mkdir(Path.dirname(path), { recursive: true })
    await Fs.appendFile(path, records.map(line).join(""), "utf8")
  })
}
