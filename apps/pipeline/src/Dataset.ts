/**
 * The layout of a dataset on disk, in one place:
 *
 * ```
 * <out>/<stream>/updated_month=YYYY-MM/part-<run_id>-<seq>.parquet   incremental
 * <out>/<stream>/run=<run_id>/part-<run_id>-<seq>.parquet             full refresh
 * <out>/_state/<stream>/snapshots/<seq>.json, current.json, lock
 * <out>/_staging/<stream>/       <out>/_rejected/<stream>/<run_id>.jsonl
 * <out>/views.sql
 * ```
 *
 * Paths stored in snapshots and views are relative to `<out>` with forward slashes, so a
 * dataset can be moved or mounted elsewhere.
 *
 * @since 0.1.0
 */
import * as Path from "node:path"

/**
 * The folder holding a stream's committed Parquet files.
 *
 * @since 0.1.0
 * @category paths
 */
export const streamDir = (out: string, stream: string): string => Path.join(out, stream)

/**
 * The folder of a stream's state: snapshots, `current.json` and the lock.
 *
 * @since 0.1.0
 * @category paths
 */
export const stateDir = (out: string, stream: string): string => Path.join(out, "_state", stream)

/**
 * The folder of a stream's snapshots, one JSON file per commit.
 *
 * @since 0.1.0
 * @category paths
 */
export const snapshotsDir = (out: string, stream: string): string => Path.join(stateDir(out, stream), "snapshots")

/**
 * The file of snapshot `seq`, zero-padded so names sort like numbers.
 *
 * @since 0.1.0
 * @category paths
 */
export const snapshotPath = (out: string, stream: string, seq: number): string =>
  Path.join(snapshotsDir(out, stream), snapshotFileName(seq))

/**
 * The file name of snapshot `seq`.
 *
 * @since 0.1.0
 * @category paths
 */
export const snapshotFileName = (seq: number): string => `${String(seq).padStart(8, "0")}.json`

/**
 * The copy of the newest snapshot that readers open.
 *
 * @since 0.1.0
 * @category paths
 */
export const currentPath = (out: string, stream: string): string => Path.join(stateDir(out, stream), "current.json")

/**
 * The lock file held while a process syncs the stream.
 *
 * @since 0.1.0
 * @category paths
 */
export const lockPath = (out: string, stream: string): string => Path.join(stateDir(out, stream), "lock")

/**
 * The folder where a stream's files are written and verified before they are published.
 *
 * @since 0.1.0
 * @category paths
 */
export const stagingDir = (out: string, stream: string): string => Path.join(out, "_staging", stream)

/**
 * The file of the records a run rejected for a stream.
 *
 * @since 0.1.0
 * @category paths
 */
export const rejectedPath = (out: string, stream: string, runId: string): string =>
  Path.join(out, "_rejected", stream, `${runId}.jsonl`)

/**
 * The DuckDB script defining the views.
 *
 * @since 0.1.0
 * @category paths
 */
export const viewsPath = (out: string): string => Path.join(out, "views.sql")

/**
 * The name of a committed Parquet file: run id plus a sequence number unique in the run.
 *
 * @since 0.1.0
 * @category paths
 */
export const partFileName = (runId: string, seq: number): string =>
  `${PART_PREFIX}${runId}-${String(seq).padStart(5, "0")}.parquet`

const PART_PREFIX = "part-"

/**
 * The partition folder of a row: `updated_month=YYYY-MM` (UTC) for incremental streams.
 *
 * @since 0.1.0
 * @category paths
 */
export const monthPartition = (month: string): string => `updated_month=${month}`

/**
 * The partition folder of a full-refresh run.
 *
 * @since 0.1.0
 * @category paths
 */
export const runPartition = (runId: string): string => `run=${runId}`

/**
 * The UTC month (`YYYY-MM`) of an ISO-8601 timestamp with any offset, or null when the
 * value is not a valid timestamp.
 *
 * @since 0.1.0
 * @category paths
 */
export const utcMonth = (timestamp: unknown): string | null => {
  if (typeof timestamp !== "string") return null
  // the common case, already in UTC, needs no date arithmetic
  if (timestamp.endsWith("Z") && timestamp.length >= 7 && timestamp[4] === "-") return timestamp.slice(0, 7)
  const millis = Date.parse(timestamp)
  return Number.isNaN(millis) ? null : new Date(millis).toISOString().slice(0, 7)
}

/**
 * A path relative to `<out>` with forward slashes, as snapshots and views store it.
 *
 * @since 0.1.0
 * @category paths
 */
export const relative = (out: string, path: string): string => Path.relative(out, path).split(Path.sep).join("/")

/**
 * The absolute path of a path stored relative to `<out>`.
 *
 * @since 0.1.0
 * @category paths
 */
export const resolve = (out: string, relativePath: string): string => Path.join(out, ...relativePath.split("/"))
