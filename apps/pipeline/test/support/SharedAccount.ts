// two CLI processes on one simulated account, started together as a scheduler starts two
// tasks: what the account's rate limit saw of them (requests, credits, 429s) and when
import type { Simulator } from "@landed/freshdesk-simulator"
import * as Cli from "./Cli.ts"

export interface PairOptions {
  /** the streams of each process, e.g. [["tickets"], ["contacts"]] */
  readonly streams: readonly [ReadonlyArray<string>, ReadonlyArray<string>]
  readonly out: string
  readonly windowMs: number
  /** extra environment of both processes, e.g. PIPELINE_PLAN */
  readonly env?: Record<string, string>
  readonly timeoutMs?: number
  /** filled with the simulator's counters each time they change, for diagnosis */
  readonly timeline?: Array<Sample>
}

export interface Sample {
  readonly at: number
  readonly stats: Simulator.SimulatorStats
}

export interface PairOutcome {
  readonly results: readonly [Cli.Result, Cli.Result]
  readonly stats: Simulator.SimulatorStats
  /** wall time from the account's first request to its last answer */
  readonly busyMillis: number
}

// the simulator counts on arrival; sampling its stats often enough bounds the busy span
// to within one sampling period at each end
const watchBusy = (sim: Simulator.SimulatorHandle, timeline?: Array<Sample>) => {
  let first: number | undefined
  let last = 0
  let seen = 0
  const sample = () => {
    const stats = sim.stats()
    if (stats.total > seen) {
      first ??= Date.now()
      last = Date.now()
      seen = stats.total
      timeline?.push({ at: last - first, stats })
    }
  }
  const timer = setInterval(sample, 25)
  return {
    stop: () => {
      clearInterval(timer)
      sample()
      return first === undefined ? 0 : last - first
    }
  }
}

/** runs both processes at once on a fresh account window and reports what the API saw */
export const runPair = async (
  cli: string,
  sim: Simulator.SimulatorHandle,
  options: PairOptions
): Promise<PairOutcome> => {
  sim.resetRateLimits()
  sim.resetStats()
  const env = (streams: ReadonlyArray<string>) => ({
    FRESHDESK_API_KEY: sim.apiKey,
    FRESHDESK_BASE_URL: sim.url,
    PIPELINE_OUT: options.out,
    PIPELINE_LOG_FORMAT: "json",
    PIPELINE_RATE_WINDOW_MS: String(options.windowMs),
    PIPELINE_STREAMS: streams.join(","),
    ...options.env
  })
  const busy = watchBusy(sim, options.timeline)
  const [a, b] = options.streams.map((streams) => Cli.start(cli, ["sync"], env(streams), options.timeoutMs))
  const results = [await a!.done, await b!.done] as const
  const busyMillis = busy.stop()
  return { results, stats: sim.stats(), busyMillis }
}

/** the limits' windows that fit in the busy span, the first one included */
export const windowsIn = (busyMillis: number, windowMs: number) => Math.max(1, Math.ceil(busyMillis / windowMs))
