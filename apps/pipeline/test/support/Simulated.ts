// the CLI against the simulator: the environment a scheduler would pass, a simulator and a
// dataset folder per test, and the account's truth to compare a dataset with
import type { Simulator } from "@landed/freshdesk-simulator"
import { Simulator as Sim } from "@landed/freshdesk-simulator"
import * as Cli from "./Cli.ts"
import * as Data from "./Dataset.ts"

export const streams = [
  "tickets",
  "contacts",
  "companies",
  "agents",
  "groups",
  "roles",
  "products",
  "time_entries"
] as const

export type StreamName = (typeof streams)[number]

/** the environment of a sync against `sim` into `out`: JSON logs, the simulator's window */
export const envFor = (
  sim: Simulator.SimulatorHandle,
  out: string,
  extra: Record<string, string> = {}
): Record<string, string> => ({
  FRESHDESK_API_KEY: sim.apiKey,
  FRESHDESK_BASE_URL: sim.url,
  PIPELINE_OUT: out,
  PIPELINE_LOG_FORMAT: "json",
  PIPELINE_RATE_WINDOW_MS: "1000",
  ...extra
})

/** runs `use` with a started simulator and an empty dataset folder, both removed after */
export const withSimulator = async <A>(
  options: Simulator.SimulatorOptions,
  use: (sim: Simulator.SimulatorHandle, out: string) => Promise<A>
): Promise<A> => {
  const sim = await Sim.start({ windowMs: 1000, ...options })
  const out = await Cli.tempDir()
  try {
    return await use(sim, out)
  } finally {
    await sim.stop()
    await Cli.removeDir(out)
  }
}

// the flags the spec puts on rows of the deleted, spam and blocked listings
const flagColumns: Record<StreamName, ReadonlyArray<string>> = {
  tickets: ["deleted", "spam"],
  contacts: ["deleted", "blocked"],
  companies: [],
  agents: [],
  groups: [],
  roles: [],
  products: [],
  time_entries: []
}

const byId = (a: string, b: string) => {
  const [x, y] = [BigInt(a.split(" ")[0]!), BigInt(b.split(" ")[0]!)]
  return x < y ? -1 : x > y ? 1 : a.localeCompare(b)
}

const keyOf = (id: unknown, flags: ReadonlyArray<unknown>) =>
  [String(id), ...flags.map((f) => String(f === true))].join(" ")

/** every record of the account as `id flag…`, sorted by id */
export const accountKeys = (sim: Simulator.SimulatorHandle, stream: StreamName): ReadonlyArray<string> =>
  sim
    .data(stream)
    .map((r) =>
      keyOf(
        r.id,
        flagColumns[stream].map((f) => r[f])
      )
    )
    .sort(byId)

/** every row of the stream's current view as `id flag…`, sorted by id (duplicates kept) */
export const currentKeys = async (out: string, stream: StreamName): Promise<ReadonlyArray<string>> => {
  const flags = flagColumns[stream].map((f) => `, ${f}`).join("")
  const rows = await Data.query(out, `SELECT id::VARCHAR AS id${flags} FROM ${stream}`)
  return rows
    .map((r) =>
      keyOf(
        r.id,
        flagColumns[stream].map((f) => r[f])
      )
    )
    .sort(byId)
}

/** per stream, the current view's keys and the account's, for one `toEqual` */
export const compareAll = async (out: string, sim: Simulator.SimulatorHandle) => {
  const current: Record<string, ReadonlyArray<string>> = {}
  const account: Record<string, ReadonlyArray<string>> = {}
  for (const stream of streams) {
    current[stream] = await currentKeys(out, stream)
    account[stream] = accountKeys(sim, stream)
  }
  return { current, account }
}
