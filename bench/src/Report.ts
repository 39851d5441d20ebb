/**
 * Renders the results of a bench run as Markdown (`bench/results/<date>.md`): the goal
 * table, the machine and code measured, the settings, each case's raw figures, and where
 * the time of the CPU-bound sync goes.
 *
 * @since 0.1.0
 */
import type * as CpuCase from "./CpuCase.ts"
import type * as LimitCase from "./LimitCase.ts"
import type * as ProfileCase from "./ProfileCase.ts"
import type * as Results from "./Results.ts"
import * as Stats from "./Stats.ts"

const table = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string | number>>): string =>
  [
    `| ${head.join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.join(" | ")} |`)
  ].join("\n")

const s = (millis: number) => (millis / 1000).toFixed(1)
const mb = (bytes: number) => String(Math.round(bytes / 1e6))
const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)} %`

const goalTable = (r: Results.Results) =>
  table(
    ["case", "measured (median)", "baseline / limit (median)", "ratio", "goal", "met?", "command"],
    r.table.map((row) => [
      row.case,
      row.measured,
      row.baseline,
      row.ratio.toFixed(2),
      row.goal,
      row.met ? "yes" : "**no**",
      `\`${row.command}\``
    ])
  )

const machine = (r: Results.Results) => {
  const m = r.machine
  const changed = m.uncommitted.length === 0 ? "clean" : `${m.uncommitted.length} files differed from it`
  return [
    "## Machine and code",
    "",
    `- CPU: ${m.cpuModel}, ${m.cores} cores; memory ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB; ${m.platform}`,
    `- Node.js ${m.node}`,
    `- git commit \`${m.commit}\`; working tree ${changed} (work in progress of other packages is part of what was measured)`,
    `- load average (1 min): ${m.loadAtStart.toFixed(2)} at the start, ${r.loadAtEnd.toFixed(2)} at the end (the machine is shared)`,
    `- started ${r.startedAt}, finished ${r.finishedAt}`,
    ...(m.uncommitted.length === 0
      ? []
      : [
          "",
          `<details><summary>uncommitted paths</summary>\n\n${m.uncommitted.map((p) => `- ${p}`).join("\n")}\n</details>`
        ])
  ].join("\n")
}

const settings = (r: Results.Results) =>
  [
    "## Settings",
    "",
    `- ${r.settings.runs} alternating runs of each kind; cases: ${r.settings.cases.join(", ")}; simulator seed ${r.settings.seed}${r.settings.scale === 1 ? "" : `; **data scaled by ${r.settings.scale}: not a result**`}`,
    "- simulator: `Simulator.start` in a child process of its own (under tsx); its request log comes from Node's `http.server` diagnostics channels; counters and rate-limit windows reset before every run",
    "- sync: the CLI bundle built at the start (`pnpm --filter @landed/pipeline run build`), copied to `bench/.cache/cli.js`, run as `node cli.js sync --out <fresh temp folder>` with `PIPELINE_LOG_FORMAT=json`; elapsed is spawn to exit of the process",
    "- floor: the requests the preceding sync made (status 200), replayed by a plain Node process with `fetch` + `JSON.parse`, keeping nothing: the credential and plan lookups first, then every stream at once, each stream's requests one after another in the sync's order (the sync's own concurrency); elapsed is spawn to exit",
    `- rate-limit and latency cases: ${r.settings.windowMs === 60_000 ? "Freshdesk's one-minute window" : `**a ${r.settings.windowMs / 1000} s window** (limits per window unchanged, sync told with \`PIPELINE_RATE_WINDOW_MS\`)`}; the steady-pace time is max(credits / overall, ticket-list calls / ticket limit, contact-list calls / contact limit) windows, from the requests the simulator admitted`,
    "- memory: `VmHWM` of the sync process from `/proc/<pid>/status`, sampled every 50 ms until it exits"
  ].join("\n")

const cpuSection = (c: Results.CpuSummary, rounds: ReadonlyArray<CpuCase.Round>) =>
  [
    `## CPU bound: ${c.tickets} tickets, other streams at default sizes, no latency, no limit`,
    "",
    table(
      [
        "round",
        "sync s",
        "floor s",
        "sync / floor",
        "sync CPU s",
        "floor CPU s",
        "simulator CPU s (sync / floor)",
        "requests",
        "sync peak RSS MB"
      ],
      rounds
        .filter((r) => r.floor !== null)
        .map((r, i) => [
          i + 1,
          s(r.sync.elapsedMillis),
          s(r.floor!.elapsedMillis),
          (r.sync.elapsedMillis / r.floor!.elapsedMillis).toFixed(2),
          s(r.sync.cpuMillis),
          s(r.floor!.cpuMillis),
          `${s(r.serverCpuMillis.sync)} / ${s(r.serverCpuMillis.floor ?? Number.NaN)}`,
          r.demand.requests,
          mb(r.sync.peakRssBytes)
        ])
    ),
    "",
    `Median sync ${Stats.seconds(Stats.median(c.syncMillis))}, median floor ${Stats.seconds(Stats.median(c.floorMillis))}, ratio ${c.ratio.toFixed(2)}; CPU time: sync ${Stats.seconds(Stats.median(c.syncCpuMillis))}, floor ${Stats.seconds(Stats.median(c.floorCpuMillis))}.`
  ].join("\n")

