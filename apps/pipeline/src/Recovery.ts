/**
 * What a sync does first, under the stream's lock: undo a commit that was cut short. Files
 * in the stream's folder that no snapshot names (moved in, but the snapshot was never
 * written) are removed, leftover temporary files of atomic writes are removed, staging is
 * emptied, and `current.json` is rewritten if it lags behind the newest snapshot.
 *
 * @since 0.1.0
 */
import * as Path from "node:path"
import { Effect } from "effect"
import * as Dataset from "./Dataset.ts"
import * as fs from "./internal/fs.ts"
import * as State from "./State.ts"
import type * as StorageError from "./StorageError.ts"

/**
 * What recovery found and did.
 *
 * @since 0.1.0
 * @category models
 */
export interface Recovered {
  readonly state: State.StreamState
  /** uncommitted files removed from the stream's folder, relative to the dataset root */
  readonly removed: ReadonlyArray<string>
  readonly repairedCurrent: boolean
}

/**
 * The files under a stream's folder that no snapshot names, relative to the dataset root.
 *
 * @since 0.1.0
 * @category reading
 */
export const orphans = (
  out: string,
  state: State.StreamState
): Effect.Effect<ReadonlyArray<string>, StorageError.StorageError> =>
  Effect.map(fs.listFilesRecursive(Dataset.streamDir(out, state.stream)), (files) =>
    files.map((file) => `${state.stream}/${file}`).filter((path) => !state.files.has(path))
  )

const removeTempFiles = (dir: string) =>
  Effect.flatMap(fs.listNames(dir), (names) =>
    Effect.forEach(names.filter(fs.isTempFile), (name) => fs.removeFile(Path.join(dir, name)), { discard: true })
  )

/**
 * Recovers one stream; call it only while holding the stream's lock.
 *
 * @since 0.1.0
 * @category recovering
 */
export const recover = (out: string, stream: string): Effect.Effect<Recovered, StorageError.StorageError> =>
  Effect.gen(function* () {
    const state = yield* State.load(out, stream)
    const removed = yield* orphans(out, state)
    yield* Effect.forEach(removed, (path) => fs.removeFile(Dataset.resolve(out, path)), { discard: true })
    yield* removeTempFiles(Dataset.snapshotsDir(out, stream))
    yield* removeTempFiles(Dataset.stateDir(out, stream))
    yield* fs.removeTree(Dataset.stagingDir(out, stream))
    const repairedCurrent = yield* State.repairCurrent(out, state)
    if (removed.length > 0 || repairedCurrent) {
      yield* Effect.logWarning("interrupted commit recovered").pipe(
        Effect.annotateLogs({
          "source.stream": stream,
          "recovery.removed": removed.length,
          "recovery.current": repairedCurrent
        })
      )
    }
    return { state, removed, repairedCurrent }
  })
