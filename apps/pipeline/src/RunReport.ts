/**
 * The run report: what a `sync` did, per stream and overall, and the exit code it chose.
 * With JSON logs it is the last line of stdout; on a terminal it is shown as a table.
 *
 * Counters that the pipeline keeps itself (records, rejects, deletes, files) live in a
 * mutable `Counters` per stream, updated by the stream's own fiber and read by the
 * progress reporter; HTTP counters (requests, credits, retries, waits) come from the
 * source's statistics when the report is built.
 *
 * @since 0.1.0
 */

/**
 * How a stream ended.
 *
 * - `committed`: read to its end and committed;
 * - `failed`: stopped by an error (what it had verified is committed for incremental streams);
 * - `locked`: another process holds its lock, not synced;
 * - `interrupted`: stopped by a signal after committing its last verified checkpoint;
 * - `skipped`: not started (the run stopped before it).
 *
 * @since 0.1.0
 * @category models
 */
export type Status = "committed" | "failed" | "locked" | "interrupted" | "skipped"

/**
 * Live counters of one stream, written by its fiber only.
 *
 * @since 0.1.0
 * @category models
 */
export interface Counters {
  records: number
  pages: number
  deletes: number
  rejects: number
  replacedCharacters: number
  commits: number
  files: number
  rowsCommitted: number
  startedAt: number | null
  finishedAt: number | null
}

/**
 * Fresh counters.
 *
 * @since 0.1.0
 * @category constructors
 */
export const counters = (): Counters => ({
  records: 0,
  pages: 0,
  deletes: 0,
  rejects: 0,
  replacedCharacters: 0,
  commits: 0,
  files: 0,
  rowsCommitted: 0,
  startedAt: null,
  finishedAt: null
})

/**
 * HTTP counters of one stream, from the source's statistics.
 *
 * @since 0.1.0
 * @category models
 */
export interface HttpCounters {
  readonly requests: number
  readonly credits: number
  readonly retries: number
  readonly rateLimitWaits: number
  readonly rateLimitWaitSeconds: number
  readonly duplicatesDropped: number
  readonly pages: number
}

/**
 * HTTP counters of a stream that made no request.
 *
 * @since 0.1.0
 * @category constructors
 */
export const noHttp: HttpCounters = {
  requests: 0,
  credits: 0,
  retries: 0,
  rateLimitWaits: 0,
  rateLimitWaitSeconds: 0,
  duplicatesDropped: 0,
  pages: 0
}

/**
 * The report of one stream.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamReport {
  readonly stream: string
  readonly mode: "incremental" | "full_refresh"
  readonly status: Status
  readonly records: number
  readonly pages: number
  readonly requests: number
  readonly credits: number
  readonly retries: number
  readonly rateLimitWaits: number
  readonly rateLimitWaitSeconds: number
  readonly duplicatesDropped: number
  readonly deletes: number
  readonly rejects: number
  readonly replacedCharacters: number
  readonly commits: number
  readonly files: number
  /** `passed` when every commit of the run was verified, `failed` when one was refused */
  readonly verification: "passed" | "failed" | "none"
  readonly snapshotSeq: number | null
  readonly seconds: number
  readonly error: { readonly reason: string; readonly message: string } | null
  /** where this stream's rejected records are, relative to the dataset root */
  readonly rejectedFile: string | null
}

/**
 * The report of a run.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunReport {
  readonly type: "run_report"
  readonly runId: string
  readonly out: string
  readonly startedAt: string
  readonly finishedAt: string
  readonly exitCode: number
  readonly streams: ReadonlyArray<StreamReport>
  readonly totals: {
    readonly records: number
    readonly requests: number
    readonly credits: number
    readonly rejects: number
    readonly files: number
  }
}

/**
 * The exit code of a sync from its streams' outcomes: 143 (130 for SIGINT) when a signal
 * stopped it, else the first of 1 (a stream failed), 5 (a lock was held) and 4 (records
 * rejected) that applies, else 0.
 *
 * @since 0.1.0
 * @category exit codes
 */
export const exitCode = (
  streams: ReadonlyArray<Pick<StreamReport, "status" | "rejects">>,
  signal: "SIGTERM" | "SIGINT" | null = null
): number => {
  if (signal !== null) return signal === "SIGTERM" ? 143 : 130
  if (streams.some((s) => s.status === "failed")) return 1
  if (streams.some((s) => s.status === "locked")) return 5
  if (streams.some((s) => s.rejects > 0)) return 4
  return 0
}

/**
 * Sums the per-stream figures of a report.
 *
 * @since 0.1.0
 * @category constructors
 */
export const totals = (streams: ReadonlyArray<StreamReport>): RunReport["totals"] => ({
  records: streams.reduce((n, s) => n + s.records, 0),
  requests: streams.reduce((n, s) => n + s.requests, 0),
  credits: streams.reduce((n, s) => n + s.credits, 0),
  rejects: streams.reduce((n, s) => n + s.rejects, 0),
  files: streams.reduce((n, s) => n + s.files, 0)
})

const pad = (text: string, width: number, right: boolean) => (right ? text.padStart(width) : text.padEnd(width))

/**
 * Renders a report as a plain-text table for a terminal.
 *
 * @since 0.1.0
 * @category rendering
 */
export const table = (report: RunReport): string => {
  const header = [
    "stream",
    "status",
    "records",
    "pages",
    "requests",
    "credits",
    "retries",
    "rl waits",
    "dups",
    "deletes",
    "rejects",
    "files",
    "verified",
    "secs"
  ]
  const rows = report.streams.map((s) => [
    s.stream,
    s.status,
    ...[
      s.records,
      s.pages,
      s.requests,
      s.credits,
      s.retries,
      s.rateLimitWaits,
      s.duplicatesDropped,
      s.deletes,
      s.rejects,
      s.files
    ].map(String),
    s.verification,
    s.seconds.toFixed(1)
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)))
  const render = (cells: ReadonlyArray<string>) =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0, i >= 2 && i <= 11))
      .join("  ")
      .trimEnd()
  const errors = report.streams.filter((s) => s.error !== null).map((s) => `${s.stream}: ${s.error?.message}`)
  return [
    render(header),
    ...rows.map(render),
    "",
    `run ${report.runId}: exit ${report.exitCode}, ${report.totals.records} records, ${report.totals.files} files in ${report.out}`,
    ...errors
  ].join("\n")
}
