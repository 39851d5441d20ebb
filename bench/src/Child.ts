/**
 * Runs one measured child process: wall time from spawn to exit, its stdout, its stderr
 * into a file, and its peak memory and CPU time sampled from `/proc` while it runs.
 *
 * @since 0.1.0
 */
import { spawn } from "node:child_process"
import { closeSync, openSync } from "node:fs"
import { performance } from "node:perf_hooks"
import * as Proc from "./Proc.ts"

/**
 * How a child ran.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChildRun {
  readonly exitCode: number | null
  readonly signal: string | null
  /** from spawn to exit, in milliseconds */
  readonly elapsedMillis: number
  readonly stdout: string
  /** the last `/proc` reading before it exited */
  readonly reading: Proc.Reading
}

/**
 * Where and how to run a child.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly cwd?: string
  readonly env?: NodeJS.ProcessEnv
  /** a file that receives the child's stderr (default: discarded) */
  readonly stderrFile?: string
}

/**
 * Runs `command args` to its end and measures it.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (command: string, args: ReadonlyArray<string>, options: Options = {}): Promise<ChildRun> =>
  new Promise((resolve, reject) => {
    const stderr = options.stderrFile === undefined ? "ignore" : openSync(options.stderrFile, "w")
    const started = performance.now()
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", stderr]
    })
    const sampler = Proc.sample(child.pid ?? -1)
    const chunks: Array<Buffer> = []
    let ended: Omit<ChildRun, "stdout"> | undefined
    child.stdout?.on("data", (chunk: Buffer) => chunks.push(chunk))
    child.on("error", reject)
    child.on("exit", (exitCode, signal) => {
      ended = { exitCode, signal, elapsedMillis: performance.now() - started, reading: sampler.stop() }
    })
    child.on("close", () => {
      if (typeof stderr === "number") closeSync(stderr)
      resolve({ ...ended!, stdout: Buffer.concat(chunks).toString("utf8") })
    })
  })
