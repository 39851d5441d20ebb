/**
 * The results of a bench run: the goal table, every raw figure, and the summaries of each
 * case, as one JSON document (`bench/results/<date>.json`); `Report.ts` renders it.
 *
 * @since 0.1.0
 */
import type * as CpuCase from "./CpuCase.ts"
import type * as LimitCase from "./LimitCase.ts"
import type * as Machine from "./Machine.ts"
import type * as ProfileCase from "./ProfileCase.ts"
import type * as Settings from "./Settings.ts"
import * as Stats from "./Stats.ts"

/**
 * A line of the goal table.
 *
 * @since 0.1.0
 * @category models
 */
export interface Row {
  readonly case: string
  readonly measured: string
  readonly baseline: string
  readonly ratio: number
  readonly goal: string
  readonly met: boolean
  /** the command that measures this line alone */
  readonly command: string
}

/**
 * The CPU case's summary.
 *
 * @since 0.1.0
 * @category models
 */
export interface CpuSummary {
  readonly tickets: number
  readonly syncMillis: ReadonlyArray<number>
  readonly floorMillis: ReadonlyArray<number>
  readonly syncCpuMillis: ReadonlyArray<number>
  readonly floorCpuMillis: ReadonlyArray<number>
  /** median sync over median floor */
  readonly ratio: number
  /** sync over floor within each round */
  readonly roundRatios: ReadonlyArray<number>
}

/**
 * The memory case's summary.
 *
 * @since 0.1.0
 * @category models
 */
export interface MemorySummary {
  readonly largeTickets: number
  readonly smallTickets: number
  readonly largePeakBytes: ReadonlyArray<number>
  readonly smallPeakBytes: ReadonlyArray<number>
  readonly ratio: number
}

/**
 * A limited case's summary.
 *
 * @since 0.1.0
 * @category models
 */
export interface LimitSummary {
  readonly spec: Settings.LimitSpec
  readonly windowMs: number
  /** the data generated (the spec's counts under the run's scale) */
  readonly tickets: number
  readonly contacts: number
  /** median of each run's elapsed over its steady-pace time */
  readonly ratio: number
  readonly elapsedMillis: ReadonlyArray<number>
  readonly paceMillis: ReadonlyArray<number>
  readonly responses429: ReadonlyArray<number>
  readonly runs: ReadonlyArray<LimitCase.LimitRun>
}

/**
 * Everything a bench run measured.
 *
 * @since 0.1.0
 * @category models
 */
export interface Results {
  readonly date: string
  readonly startedAt: string
  readonly finishedAt: string
  readonly machine: Machine.Machine
  readonly loadAtEnd: number
  readonly settings: Settings.Settings
  readonly table: ReadonlyArray<Row>
  readonly cpu: CpuSummary | null
  readonly memory: MemorySummary | null
  readonly rate: LimitSummary | null
  readonly latency: LimitSummary | null
  readonly profile: ProfileCase.ProfileOutcome | null
  readonly rounds: ReadonlyArray<CpuCase.Round>
}

/**
 * Sums up the CPU case from its rounds.
 *
 * @since 0.1.0
 * @category summarising
 */
export const cpuOf = (tickets: number, rounds: ReadonlyArray<CpuCase.Round>): CpuSummary => {
  const paired = rounds.filter((r) => r.floor !== null)
  const syncMillis = paired.map((r) => r.sync.elapsedMillis)
  const floorMillis = paired.map((r) => r.floor!.elapsedMillis)
  return {
    tickets,
    syncMillis,
    floorMillis,
    syncCpuMillis: paired.map((r) => r.sync.cpuMillis),
    floorCpuMillis: paired.map((r) => r.floor!.cpuMillis),
    ratio: Stats.median(syncMillis) / Stats.median(floorMillis),
    roundRatios: paired.map((r) => r.sync.elapsedMillis / r.floor!.elapsedMillis)
  }
}

