/**
 * The bench's settings: which cases run, how many alternating runs, the rate-limit
 * window, the data sizes, read from the command line (`pnpm bench --case cpu`).
 *
 * | flag | default | meaning |
 * |---|---|---|
 * | `--case a,b` | all | `cpu`, `memory`, `rate`, `latency`, `profile` |
 * | `--runs N` | 3 | runs of each kind, alternating |
 * | `--window-ms N` | 60000 | the rate-limit window of the `rate` and `latency` cases, limits unchanged per window |
 * | `--scale X` | 1 | multiplies every data size (a quick look while developing; not a result) |
 * | `--seed N` | 7 | the simulator's seed |
 *
 * @since 0.1.0
 */
import { parseArgs } from "node:util"
import { BenchError } from "./BenchError.ts"

/**
 * The cases the bench knows.
 *
 * @since 0.1.0
 * @category models
 */
export const caseNames = ["cpu", "memory", "profile", "rate", "latency"] as const

/**
 * One of {@link caseNames}.
 *
 * @since 0.1.0
 * @category models
 */
export type CaseName = (typeof caseNames)[number]

/**
 * The settings of a bench run.
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  readonly cases: ReadonlyArray<CaseName>
  readonly runs: number
  readonly windowMs: number
  readonly scale: number
  readonly seed: number
}

/**
 * A rate-limited case: the plan, its limits per window, the data and the latency.
 *
 * @since 0.1.0
 * @category models
 */
export interface LimitSpec {
  readonly name: "rate" | "latency"
  readonly plan: "pro" | "enterprise"
  readonly limits: { readonly overall: number; readonly ticketList: number; readonly contactList: number }
  readonly tickets: number
  readonly contacts: number
  readonly latencyMs: number
}

/**
 * Tickets of the CPU case and the large memory run, and of the small memory run.
 *
 * @since 0.1.0
 * @category constants
 */
export const ticketCounts = { large: 60_000, small: 15_000 } as const

/**
 * The rate-limit case: Pro limits, 150 ticket pages and 120 contact pages. The counts
 * were measured on the simulator (seed 7): 14,700 tickets read in 150 ticket-list calls
 * (three passes, keyset restarts included), 11,600 contacts in 120 contact-list calls.
 *
 * @since 0.1.0
 * @category constants
 */
export const rateSpec: LimitSpec = {
  name: "rate",
  plan: "pro",
  limits: { overall: 400, ticketList: 100, contactList: 100 },
  tickets: 14_700,
  contacts: 11_600,
  latencyMs: 0
}

/**
 * The latency case: 500 ms per response, Enterprise limits, 300 ticket pages (29,500
 * tickets read one page after another) and 100 contact pages (9,600 contacts).
 *
 * @since 0.1.0
 * @category constants
 */
export const latencySpec: LimitSpec = {
  name: "latency",
  plan: "enterprise",
  limits: { overall: 700, ticketList: 200, contactList: 200 },
  tickets: 29_500,
  contacts: 9_600,
  latencyMs: 500
}

const invalid = (message: string) => new BenchError("InvalidArguments", message)

const positive = (flag: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback
  const n = Number(text)
  if (Number.isFinite(n) && n > 0) return n
  throw invalid(`\`--${flag}\` is ${JSON.stringify(text)}; expected a positive number`)
}

const casesOf = (texts: ReadonlyArray<string>): ReadonlyArray<CaseName> => {
  const names = texts.flatMap((t) => t.split(",")).map((t) => t.trim())
  if (names.length === 0 || names.includes("all")) return caseNames
  const unknown = names.filter((n) => !(caseNames as ReadonlyArray<string>).includes(n))
  if (unknown.length > 0) throw invalid(`\`--case\` ${unknown.join(", ")}: expected ${caseNames.join(", ")} or all`)
  return caseNames.filter((n) => names.includes(n))
}

/**
 * Reads the settings from command-line arguments.
 *
 * @since 0.1.0
 * @category parsing
 */
export const fromArgs = (args: ReadonlyArray<string>): Settings => {
  const { values } = parseArgs({
    args: [...args],
    options: {
      case: { type: "string", multiple: true },
      runs: { type: "string" },
      "window-ms": { type: "string" },
      scale: { type: "string" },
      seed: { type: "string" }
    },
    strict: true
  })
  return {
    cases: casesOf(values.case ?? []),
    runs: Math.round(positive("runs", values.runs, 3)),
    windowMs: Math.round(positive("window-ms", values["window-ms"], 60_000)),
    scale: positive("scale", values.scale, 1),
    seed: Math.round(positive("seed", values.seed, 7))
  }
}

/**
 * A data size under the run's scale (at least one record).
 *
 * @since 0.1.0
 * @category computing
 */
export const scaled = (settings: Settings, count: number): number => Math.max(1, Math.round(count * settings.scale))
