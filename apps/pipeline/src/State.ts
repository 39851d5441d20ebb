/**
 * A stream's committed state, read from its snapshots: the newest snapshot (where a sync
 * resumes) and the set of files every snapshot names (what is committed). Committing
 * writes the next snapshot atomically and then rewrites `current.json` from it.
 *
 * @since 0.1.0
 */
import { Effect, Either } from "effect"
import * as Dataset from "./Dataset.ts"
import * as fs from "./internal/fs.ts"
import * as Snapshot from "./Snapshot.ts"
import * as StorageError from "./StorageError.ts"

/**
 * The committed state of one stream.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamState {
  readonly stream: string
  /** every snapshot, oldest first */
  readonly snapshots: ReadonlyArray<Snapshot.Snapshot>
  readonly latest: Snapshot.Snapshot | null
  /** paths (relative to the dataset root) of every committed file */
  readonly files: ReadonlyMap<string, Snapshot.FileEntry>
}

const SNAPSHOT_NAME = /^(\d+)\.json$/

const corrupt = (stream: string, path: string, problem: string) =>
  new StorageError.StorageError({
    reason: "CorruptState",
    stream,
    path,
    message: `the snapshot \`${path}\` cannot be read: ${problem}. Restore it from a backup, or remove the stream's folder and \`_state/${stream}\` and run \`sync --full-refresh --streams ${stream}\``
  })

const readSnapshot = (out: string, stream: string, name: string) =>
  Effect.gen(function* () {
    const path = `${Dataset.snapshotsDir(out, stream)}/${name}`
    const text = yield* fs.readTextOrNull(path)
    if (text === null) return yield* corrupt(stream, path, "it disappeared while being read")
    const parsed = Snapshot.parse(text)
    if (Either.isLeft(parsed)) return yield* corrupt(stream, path, parsed.left)
    const seq = Number(SNAPSHOT_NAME.exec(name)?.[1])
    if (parsed.right.seq !== seq || parsed.right.stream !== stream) {
      return yield* corrupt(stream, path, `it names stream ${parsed.right.stream} and seq ${parsed.right.seq}`)
    }
    return parsed.right
  })

/**
 * Reads a stream's snapshots; a stream never committed has none.
 *
 * @since 0.1.0
 * @category reading
 */
export const load = (out: string, stream: string): Effect.Effect<StreamState, StorageError.StorageError> =>
  Effect.gen(function* () {
    const names = (yield* fs.listNames(Dataset.snapshotsDir(out, stream))).filter((n) => SNAPSHOT_NAME.test(n))
    const snapshots = yield* Effect.forEach(names, (name) => readSnapshot(out, stream, name))
    const files = new Map<string, Snapshot.FileEntry>()
    for (const snapshot of snapshots) for (const file of snapshot.files) files.set(file.path, file)
    return { stream, snapshots, latest: snapshots.at(-1) ?? null, files }
  })

/**
 * The streams that have a state folder in the dataset.
 *
 * @since 0.1.0
 * @category reading
 */
export const streamsOnDisk = (out: string): Effect.Effect<ReadonlyArray<string>, StorageError.StorageError> =>
  fs.listNames(`${out}/_state`)

/**
 * Publishes a snapshot: writes `snapshots/<seq>.json` atomically (the commit), then
 * rewrites `current.json` from it.
 *
 * @since 0.1.0
 * @category writing
 */
export const write = (out: string, snapshot: Snapshot.Snapshot): Effect.Effect<void, StorageError.StorageError> =>
  Effect.gen(function* () {
    const text = Snapshot.encode(snapshot)
    yield* fs.mkdirp(Dataset.snapshotsDir(out, snapshot.stream))
    yield* fs.writeAtomic(Dataset.snapshotPath(out, snapshot.stream, snapshot.seq), text)
    yield* fs.writeAtomic(Dataset.currentPath(out, snapshot.stream), text)
  })

/**
 * Rewrites `current.json` from the newest snapshot when it differs (a commit cut short
 * between its two writes).
 *
 * @since 0.1.0
 * @category writing
 */
export const repairCurrent = (out: string, state: StreamState): Effect.Effect<boolean, StorageError.StorageError> =>
  Effect.gen(function* () {
    if (state.latest === null) return false
    const text = Snapshot.encode(state.latest)
    const current = yield* fs.readTextOrNull(Dataset.currentPath(out, state.stream))
    if (current === text) return false
    yield* fs.writeAtomic(Dataset.currentPath(out, state.stream), text)
    return true
  })
