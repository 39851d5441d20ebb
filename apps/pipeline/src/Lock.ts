/**
 * The per-stream lock `_state/<stream>/lock`: a JSON file naming its holder (pid, host, run
 * id, start, last refresh), created with an exclusive create so two processes cannot both
 * hold it. The holder refreshes it every 30 seconds; a lock not refreshed for five minutes
 * is taken over (its holder crashed), and so is one whose holder was a process on this
 * machine that no longer exists (a SIGKILL leaves its lock behind). Released when the
 * scope closes.
 *
 * @since 0.1.0
 */
import * as NodeFs from "node:fs"
import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import { Clock, Data, Duration, Effect, Ref, Schedule } from "effect"
import type { Scope } from "effect"
import * as Dataset from "./Dataset.ts"
import * as fs from "./internal/fs.ts"
import type * as StorageError from "./StorageError.ts"

/**
 * Who holds a lock.
 *
 * @since 0.1.0
 * @category models
 */
export interface Holder {
  readonly pid: number
  readonly host: string
  /** the kernel's boot id, telling whether a pid on this host is still the same process */
  readonly bootId: string | null
  readonly runId: string
  readonly startedAt: string
  readonly refreshedAt: string
}

/**
 * The lock is held by another live process, or this process lost it.
 *
 * @since 0.1.0
 * @category errors
 */
export class LockError extends Data.TaggedError("LockError")<{
  readonly reason: "Held" | "Lost"
  readonly stream: string
  readonly message: string
  readonly holder: Holder | null
}> {}

/**
 * Timing of the lock.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** how long a lock may go without a refresh before it is taken over; default 5 minutes */
  readonly staleAfter?: Duration.DurationInput
  /** how often the holder refreshes it; default 30 seconds */
  readonly refreshEvery?: Duration.DurationInput
}

/**
 * A held lock: `ensureHeld` fails once a refresh found the lock taken over.
 *
 * @since 0.1.0
 * @category models
 */
export interface Lock {
  readonly holder: Holder
  readonly ensureHeld: Effect.Effect<void, LockError>
}

const bootId: string | null = (() => {
  try {
    return NodeFs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim()
  } catch {
    return null
  }
})()

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as { code?: string }).code === "EPERM"
  }
}

const parseHolder = (text: string | null): Holder | null => {
  try {
    const value = JSON.parse(text ?? "") as Holder
    return typeof value.pid === "number" && typeof value.refreshedAt === "string" ? value : null
  } catch {
    return null
  }
}

const describeHolder = (holder: Holder | null): string =>
  holder === null
    ? "an unknown holder (the lock file is unreadable)"
    : `pid ${holder.pid} on ${holder.host}, run ${holder.runId}, started ${holder.startedAt}, last refreshed ${holder.refreshedAt}`

const heldError = (stream: string, path: string, holder: Holder | null) =>
  new LockError({
    reason: "Held",
    stream,
    holder,
    message: `stream \`${stream}\` is being synced by ${describeHolder(holder)}; wait for it to finish, or remove \`${path}\` if that process is gone (a lock not refreshed for five minutes is taken over)`
  })

let tempCounter = 0

// the lock appears with its holder already in it: the holder is written to a temporary
// file that is then hard-linked to the lock's name (which fails if the name exists), so a
// process killed at any point leaves either no lock or a whole one, never an empty lock
// that would block the stream for five minutes (a leftover temporary file is removed by
// the next sync's recovery)
const createExclusive = (path: string, holder: Holder) =>
  fs.attempt("create the lock", path, async () => {
    const temp = `${path}.tmp-${process.pid}-${++tempCounter}`
    try {
      const handle = await Fs.open(temp, "wx")
      try {
        await handle.writeFile(JSON.stringify(holder, null, 2))
        await handle.sync()
      } finally {
        await handle.close()
      }
      await Fs.link(temp, path)
      return true
    } catch (error) {
      if ((error as { code?: string }).code === "EEXIST") return false
      throw error
    } finally {
      await Fs.rm(temp, { force: true })
    }
  })

const mtimeOrNull = (path: string) =>
  fs.attempt("stat", path, async () => {
    try {
      return (await Fs.stat(path)).mtimeMs
    } catch {
      return null
    }
  })

/**
 * The identity of this process for lock files: pid, host and the kernel's boot id.
 *
 * @since 0.1.0
 * @category models
 */
export const processIdentity = (): Pick<Holder, "pid" | "host" | "bootId"> => ({
  pid: process.pid,
  host: Os.hostname(),
  bootId
})

