/**
 * The sync of one stream in one run, under its lock: recover, read from the saved cursor,
 * stage rows as they arrive, and commit.
 *
 * - Incremental streams commit a checkpoint every `checkpointRows` rows or
 *   `checkpointSeconds` seconds (checked as batches arrive), so a killed sync redoes at
 *   most one checkpoint. A stop request, or an error of the source, commits what was
 *   staged with the cursor of the last stored batch (safe by the stream contract).
 * - Full-refresh streams stage their whole snapshot (flushing to Parquet every
 *   `checkpointRows` rows to keep memory flat) and commit once, when the read completes;
 *   a stopped or failed read leaves the previous snapshot current.
 * - `--full-refresh` of an incremental stream reads from the start and marks the run as
 *   the pending baseline; the commit that completes the read makes it the baseline, so
 *   current views drop records deleted for good. An interrupted refresh is finished by
 *   the next sync, which resumes from its cursor.
 *
 * @since 0.1.0
 */
import { Json } from "@landed/http-source"
import { Clock, Deferred, Effect, Either, Stream } from "effect"
import * as Commit from "./Commit.ts"
import * as Dataset from "./Dataset.ts"
import type * as DuckDb from "./DuckDb.ts"
import type { Batch, StreamShape, StreamSource } from "./internal/contract.ts"
import * as fs from "./internal/fs.ts"
import * as Lock from "./Lock.ts"
import * as ParquetWriter from "./ParquetWriter.ts"
import * as Recovery from "./Recovery.ts"
import * as Rejected from "./Rejected.ts"
import type * as RunReport from "./RunReport.ts"
import type * as Snapshot from "./Snapshot.ts"
import * as StorageError from "./StorageError.ts"

/**
 * Settings of a stream's sync.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly out: string
  readonly runId: string
  readonly runStartedAt: Date
  /** every stream of the catalog, for `views.sql` */
  readonly catalog: ReadonlyArray<StreamShape>
  readonly startDate: Date | null
  readonly fullRefresh: boolean
  readonly checkpointRows: number
  readonly checkpointSeconds: number
  /** completed to stop the sync gracefully (a signal) */
  readonly stop: Deferred.Deferred<void>
  readonly lock?: Lock.Options
}

/**
 * How a stream's sync ended.
 *
 * @since 0.1.0
 * @category models
 */
export interface Outcome {
  readonly status: RunReport.Status
  readonly verification: "passed" | "failed" | "none"
  readonly snapshot: Snapshot.Snapshot | null
  readonly error: { readonly reason: string; readonly message: string } | null
}

type Failure<E> = { readonly _tag: "Source"; readonly error: E } | { readonly _tag: "Engine"; readonly error: unknown }

interface Run {
  readonly options: Options
  readonly shape: StreamShape
  readonly writer: ParquetWriter.Writer
  readonly counters: RunReport.Counters
  readonly lock: Lock.Lock
  previous: Snapshot.Snapshot | null
  staged: Array<ParquetWriter.Staged>
  cursor: unknown
  lastCommitAt: number
  baselineRun: string | null
  pendingBaselineRun: string | null
  fileSeq: number
}

const sameCursor = (a: unknown, b: unknown) => Json.stringify(a ?? null) === Json.stringify(b ?? null)

const isDirty = (run: Run) => run.writer.pendingRows() > 0 || !sameCursor(run.cursor, run.previous?.cursor)

const commitNow = (run: Run, complete: boolean) =>
  Effect.gen(function* () {
    run.staged.push(yield* run.writer.flush)
    const promote = complete && run.shape.mode === "incremental"
    const snapshot = yield* Commit.commit({
      out: run.options.out,
      shape: run.shape,
      catalog: run.options.catalog,
      runId: run.options.runId,
      runStartedAt: run.options.runStartedAt,
      previous: run.previous,
      staged: run.staged,
      cursor: run.cursor,
      complete,
      baselineRun: promote ? (run.pendingBaselineRun ?? run.baselineRun) : run.baselineRun,
      pendingBaselineRun: promote ? null : run.pendingBaselineRun,
      nextFileSeq: () => ++run.fileSeq,
      ensureHeld: run.lock.ensureHeld
    })
    run.previous = snapshot
    run.staged = []
    // the next chunk's file is created on its first row, so staging holds nothing of value now
    yield* fs.removeTree(Dataset.stagingDir(run.options.out, run.shape.name))
    run.baselineRun = snapshot.baselineRun
    run.pendingBaselineRun = snapshot.pendingBaselineRun
    run.lastCommitAt = yield* Clock.currentTimeMillis
    run.counters.commits++
    run.counters.files += snapshot.files.length
    run.counters.rowsCommitted += snapshot.rows
  })

const checkpointDue = (run: Run) =>
  Effect.map(Clock.currentTimeMillis, (now) => {
    if (run.writer.pendingRows() >= run.options.checkpointRows) return true
    return now - run.lastCommitAt >= run.options.checkpointSeconds * 1000 && isDirty(run)
  })

const countBatch = (counters: RunReport.Counters, batch: Batch) => {
  counters.records += batch.rows.length
  counters.pages++
  counters.rejects += batch.rejected.length
  counters.replacedCharacters += batch.replacedCharacters
  for (const row of batch.rows) if (row.deleted === true) counters.deletes++
}

