/**
 * The simulator of a bench case in a child process of its own (`internal/simulatorHost.ts`
 * under tsx), so its CPU is not the sync's. The parent talks to it over IPC: request
 * statistics, the log of requests served, and a reset of counters, rate-limit windows and
 * log between runs.
 *
 * @since 0.1.0
 */
import { type ChildProcess, fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import type { SimulatorOptions as Options } from "@landed/freshdesk-simulator"
import { BenchError } from "./BenchError.ts"
import type { HostReply, HostRequest, LoggedRequest } from "./internal/hostProtocol.ts"

export type { LoggedRequest }

/**
 * What `Simulator.start` accepts.
 *
 * @since 0.1.0
 * @category models
 */
export type SimulatorOptions = Options.SimulatorOptions

/**
 * The simulator's request counters (its `stats()`).
 *
 * @since 0.1.0
 * @category models
 */
export interface SimulatorStats {
  readonly total: number
  readonly byEndpoint: Readonly<Record<string, number>>
  readonly byStatus: Readonly<Record<string, number>>
  readonly credits: number
  readonly rateLimited: number
  readonly faults: number
  readonly peakInFlight: number
}

/**
 * A running simulator process.
 *
 * @since 0.1.0
 * @category models
 */
export interface SimulatorProcess {
  readonly url: string
  readonly apiKey: string
  readonly pid: number
  readonly stats: () => Promise<SimulatorStats>
  /** zeroes the counters, closes every rate-limit window and empties the request log */
  readonly reset: () => Promise<void>
  /** the requests served since the last reset (or take), in arrival order */
  readonly takeLog: () => Promise<ReadonlyArray<LoggedRequest>>
  readonly stop: () => Promise<void>
}

const hostPath = fileURLToPath(new URL("./internal/simulatorHost.ts", import.meta.url))
const benchDir = fileURLToPath(new URL("..", import.meta.url))

const connect = (child: ChildProcess) => {
  let next = 1
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  child.on("message", (reply: HostReply) => {
    const pending = waiting.get(reply.id)
    waiting.delete(reply.id)
    if (reply.error !== undefined) pending?.reject(new BenchError("SimulatorFailed", reply.error))
    else pending?.resolve(reply.value)
  })
  return (op: HostRequest["op"]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = next++
      waiting.set(id, { resolve, reject })
      child.send({ id, op } satisfies HostRequest)
    })
}

const announced = (child: ChildProcess) =>
  new Promise<{ url: string; apiKey: string }>((resolve, reject) => {
    child.once("message", (reply: HostReply) => resolve(reply.value as { url: string; apiKey: string }))
    child.once("exit", (code) =>
      reject(new BenchError("SimulatorFailed", `the simulator process exited with code ${code} before listening`))
    )
  })

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once("exit", () => resolve())
  })

/**
 * Starts a simulator process with `options` and waits until it listens.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = async (options: SimulatorOptions): Promise<SimulatorProcess> => {
  const child = fork(hostPath, [JSON.stringify(options)], {
    cwd: benchDir,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"]
  })
  const { url, apiKey } = await announced(child)
  const call = connect(child)
  return {
    url,
    apiKey,
    pid: child.pid!,
    stats: async () => (await call("stats")) as SimulatorStats,
    reset: async () => void (await call("reset")),
    takeLog: async () => (await call("log")) as ReadonlyArray<LoggedRequest>,
    stop: async () => {
      void call("stop").catch(() => undefined)
      await exited(child)
    }
  }
}

/**
 * Runs `use` with a simulator process, stopping it afterwards whatever happens.
 *
 * @since 0.1.0
 * @category constructors
 */
export const using = async <A>(options: SimulatorOptions, use: (sim: SimulatorProcess) => Promise<A>): Promise<A> => {
  const sim = await start(options)
  try {
    return await use(sim)
  } finally {
    await sim.stop()
  }
}