/**
 * Whether a lock's holder was a process of this machine, since this boot, that no longer
 * exists (so its lock can be taken over at once).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isGoneHere = (holder: Partial<Pick<Holder, "pid" | "host" | "bootId">> | null): boolean =>
  holder !== null &&
  typeof holder.pid === "number" &&
  holder.host === Os.hostname() &&
  bootId !== null &&
  holder.bootId === bootId &&
  holder.pid !== process.pid &&
  !isAlive(holder.pid)

const isStale = (holder: Holder | null, path: string, now: number, staleMillis: number) =>
  Effect.gen(function* () {
    if (isGoneHere(holder)) return true
    const refreshed = holder === null ? yield* mtimeOrNull(path) : Date.parse(holder.refreshedAt)
    return refreshed !== null && now - refreshed > staleMillis
  })

// a marker left by a process killed mid-takeover would block every later takeover: one
// whose process is gone here is moved aside, and put back if what moved was not it (a
// live process's marker created in between: the texts name different processes)
const clearDeadMarker = (marker: string) =>
  Effect.gen(function* () {
    const text = yield* fs.readTextOrNull(marker)
    if (text === null || !isGoneHere(parseHolder(text))) return false
    const aside = `${marker}.tmp-${process.pid}-${++tempCounter}`
    const moved = yield* fs.rename(marker, aside).pipe(
      Effect.as(true),
      Effect.catchAll(() => Effect.succeed(false))
    )
    if (!moved) return false
    if ((yield* fs.readTextOrNull(aside)) === text) {
      yield* fs.removeFile(aside)
      return true
    }
    yield* fs.attempt("restore the takeover marker", marker, () => Fs.link(aside, marker).catch(() => undefined))
    yield* fs.removeFile(aside)
    return false
  })

// one process at a time may take a stale lock over: the takeover marker is itself created
// exclusively, and the stale lock is re-read under it so a fresh lock is never removed
const takeOver = (path: string, seen: string | null, holder: Holder) =>
  Effect.gen(function* () {
    const marker = `${path}.takeover`
    const markerHolder = { ...holder, refreshedAt: holder.startedAt }
    if (!(yield* createExclusive(marker, markerHolder))) {
      if (!(yield* clearDeadMarker(marker))) return false
      if (!(yield* createExclusive(marker, markerHolder))) return false
    }
    return yield* Effect.gen(function* () {
      if ((yield* fs.readTextOrNull(path)) !== seen) return false
      yield* fs.removeFile(path)
      return yield* createExclusive(path, holder)
    }).pipe(Effect.ensuring(fs.removeFile(marker).pipe(Effect.ignore)))
  })

const tryAcquire = (out: string, stream: string, holder: Holder, staleMillis: number) =>
  Effect.gen(function* () {
    const path = Dataset.lockPath(out, stream)
    yield* fs.mkdirp(Dataset.stateDir(out, stream))
    if (yield* createExclusive(path, holder)) return
    const seen = yield* fs.readTextOrNull(path)
    const current = parseHolder(seen)
    const now = yield* Clock.currentTimeMillis
    if ((yield* isStale(current, path, now, staleMillis)) && (yield* takeOver(path, seen, holder))) {
      yield* Effect.logWarning("stale lock taken over").pipe(
        Effect.annotateLogs({ "source.stream": stream, "lock.previous": describeHolder(current) })
      )
      return
    }
    return yield* heldError(stream, path, current)
  })

const isOurs = (holder: Holder | null, ours: Holder) =>
  holder !== null && holder.pid === ours.pid && holder.runId === ours.runId && holder.host === ours.host

const refresh = (path: string, ours: Holder, lost: Ref.Ref<Holder | null | undefined>) =>
  Effect.gen(function* () {
    const current = parseHolder(yield* fs.readTextOrNull(path))
    if (!isOurs(current, ours)) return yield* Ref.set(lost, current)
    const now = yield* Clock.currentTimeMillis
    yield* fs.writeAtomic(path, JSON.stringify({ ...ours, refreshedAt: new Date(now).toISOString() }, null, 2))
  })

const release = (path: string, ours: Holder) =>
  Effect.gen(function* () {
    if (isOurs(parseHolder(yield* fs.readTextOrNull(path)), ours)) yield* fs.removeFile(path)
  }).pipe(Effect.ignore)

/**
 * Takes a stream's lock for the life of the scope, refreshing it in the background.
 *
 * Fails with `LockError` (`Held`) naming the holder when another live process has it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const acquire = (
  out: string,
  stream: string,
  runId: string,
  options: Options = {}
): Effect.Effect<Lock, LockError | StorageError.StorageError, Scope.Scope> =>
  Effect.gen(function* () {
    const now = new Date(yield* Clock.currentTimeMillis).toISOString()
    const holder: Holder = {
      ...processIdentity(),
      runId,
      startedAt: now,
      refreshedAt: now
    }
    const path = Dataset.lockPath(out, stream)
    const staleMillis = Duration.toMillis(options.staleAfter ?? Duration.minutes(5))
    yield* Effect.acquireRelease(tryAcquire(out, stream, holder, staleMillis), () => release(path, holder))
    const lost = yield* Ref.make<Holder | null | undefined>(undefined)
    const every = Schedule.spaced(options.refreshEvery ?? Duration.seconds(30))
    yield* refresh(path, holder, lost).pipe(
      Effect.ignore,
      Effect.repeat(every),
      Effect.delay(options.refreshEvery ?? "30 seconds"),
      Effect.forkScoped
    )
    const ensureHeld = Effect.flatMap(Ref.get(lost), (taker) =>
      taker === undefined
        ? Effect.void
        : new LockError({
            reason: "Lost",
            stream,
            holder: taker,
            message: `the lock of stream \`${stream}\` was taken over by ${describeHolder(taker)} while this run was silent for too long; this run stops without committing`
          })
    )
    return { holder, ensureHeld }
  })
