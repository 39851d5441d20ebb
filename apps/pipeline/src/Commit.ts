/**
 * The commit protocol of a checkpoint: stage, verify, move, snapshot, views.
 *
 * 1. the checkpoint's Parquet files are already in `_staging/<stream>/`;
 * 2. DuckDB reads them back and the verifier checks them (nothing is published if not);
 * 3. they are renamed into the stream's folder (same file system, so each move is atomic)
 *    under their final names `part-<run_id>-<seq>.parquet`, and the folders are flushed;
 * 4. the next snapshot is written atomically: this is the commit;
 * 5. `current.json` and then `views.sql` are rewritten from the committed state.
 *
 * A process killed anywhere in 3–5 leaves files that no snapshot names, or a stale
 * `current.json` or `views.sql`; the next sync's recovery removes or rewrites them. A
 * commit, once started, runs to its end even when the sync is interrupted.
 *
 * @since 0.1.0
 */
import * as Path from "node:path"
import { Clock, Effect } from "effect"
import * as Dataset from "./Dataset.ts"
import type * as DuckDb from "./DuckDb.ts"
import type { StreamShape } from "./internal/contract.ts"
import * as fs from "./internal/fs.ts"
import type * as Lock from "./Lock.ts"
import type * as ParquetWriter from "./ParquetWriter.ts"
import type * as Snapshot from "./Snapshot.ts"
import * as State from "./State.ts"
import type * as StorageError from "./StorageError.ts"
import * as Verifier from "./Verifier.ts"
import * as Views from "./Views.ts"

/**
 * Everything a commit needs.
 *
 * @since 0.1.0
 * @category models
 */
export interface Input {
  readonly out: string
  readonly shape: StreamShape
  /** every stream of the catalog, for `views.sql` */
  readonly catalog: ReadonlyArray<StreamShape>
  readonly runId: string
  readonly runStartedAt: Date
  readonly previous: Snapshot.Snapshot | null
  /** the chunks staged since the previous commit */
  readonly staged: ReadonlyArray<ParquetWriter.Staged>
  readonly cursor: unknown
  /** true when this commit ends a complete read of the stream */
  readonly complete: boolean
  readonly baselineRun: string | null
  readonly pendingBaselineRun: string | null
  /** the next file sequence number of this run and stream */
  readonly nextFileSeq: () => number
  readonly ensureHeld: Effect.Effect<void, Lock.LockError>
}

interface Move {
  readonly from: string
  readonly to: string
  readonly rows: number
}

const plan = (input: Input, fileRows: ReadonlyMap<string, number>): ReadonlyArray<Move> =>
  input.staged.flatMap((chunk) =>
    chunk.files.map((file) => ({
      from: file.path,
      to: Path.join(
        Dataset.streamDir(input.out, input.shape.name),
        file.partition,
        Dataset.partFileName(input.runId, input.nextFileSeq())
      ),
      rows: fileRows.get(file.path) ?? 0
    }))
  )

const publish = (out: string, moves: ReadonlyArray<Move>) =>
  Effect.gen(function* () {
    const dirs = [...new Set(moves.map((m) => Path.dirname(m.to)))]
    yield* Effect.forEach(dirs, fs.mkdirp, { discard: true })
    const entries = yield* Effect.forEach(moves, (move) =>
      Effect.gen(function* () {
        yield* fs.rename(move.from, move.to)
        const bytes = (yield* fs.sizeOrNull(move.to)) ?? 0
        return { path: Dataset.relative(out, move.to), rows: move.rows, bytes } satisfies Snapshot.FileEntry
      })
    )
    const parents = [...new Set(dirs.map((dir) => Path.dirname(dir)))]
    yield* Effect.forEach([...dirs, ...parents], fs.fsyncDir, { discard: true })
    return entries
  })

const snapshotOf = (input: Input, verified: Verifier.Verified, files: ReadonlyArray<Snapshot.FileEntry>) =>
  Effect.map(Clock.currentTimeMillis, (now): Snapshot.Snapshot => {
    const rows = files.reduce((sum, f) => sum + f.rows, 0)
    return {
      format: 1,
      stream: input.shape.name,
      seq: (input.previous?.seq ?? 0) + 1,
      runId: input.runId,
      mode: input.shape.mode,
      schemaVersion: input.shape.schemaVersion,
      cursor: input.cursor,
      maxUpdatedAt: verified.maxUpdatedAt,
      baselineRun: input.baselineRun,
      pendingBaselineRun: input.pendingBaselineRun,
      complete: input.complete,
      files,
      rows,
      totalRows: (input.previous?.totalRows ?? 0) + rows,
      verification: verified.verification,
      runStartedAt: input.runStartedAt.toISOString(),
      committedAt: new Date(now).toISOString()
    }
  })

/**
 * Verifies and publishes a checkpoint, returning the snapshot it committed.
 *
 * @since 0.1.0
 * @category committing
 */
export const commit = (
  input: Input
): Effect.Effect<Snapshot.Snapshot, StorageError.StorageError | Lock.LockError, DuckDb.DuckDb> =>
  Effect.gen(function* () {
    const verified = yield* Verifier.checkpoint({
      shape: input.shape,
      files: input.staged.flatMap((chunk) => chunk.files.map((f) => f.path)),
      rows: input.staged.reduce((sum, chunk) => sum + chunk.rows, 0),
      idSum: input.staged.reduce((sum, chunk) => sum + chunk.idSum, 0n),
      cursor: input.cursor,
      committedMaxUpdatedAt: input.previous?.maxUpdatedAt ?? null
    })
    yield* input.ensureHeld
    const files = yield* publish(input.out, plan(input, verified.fileRows))
    const snapshot = yield* snapshotOf(input, verified, files)
    yield* State.write(input.out, snapshot)
    yield* Views.write(input.out, input.catalog)
    yield* Effect.logInfo("checkpoint committed").pipe(
      Effect.annotateLogs({
        "source.stream": snapshot.stream,
        "commit.seq": snapshot.seq,
        "commit.rows": snapshot.rows,
        "commit.files": files.length,
        "commit.complete": snapshot.complete
      })
    )
    return snapshot
  }).pipe(Effect.uninterruptible)
