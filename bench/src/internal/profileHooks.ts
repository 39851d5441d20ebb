/**
 * Instruments the profiled sync (loaded with `node --import`): times every DuckDB
 * statement (COPY to Parquet, reads that verify, the rest) on the monotonic clock the CPU
 * profile uses, and samples `process.memoryUsage()` to tell a peak of JavaScript heap
 * from one of native memory (DuckDB). Writes what it saw to `BENCH_HOOKS_OUT` at exit.
 * It imports only Node built-ins and DuckDB's binding, and is stripped to plain `.mjs`.
 */
import { writeFileSync } from "node:fs"
import { DuckDBConnection } from "@duckdb/node-api"

type Kind = "copy" | "verify" | "other"

interface Statement {
  readonly kind: Kind
  /** microseconds on the monotonic clock */
  readonly start: number
  readonly end: number
  readonly sql: string
}

interface MemoryPeak {
  rss: number
  heapUsed: number
  heapTotal: number
  external: number
  arrayBuffers: number
  /** what DuckDB was doing when the resident set peaked */
  duringRssPeak: Kind | "none"
}

const micros = () => Number(process.hrtime.bigint() / 1000n)

const statements: Array<Statement> = []
const active = new Set<Kind>()
const peak: MemoryPeak = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0, duringRssPeak: "none" }
const samples: Array<{ at: number; rss: number; heapUsed: number; external: number }> = []

const kindOf = (sql: string): Kind => {
  if (/^\s*COPY\b/i.test(sql)) return "copy"
  return /read_parquet|parquet_\w+\s*\(|DESCRIBE/i.test(sql) ? "verify" : "other"
}

type Method = (this: DuckDBConnection, sql: string, ...rest: Array<unknown>) => Promise<unknown>

const timed = (original: Method): Method =>
  function (this: DuckDBConnection, sql, ...rest) {
    const kind = kindOf(sql)
    const start = micros()
    active.add(kind)
    return original.call(this, sql, ...rest).finally(() => {
      active.delete(kind)
      statements.push({ kind, start, end: micros(), sql: sql.slice(0, 80) })
    })
  }

const proto = DuckDBConnection.prototype as unknown as Record<"run" | "runAndReadAll", Method>
proto.run = timed(proto.run)
proto.runAndReadAll = timed(proto.runAndReadAll)

let tick = 0
const sample = () => {
  const m = process.memoryUsage()
  if (m.rss > peak.rss) {
    peak.rss = m.rss
    peak.duringRssPeak = [...active][0] ?? "none"
  }
  peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed)
  peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal)
  peak.external = Math.max(peak.external, m.external)
  peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers)
  if (tick++ % 5 === 0) samples.push({ at: micros(), rss: m.rss, heapUsed: m.heapUsed, external: m.external })
}
setInterval(sample, 50).unref()

const loadedAt = micros()

process.on("exit", () => {
  const file = process.env.BENCH_HOOKS_OUT
  if (file !== undefined) writeFileSync(file, JSON.stringify({ loadedAt, statements, peak, samples }))
})