const store = (run: Run, batch: Batch) =>
  Effect.gen(function* () {
    yield* run.writer.append(batch.rows, batch.extractedAt)
    yield* Rejected.append(run.options.out, run.shape.name, run.options.runId, batch.rejected)
    countBatch(run.counters, batch)
    run.cursor = batch.cursor
    if (run.shape.mode === "incremental") {
      if (yield* checkpointDue(run)) yield* commitNow(run, false)
    } else if (run.writer.pendingRows() >= run.options.checkpointRows) {
      run.staged.push(yield* run.writer.flush)
    }
  }).pipe(Effect.uninterruptible)

const describeError = (error: unknown): { reason: string; message: string } => {
  const e = error as { reason?: unknown; _tag?: unknown; message?: unknown }
  const reason = typeof e?.reason === "string" ? e.reason : typeof e?._tag === "string" ? e._tag : "Error"
  return { reason, message: typeof e?.message === "string" ? e.message : String(error) }
}

// after a stop or a source error, an incremental stream keeps what it stored so far
const commitPending = (run: Run) =>
  run.shape.mode === "incremental" && isDirty(run) ? commitNow(run, false) : Effect.void

const discardStaging = (run: Run) =>
  Effect.zipRight(run.writer.close, fs.removeTree(Dataset.stagingDir(run.options.out, run.shape.name))).pipe(
    Effect.ignore
  )

const finish = <E>(run: Run, result: Either.Either<void, Failure<E>>, stopped: boolean) =>
  Effect.gen(function* () {
    if (Either.isLeft(result) && result.left._tag === "Engine") return yield* Effect.fail(result.left.error)
    if (Either.isRight(result) && !stopped) {
      if (run.shape.mode === "full_refresh" || isDirty(run) || run.pendingBaselineRun !== null) {
        yield* commitNow(run, true)
      }
      return { status: "committed", error: null } as const
    }
    yield* commitPending(run)
    if (run.shape.mode === "full_refresh") yield* discardStaging(run)
    if (Either.isLeft(result)) return { status: "failed", error: describeError(result.left.error) } as const
    return { status: "interrupted", error: null } as const
  })

const start = (options: Options, shape: StreamShape, counters: RunReport.Counters, lock: Lock.Lock) =>
  Effect.gen(function* () {
    const { state } = yield* Recovery.recover(options.out, shape.name)
    const previous = state.latest
    const incremental = shape.mode === "incremental"
    const run: Run = {
      options,
      shape,
      counters,
      lock,
      writer: ParquetWriter.make(options.out, shape, options.runId),
      previous,
      staged: [],
      cursor: options.fullRefresh || !incremental ? null : (previous?.cursor ?? null),
      lastCommitAt: yield* Clock.currentTimeMillis,
      baselineRun: incremental ? (previous?.baselineRun ?? null) : null,
      pendingBaselineRun: incremental
        ? options.fullRefresh
          ? options.runId
          : (previous?.pendingBaselineRun ?? null)
        : null,
      fileSeq: 0
    }
    return run
  })

const readAll = <E, R>(run: Run, source: StreamSource<E, R>) => {
  const cursor = run.cursor
  const input = { cursor, startDate: cursor === null ? run.options.startDate : null }
  return source.read(input).pipe(
    Stream.interruptWhen(Deferred.await(run.options.stop)),
    Stream.mapError((error): Failure<E> => ({ _tag: "Source", error })),
    Stream.runForEach((batch) =>
      Effect.mapError(store(run, batch), (error): Failure<E> => ({ _tag: "Engine", error }))
    ),
    Effect.either
  )
}

const engineOutcome = (error: unknown, run: Run | null): Outcome => ({
  status: error instanceof Lock.LockError && error.reason === "Held" ? "locked" : "failed",
  verification:
    error instanceof StorageError.StorageError && error.reason === "VerificationFailed"
      ? "failed"
      : (run?.counters.commits ?? 0) > 0
        ? "passed"
        : "none",
  snapshot: run?.previous ?? null,
  error: describeError(error)
})

const logOutcome = (stream: string, outcome: Outcome, counters: RunReport.Counters) => {
  const annotations = {
    "source.stream": stream,
    "stream.status": outcome.status,
    "stream.records": counters.records,
    "stream.commits": counters.commits,
    ...(outcome.error === null ? {} : { "error.reason": outcome.error.reason, "error.message": outcome.error.message })
  }
  const log = outcome.error === null ? Effect.logInfo("stream finished") : Effect.logError("stream stopped")
  return Effect.annotateLogs(log, annotations)
}

/**
 * Syncs one stream into the dataset; never fails: the outcome says how it ended.
 *
 * @since 0.1.0
 * @category running
 */
export const run = <E, R>(
  source: StreamSource<E, R>,
  options: Options,
  counters: RunReport.Counters
): Effect.Effect<Outcome, never, R | DuckDb.DuckDb> => {
  let current: Run | null = null
  const body = Effect.gen(function* () {
    counters.startedAt = yield* Clock.currentTimeMillis
    const lock = yield* Lock.acquire(options.out, source.name, options.runId, options.lock)
    const run = yield* start(options, source, counters, lock)
    current = run
    const result = yield* readAll(run, source)
    const stopped = yield* Deferred.isDone(options.stop)
    const ended = yield* finish(run, result, stopped)
    return {
      ...ended,
      verification: run.counters.commits > 0 ? "passed" : "none",
      snapshot: run.previous
    } satisfies Outcome
  })
  return Effect.scoped(body).pipe(
    Effect.catchAll((error) => Effect.succeed(engineOutcome(error, current))),
    Effect.tap((outcome) => logOutcome(source.name, outcome, counters)),
    Effect.ensuring(
      Effect.map(Clock.currentTimeMillis, (now) => {
        counters.finishedAt = now
      })
    ),
    Effect.annotateLogs("source.stream", source.name)
  )
}
