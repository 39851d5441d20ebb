// the dataset as files on disk, read without the pipeline's own state code: which files the
// snapshots name, which Parquet files no snapshot names, and which ones DuckDB cannot read
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { Effect } from "effect"
import * as DuckDb from "../../src/DuckDb.ts"
import * as Cli from "./Cli.ts"

interface SnapshotFile {
  readonly seq: number
  readonly files: ReadonlyArray<{ readonly path: string; readonly rows: number }>
}

/** every snapshot of a stream, in commit order */
export const snapshots = async (out: string, stream: string): Promise<ReadonlyArray<SnapshotFile>> => {
  const dir = Path.join(out, "_state", stream, "snapshots")
  const names = (await Cli.files(dir)).filter((name) => /^\d+\.json$/.test(name))
  const all = await Promise.all(
    names.map(async (name) => JSON.parse(await Fs.readFile(Path.join(dir, name), "utf8")) as SnapshotFile)
  )
  return all.sort((a, b) => a.seq - b.seq)
}

/** the files the snapshots of `streams` name, relative to the dataset root */
export const committedFiles = async (out: string, streams: ReadonlyArray<string>) => {
  const lists = await Promise.all(streams.map((s) => snapshots(out, s)))
  return lists.flat().flatMap((snapshot) => snapshot.files.map((f) => f.path))
}

/** Parquet files anywhere in the dataset (staging included) that no snapshot names */
export const strayParquet = async (out: string, streams: ReadonlyArray<string>) => {
  const named = new Set(await committedFiles(out, streams))
  const all = await Cli.files(out)
  return all.filter((path) => path.endsWith(".parquet") && !named.has(path.split(Path.sep).join("/")))
}

const withDuckDb = <A>(use: Effect.Effect<A, unknown, DuckDb.DuckDb>) =>
  Effect.runPromise(Effect.provide(use, DuckDb.layer({ memoryLimit: "256MB", threads: 1 })))

/** the committed files DuckDB cannot read whole, with its message */
export const unreadable = (out: string, paths: ReadonlyArray<string>) =>
  withDuckDb(
    Effect.gen(function* () {
      const duck = yield* DuckDb.DuckDb
      const failures = yield* Effect.forEach(paths, (path) =>
        duck
          .rows(`SELECT count(*) AS n FROM read_parquet(${DuckDb.literal(Path.join(out, path))})`, `read ${path}`)
          .pipe(
            Effect.as(null),
            Effect.catchAll((e) => Effect.succeed(`${path}: ${e.message}`))
          )
      )
      return failures.filter((f) => f !== null)
    })
  )

/** runs `sql` with `{files}` replaced by the committed files of `stream` (views not used) */
export const queryCommitted = async (out: string, stream: string, sql: string) => {
  const files = (await committedFiles(out, [stream])).map((p) => Path.join(out, p))
  if (files.length === 0) return []
  const list = `read_parquet(${DuckDb.list(files)}, union_by_name = true)`
  return withDuckDb(Effect.flatMap(DuckDb.DuckDb, (duck) => duck.rows(sql.replace("{files}", list), `query ${stream}`)))
}