/**
 * Sums up the memory case from its rounds.
 *
 * @since 0.1.0
 * @category summarising
 */
export const memoryOf = (
  largeTickets: number,
  smallTickets: number,
  rounds: ReadonlyArray<CpuCase.Round>
): MemorySummary => {
  const largePeakBytes = rounds.map((r) => r.sync.peakRssBytes)
  const smallPeakBytes = rounds.filter((r) => r.small !== null).map((r) => r.small!.peakRssBytes)
  return {
    largeTickets,
    smallTickets,
    largePeakBytes,
    smallPeakBytes,
    ratio: Stats.median(largePeakBytes) / Stats.median(smallPeakBytes)
  }
}

/**
 * Sums up a limited case from its runs.
 *
 * @since 0.1.0
 * @category summarising
 */
export const limitOf = (
  spec: Settings.LimitSpec,
  windowMs: number,
  counts: { readonly tickets: number; readonly contacts: number },
  runs: ReadonlyArray<LimitCase.LimitRun>
): LimitSummary => ({
  spec,
  windowMs,
  ...counts,
  ratio: Stats.median(runs.map((r) => r.ratio)),
  elapsedMillis: runs.map((r) => r.sync.elapsedMillis),
  paceMillis: runs.map((r) => r.pace.millis),
  responses429: runs.map((r) => r.stats.rateLimited),
  runs
})

const command = (name: string) => `pnpm bench --case ${name}`

const cpuRow = (s: CpuSummary): Row => ({
  case: `CPU bound (${s.tickets} tickets)`,
  measured: `sync ${Stats.seconds(Stats.median(s.syncMillis))}`,
  baseline: `floor ${Stats.seconds(Stats.median(s.floorMillis))}`,
  ratio: Stats.round(s.ratio),
  goal: "≤ 1.2",
  met: s.ratio <= 1.2,
  command: command("cpu")
})

const memoryRow = (s: MemorySummary): Row => {
  const large = Stats.median(s.largePeakBytes)
  return {
    case: `Memory (${s.largeTickets} vs ${s.smallTickets} tickets)`,
    measured: `peak RSS ${Stats.megabytes(large)}`,
    baseline: `peak RSS ${Stats.megabytes(Stats.median(s.smallPeakBytes))}`,
    ratio: Stats.round(s.ratio),
    goal: "≤ 1.15 and < 300 MB",
    met: s.ratio <= 1.15 && large < 300e6,
    command: command("memory")
  }
}

const limitRow = (s: LimitSummary, title: string): Row => {
  const worst429 = Math.max(...s.responses429)
  const rate = s.spec.name === "rate"
  return {
    case: `${title} (${s.spec.plan}, window ${s.windowMs / 1000} s)`,
    measured: `sync ${Stats.seconds(Stats.median(s.elapsedMillis))}${rate ? `, max ${worst429} × 429` : ""}`,
    baseline: `steady pace ${Stats.seconds(Stats.median(s.paceMillis))}`,
    ratio: Stats.round(s.ratio),
    goal: rate ? "≤ 1.1, ≤ 10 × 429" : "≤ 1.1",
    met: s.ratio <= 1.1 && (!rate || worst429 <= 10),
    command: command(s.spec.name)
  }
}

/**
 * The goal table of the cases measured.
 *
 * @since 0.1.0
 * @category summarising
 */
export const tableOf = (parts: Pick<Results, "cpu" | "memory" | "rate" | "latency">): ReadonlyArray<Row> => [
  ...(parts.cpu === null ? [] : [cpuRow(parts.cpu)]),
  ...(parts.rate === null ? [] : [limitRow(parts.rate, "Rate-limit bound")]),
  ...(parts.latency === null ? [] : [limitRow(parts.latency, "Latency bound, 500 ms")]),
  ...(parts.memory === null ? [] : [memoryRow(parts.memory)])
]
