/**
 * `<out>/views.sql`: DuckDB views over the committed files of every stream, with paths
 * relative to `<out>` (run it inside the dataset: `duckdb -init views.sql`). Each stream
 * gets a `<stream>_history` view of every committed row and a current view named after
 * the stream:
 *
 * - incremental streams: per id, the row with the latest `updated_at`, then the latest
 *   `_extracted_at`, reading only runs from the stream's baseline run on;
 * - full-refresh streams: the rows of the latest committed run.
 *
 * Views list committed files by name (never a glob), so a file being published is never
 * seen before its snapshot. A stream with no committed data gets empty views with the
 * stream's columns, so a query never fails on a missing table. The file is rewritten
 * atomically at each commit, under a lock shared by every process of the dataset.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs/promises"
import { Clock, Duration, Effect } from "effect"
import * as Dataset from "./Dataset.ts"
import * as DuckDb from "./DuckDb.ts"
import type { StreamShape } from "./internal/contract.ts"
import * as fs from "./internal/fs.ts"
import * as Lock from "./Lock.ts"
import * as State from "./State.ts"
import type * as StorageError from "./StorageError.ts"
import * as Verifier from "./Verifier.ts"

/**
 * The partition column a stream's folder layout adds to its rows.
 *
 * @since 0.1.0
 * @category schema
 */
export const partitionColumn = (shape: Pick<StreamShape, "mode">): string =>
  shape.mode === "incremental" ? "updated_month" : "run"

const readFiles = (shape: StreamShape, files: ReadonlyArray<string>) =>
  `SELECT * FROM read_parquet(${DuckDb.list(files)}, hive_partitioning = true, union_by_name = true, hive_types = {${DuckDb.literal(partitionColumn(shape))}: VARCHAR})`

const empty = (shape: StreamShape) => {
  const columns = [...Verifier.expectedColumns(shape), [partitionColumn(shape), "VARCHAR"] as const]
  return `SELECT ${columns.map(([name, type]) => `NULL::${type} AS ${DuckDb.identifier(name)}`).join(", ")} WHERE false`
}

const source = (shape: StreamShape, files: ReadonlyArray<string>) =>
  files.length === 0 ? empty(shape) : readFiles(shape, files)

const filesOf = (snapshots: State.StreamState["snapshots"]) => snapshots.flatMap((s) => s.files.map((f) => f.path))

const currentFiles = (shape: StreamShape, state: State.StreamState): ReadonlyArray<string> => {
  const latest = state.latest
  if (latest === null) return []
  if (shape.mode === "full_refresh") return filesOf(state.snapshots.filter((s) => s.runId === latest.runId))
  const baseline = latest.baselineRun
  return filesOf(baseline === null ? state.snapshots : state.snapshots.filter((s) => s.runId >= baseline))
}

const LATEST_PER_ID =
  "QUALIFY row_number() OVER (PARTITION BY id ORDER BY updated_at DESC NULLS LAST, _extracted_at DESC, _run_id DESC) = 1"

const current = (shape: StreamShape, state: State.StreamState) => {
  const files = currentFiles(shape, state)
  if (shape.mode === "full_refresh" || files.length === 0) return source(shape, files)
  return `${readFiles(shape, files)} ${LATEST_PER_ID}`
}

const view = (name: string, sql: string) => `CREATE OR REPLACE VIEW ${DuckDb.identifier(name)} AS ${sql};`

/**
 * Renders `views.sql` for the given streams and their committed state.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (streams: ReadonlyArray<{ readonly shape: StreamShape; readonly state: State.StreamState }>) => {
  const lines = [
    "-- Views over the committed Parquet files of this dataset; paths are relative to this folder.",
    "-- Open with: cd <dataset> && duckdb -init views.sql  (rewritten by every commit, do not edit)"
  ]
  for (const { shape, state } of streams) {
    lines.push(
      "",
      `-- ${shape.name} (${shape.mode}): ${state.files.size} committed files`,
      view(`${shape.name}_history`, source(shape, filesOf(state.snapshots))),
      view(shape.name, current(shape, state))
    )
  }
  return `${lines.join("\n")}\n`
}

const LOCK_STALE = Duration.seconds(30)

const readHolder = (path: string) =>
  Effect.map(fs.readTextOrNull(path), (text) => {
    try {
      return JSON.parse(text ?? "null") as Parameters<typeof Lock.isGoneHere>[0]
    } catch {
      return null
    }
  })

const acquireFileLock = (path: string) =>
  Effect.gen(function* () {
    const identity = JSON.stringify(Lock.processIdentity())
    for (;;) {
      const created = yield* fs.attempt("create the lock", path, () =>
        Fs.writeFile(path, identity, { flag: "wx" }).then(
          () => true,
          (error: { code?: string }) => {
            if (error.code === "EEXIST") return false
            throw error
          }
        )
      )
      if (created) return
      const stat = yield* fs.attempt("stat", path, () => Fs.stat(path).catch(() => null))
      const now = yield* Clock.currentTimeMillis
      // a writer holds this lock for milliseconds; an old one, or one whose process is gone,
      // was left by a killed process
      const stale = stat !== null && now - stat.mtimeMs > Duration.toMillis(LOCK_STALE)
      if (stale || Lock.isGoneHere(yield* readHolder(path))) yield* fs.removeFile(path)
      else yield* Effect.sleep("25 millis")
    }
  })

// one writer at a time within this process; the lock file orders writers across processes
const inProcess = Effect.unsafeMakeSemaphore(1)

const withViewsLock = <A, E, R>(out: string, effect: Effect.Effect<A, E, R>) => {
  const path = `${Dataset.viewsPath(out)}.lock`
  return inProcess.withPermits(1)(
    Effect.acquireUseRelease(
      acquireFileLock(path),
      () => effect,
      () => fs.removeFile(path).pipe(Effect.ignore)
    )
  )
}

/**
 * Rewrites `views.sql` atomically from the committed state of the given streams.
 *
 * @since 0.1.0
 * @category writing
 */
export const write = (
  out: string,
  shapes: ReadonlyArray<StreamShape>
): Effect.Effect<void, StorageError.StorageError> =>
  withViewsLock(
    out,
    Effect.gen(function* () {
      const streams = yield* Effect.forEach(shapes, (shape) =>
        Effect.map(State.load(out, shape.name), (state) => ({ shape, state }))
      )
      yield* fs.writeAtomic(Dataset.viewsPath(out), render(streams))
    })
  ).pipe(Effect.uninterruptible)

/**
 * Runs `views.sql` on a DuckDB session whose relative paths resolve inside `out`.
 *
 * @since 0.1.0
 * @category reading
 */
export const install = (out: string, session: DuckDb.Session): Effect.Effect<void, StorageError.StorageError> =>
  Effect.gen(function* () {
    const text = yield* fs.readTextOrNull(Dataset.viewsPath(out))
    yield* session.run(`SET file_search_path = ${DuckDb.literal(out)}`, "resolve paths inside the dataset")
    if (text !== null) yield* session.run(text, "create the views of views.sql")
  })