const memorySection = (m: Results.MemorySummary) =>
  [
    `## Memory: ${m.largeTickets} against ${m.smallTickets} tickets`,
    "",
    table(
      ["round", `${m.largeTickets} tickets peak RSS MB`, `${m.smallTickets} tickets peak RSS MB`],
      m.largePeakBytes.map((large, i) => [i + 1, mb(large), mb(m.smallPeakBytes[i] ?? Number.NaN)])
    ),
    "",
    `Medians ${Stats.megabytes(Stats.median(m.largePeakBytes))} and ${Stats.megabytes(Stats.median(m.smallPeakBytes))}, ratio ${m.ratio.toFixed(2)}.`
  ].join("\n")

const limitRows = (runs: ReadonlyArray<LimitCase.LimitRun>) =>
  runs.map((r, i) => [
    i + 1,
    s(r.sync.elapsedMillis),
    s(r.pace.millis),
    r.pace.binding,
    r.ratio.toFixed(2),
    r.demand.credits,
    r.demand.ticketListCalls,
    r.demand.contactListCalls,
    r.stats.rateLimited,
    r.stats.peakInFlight,
    r.sync.exitCode ?? "signal"
  ])

const limitSection = (l: Results.LimitSummary, title: string) =>
  [
    `## ${title}: ${l.spec.plan} limits (${l.spec.limits.overall} credits, ${l.spec.limits.ticketList} ticket-list and ${l.spec.limits.contactList} contact-list calls per ${l.windowMs / 1000} s), ${l.spec.latencyMs} ms per response, ${l.tickets} tickets and ${l.contacts} contacts`,
    "",
    table(
      [
        "run",
        "sync s",
        "steady pace s",
        "binding limit",
        "ratio",
        "credits",
        "ticket calls",
        "contact calls",
        "429s",
        "peak in flight",
        "exit"
      ],
      limitRows(l.runs)
    ),
    "",
    `Median ratio ${l.ratio.toFixed(2)}.`
  ].join("\n")

const cpuLabels: Readonly<Record<string, string>> = {
  fetch: "fetch (HTTP client, sockets, paging, rate budget)",
  json: "JSON parsing (Json.parse, lossless-json, JSON.parse)",
  schema: "schema decoding (effect Schema, freshdesk Records)",
  parquet: "Parquet writing: NDJSON staging in JS",
  parquetNative: "Parquet writing: DuckDB COPY (native threads, main thread waiting)",
  verification: "DuckDB verification: JS side",
  verificationNative: "DuckDB verification: queries (native, main thread waiting)",
  duckdbSession: "DuckDB sessions opened (connect, SET TimeZone)",
  commit: "commit bookkeeping (rename, fsync, snapshots, views, locks)",
  duckdb: "DuckDB binding, JS side (sessions, statements, result reading)",
  runtime: "Effect runtime (fibers, streams, scheduling)",
  gc: "garbage collection",
  startup: "start-up (module loading, CLI parsing)",
  other: "other",
  waiting: "waiting: simulator, network, disk"
}

const shareRows = (parts: Readonly<Record<string, number>>) => {
  const total = Object.values(parts).reduce((a, b) => a + b, 0)
  return Object.entries(parts)
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => [cpuLabels[name] ?? name, s(ms), pct(ms, total)])
}

const profileSection = (p: ProfileCase.ProfileOutcome) =>
  [
    "## Where the time goes: the CPU-bound sync under `--cpu-prof`",
    "",
    `One more sync of the CPU case (${Stats.seconds(p.sync.elapsedMillis)} under the profiler). Main-thread CPU by category (each sample walked from its leaf to the first frame of a deciding module):`,
    "",
    table(["category", "CPU s", "share of main-thread CPU"], shareRows(p.cpu)),
    "",
    "The whole span, with the main thread's idle time split by what DuckDB was running meanwhile:",
    "",
    table(["part", "s", "share of wall time"], shareRows(p.wall)),
    "",
    `DuckDB statements: ${p.duckdb.statements}; wall time with a COPY running ${Stats.seconds(p.duckdb.copy)}, a verifying read ${Stats.seconds(p.duckdb.verify)}, a session being opened ${Stats.seconds(p.duckdb.other)}.`,
    `Memory at its peaks (process.memoryUsage, 50 ms samples): RSS ${Stats.megabytes(p.memory.rss)} (DuckDB running: ${p.memory.duringRssPeak}), V8 heap used ${Stats.megabytes(p.memory.heapUsed)} of ${Stats.megabytes(p.memory.heapTotal)}, external ${Stats.megabytes(p.memory.external)}.`,
    "",
    "Heaviest leaf frames:",
    "",
    table(
      ["s", "category", "frame (module#function)"],
      p.topFrames.slice(0, 15).map((f) => [s(f.millis), f.category, `\`${f.source}\``])
    )
  ].join("\n")

/**
 * The Markdown document of a run's results.
 *
 * @since 0.1.0
 * @category rendering
 */
export const markdown = (r: Results.Results): string =>
  [
    `# Bench results, ${r.date}`,
    "",
    "Each figure is a ratio measured side by side in this one run on the Freshdesk simulator: medians of alternating runs. These are benchmarks, not timed tests.",
    "",
    goalTable(r),
    "",
    machine(r),
    "",
    settings(r),
    ...(r.cpu === null ? [] : ["", cpuSection(r.cpu, r.rounds)]),
    ...(r.memory === null ? [] : ["", memorySection(r.memory)]),
    ...(r.rate === null ? [] : ["", limitSection(r.rate, "Rate-limit bound")]),
    ...(r.latency === null ? [] : ["", limitSection(r.latency, "Latency bound")]),
    ...(r.profile === null ? [] : ["", profileSection(r.profile)]),
    ""
  ].join("\n")
