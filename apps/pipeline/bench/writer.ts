// The writer path measured: synthetic ticket rows (shaped like /work/shared/parquet-writers.md's
// test) flow through the pipeline's storage engine exactly as a sync's batches do (NDJSON
// staging, DuckDB COPY to ZSTD Parquet, read-back verification, commit) in pages of 100 and
// checkpoints of 10,000 rows. Prints wall time, rows per second, peak RSS and output size,
// next to the cost of generating and serialising the same rows alone.
//
//   pnpm --filter @landed/pipeline bench [rows ...]     (default: 200000)
import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import { Json } from "@landed/http-source"
import { Deferred, Effect, Option, Stream } from "effect"
import * as DuckDb from "../src/DuckDb.ts"
import type { Batch, StreamSource } from "../src/internal/contract.ts"
import * as RunReport from "../src/RunReport.ts"
import * as StreamRun from "../src/StreamRun.ts"

const columns = [
  ["id", "BIGINT"],
  ["subject", "VARCHAR"],
  ["description_text", "VARCHAR"],
  ["status", "BIGINT"],
  ["priority", "BIGINT"],
  ["requester_id", "BIGINT"],
  ["responder_id", "BIGINT"],
  ["tags", "VARCHAR[]"],
  ["custom_fields", "JSON"],
  ["created_at", "TIMESTAMPTZ"],
  ["updated_at", "TIMESTAMPTZ"],
  ["due_by", "TIMESTAMPTZ"],
  ["spam", "BOOLEAN"]
].map(([name, type]) => ({ name: name!, type: type!, description: name! }))

// a small deterministic generator (mulberry32), so every run writes the same rows
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const WORDS = "the ticket customer order refund login error billing plan shipment invoice account".split(" ")
const START = Date.parse("2024-01-01T00:00:00Z")

const text = (next: () => number, length: number) => {
  let out = ""
  while (out.length < length) out += `${WORDS[Math.floor(next() * WORDS.length)]} `
  return out.slice(0, length)
}

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`

const row = (next: () => number, i: number) => {
  const updated = START + i * 150_000
  return {
    id: 10_000_000_000 - i,
    subject: text(next, 60),
    description_text: text(next, 900 + Math.floor(next() * 250)),
    status: 2 + Math.floor(next() * 4),
    priority: 1 + Math.floor(next() * 4),
    requester_id: 1_000_000_000 + Math.floor(next() * 1e9),
    responder_id: next() < 0.2 ? null : 2_000_000_000 + Math.floor(next() * 1e6),
    tags: Array.from({ length: Math.floor(next() * 6) }, () => WORDS[Math.floor(next() * WORDS.length)]!),
    custom_fields: { cf_amount: Json.parse("1234.56789012345678901"), cf_note: text(next, 20), cf_flag: next() < 0.5 },
    created_at: iso(updated - 86_400_000),
    updated_at: iso(updated),
    due_by: next() < 0.3 ? null : iso(updated + 86_400_000),
    spam: next() < 0.02
  }
}

const PAGE = 100

const source = (rows: number): StreamSource<never, never> => ({
  name: "tickets",
  mode: "incremental",
  primaryKey: "id",
  cursorField: "updated_at",
  columns,
  schemaVersion: 1,
  cursorWatermark: (cursor) => (cursor as { updated_at?: string } | null)?.updated_at ?? null,
  read: () => {
    const next = random(42)
    return Stream.unfold(0, (start) => {
      if (start >= rows) return Option.none()
      const page = Array.from({ length: Math.min(PAGE, rows - start) }, (_, k) => row(next, start + k))
      const batch: Batch = {
        rows: page,
        rejected: [],
        extractedAt: new Date(),
        replacedCharacters: 0,
        cursor: { updated_at: page.at(-1)!.updated_at }
      }
      return Option.some([batch, start + PAGE] as const)
    })
  }
})

const baseline = (rows: number) => {
  const started = performance.now()
  const next = random(42)
  let bytes = 0
  for (let i = 0; i < rows; i++) bytes += Json.stringify(row(next, i)).length + 1
  return { seconds: (performance.now() - started) / 1000, bytes }
}

const sizeOf = async (dir: string) => {
  const entries = await Fs.readdir(dir, { recursive: true, withFileTypes: true })
  const files = entries.filter((e) => e.isFile() && e.name.endsWith(".parquet"))
  const sizes = await Promise.all(files.map((e) => Fs.stat(Path.join(e.parentPath, e.name)).then((s) => s.size)))
  return { files: files.length, bytes: sizes.reduce((a, b) => a + b, 0) }
}

const measure = (rows: number) =>
  Effect.gen(function* () {
    const out = yield* Effect.promise(() => Fs.mkdtemp(Path.join(Os.tmpdir(), "pipeline-bench-")))
    const stop = yield* Deferred.make<void>()
    const counters = RunReport.counters()
    const source_ = source(rows)
    const started = performance.now()
    const outcome = yield* StreamRun.run(
      source_,
      {
        out,
        runId: "20260101T000000Z-000000",
        runStartedAt: new Date(),
        catalog: [source_],
        startDate: null,
        fullRefresh: false,
        checkpointRows: 10_000,
        checkpointSeconds: 3600,
        stop
      },
      counters
    )
    const seconds = (performance.now() - started) / 1000
    const size = yield* Effect.promise(() => sizeOf(Path.join(out, "tickets")))
    yield* Effect.promise(() => Fs.rm(out, { recursive: true, force: true }))
    return { rows, status: outcome.status, commits: counters.commits, seconds, ...size }
  })

const rowsToRun = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0)
const program = Effect.gen(function* () {
  for (const rows of rowsToRun.length > 0 ? rowsToRun : [200_000]) {
    const base = baseline(rows)
    const result = yield* measure(rows)
    const rss = process.resourceUsage().maxRSS / 1024
    console.log(
      [
        `${rows} rows (${(base.bytes / 1e6).toFixed(0)} MB as JSON): ${result.status}, ${result.commits} commits`,
        `  generate + serialise only: ${base.seconds.toFixed(1)} s`,
        `  pipeline writer: ${result.seconds.toFixed(1)} s (${Math.round(rows / result.seconds)} rows/s), ` +
          `${result.files} files, ${(result.bytes / 1e6).toFixed(1)} MB Parquet, peak RSS so far ${rss.toFixed(0)} MB`
      ].join("\n")
    )
  }
}).pipe(Effect.provide(DuckDb.layer()))

Effect.runPromise(program).catch((error) => {
  console.error(error)
  process.exitCode = 1
})
