// file system steps the commit protocol relies on, as effects failing with StorageError:
// atomic replacement (temp file, fsync, rename, fsync of the directory) and listings
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { Effect } from "effect"
import * as StorageError from "../StorageError.ts"

type Io<A> = Effect.Effect<A, StorageError.StorageError>

export const attempt = <A>(operation: string, path: string, f: () => Promise<A>): Io<A> =>
  Effect.tryPromise({ try: f, catch: (cause) => StorageError.io(operation, path, cause) })

const isMissing = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ENOENT"

export const mkdirp = (dir: string): Io<void> =>
  attempt("create the directory", dir, () => Fs.mkdir(dir, { recursive: true })).pipe(Effect.asVoid)

export const fsyncDir = (dir: string): Io<void> =>
  attempt("flush the directory", dir, async () => {
    const handle = await Fs.open(dir, "r")
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  })

let tempCounter = 0

/** writes `text` so that a reader sees either the old file or the whole new one */
export const writeAtomic = (path: string, text: string): Io<void> =>
  attempt("write", path, async () => {
    const temp = `${path}.tmp-${process.pid}-${++tempCounter}`
    const handle = await Fs.open(temp, "w")
    try {
      await handle.writeFile(text, "utf8")
      await handle.sync()
    } finally {
      await handle.close()
    }
    await Fs.rename(temp, path)
  }).pipe(Effect.zipRight(fsyncDir(Path.dirname(path))))

export const isTempFile = (name: string): boolean => /\.tmp-\d+-\d+$/.test(name)

export const readTextOrNull = (path: string): Io<string | null> =>
  attempt("read", path, async () => {
    try {
      return await Fs.readFile(path, "utf8")
    } catch (error) {
      if (isMissing(error)) return null
      throw error
    }
  })

export const listNames = (dir: string): Io<ReadonlyArray<string>> =>
  attempt("list", dir, async () => {
    try {
      return (await Fs.readdir(dir)).sort()
    } catch (error) {
      if (isMissing(error)) return []
      throw error
    }
  })

/** every file below `dir`, as paths relative to `dir` with forward slashes, sorted */
export const listFilesRecursive = (dir: string): Io<ReadonlyArray<string>> =>
  attempt("list", dir, async () => {
    try {
      const entries = await Fs.readdir(dir, { recursive: true, withFileTypes: true })
      return entries
        .filter((entry) => entry.isFile())
        .map((entry) => Path.relative(dir, Path.join(entry.parentPath, entry.name)).split(Path.sep).join("/"))
        .sort()
    } catch (error) {
      if (isMissing(error)) return []
      throw error
    }
  })

export const removeFile = (path: string): Io<void> => attempt("remove", path, () => Fs.rm(path, { force: true }))

export const removeTree = (path: string): Io<void> =>
  attempt("remove", path, () => Fs.rm(path, { recursive: true, force: true }))

export const sizeOrNull = (path: string): Io<number | null> =>
  attempt("stat", path, async () => {
    try {
      return (await Fs.stat(path)).size
    } catch (error) {
      if (isMissing(error)) return null
      throw error
    }
  })

export const rename = (from: string, to: string): Io<void> => attempt("move", from, () => Fs.rename(from, to))

export const exists = (path: string): Io<boolean> =>
  attempt("stat", path, async () => {
    try {
      await Fs.stat(path)
      return true
    } catch (error) {
      if (isMissing(error)) return false
      throw error
    }
  })

export const isDirectory = (path: string): Io<boolean> =>
  attempt("stat", path, async () => {
    try {
      return (await Fs.stat(path)).isDirectory()
    } catch (error) {
      if (isMissing(error)) return false
      throw error
    }
  })
