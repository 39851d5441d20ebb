/**
 * What Linux says about a running child: its peak resident memory (`VmHWM` in
 * `/proc/<pid>/status`, kept by the kernel, so sampling only has to catch it before the
 * process exits) and the CPU time it has used (`utime` and `stime` in `/proc/<pid>/stat`).
 *
 * @since 0.1.0
 */
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"

/**
 * One reading of a process.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reading {
  /** peak resident set so far, in bytes */
  readonly peakRssBytes: number
  /** CPU time in user mode so far, in milliseconds */
  readonly userMillis: number
  /** CPU time in the kernel so far, in milliseconds */
  readonly systemMillis: number
}

let ticksPerSecond: number | undefined

const clockTicks = (): number => {
  if (ticksPerSecond !== undefined) return ticksPerSecond
  try {
    ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100
  } catch {
    ticksPerSecond = 100
  }
  return ticksPerSecond
}

const kbField = (status: string, name: string): number => {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)
  return match === null ? 0 : Number(match[1]) * 1024
}

/**
 * Parses the text of `/proc/<pid>/stat` into user and system milliseconds.
 *
 * @since 0.1.0
 * @category parsing
 */
export const cpuOfStat = (stat: string, ticks = clockTicks()): { user: number; system: number } => {
  // the command name may hold spaces and parentheses: fields start after the last ")"
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  const toMillis = (field: string | undefined) => (Number(field ?? 0) * 1000) / ticks
  return { user: toMillis(fields[11]), system: toMillis(fields[12]) }
}

/**
 * Reads a process now, or undefined once it is gone.
 *
 * @since 0.1.0
 * @category reading
 */
export const read = (pid: number): Reading | undefined => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8")
    const cpu = cpuOfStat(readFileSync(`/proc/${pid}/stat`, "utf8"))
    return { peakRssBytes: kbField(status, "VmHWM"), userMillis: cpu.user, systemMillis: cpu.system }
  } catch {
    return undefined
  }
}

/**
 * Samples a process until stopped and keeps the highest figures read (all of them only
 * grow; a process that has exited but is not yet reaped shows no memory at all).
 *
 * @since 0.1.0
 * @category models
 */
export interface Sampler {
  /** the highest figures read (zeros if none could be) */
  readonly stop: () => Reading
}

const none: Reading = { peakRssBytes: 0, userMillis: 0, systemMillis: 0 }

/**
 * Starts sampling `pid` every `intervalMillis` (default 50).
 *
 * @since 0.1.0
 * @category constructors
 */
export const sample = (pid: number, intervalMillis = 50): Sampler => {
  let last = none
  const take = () => {
    const now = read(pid) ?? none
    last = {
      peakRssBytes: Math.max(last.peakRssBytes, now.peakRssBytes),
      userMillis: Math.max(last.userMillis, now.userMillis),
      systemMillis: Math.max(last.systemMillis, now.systemMillis)
    }
  }
  take()
  const timer = setInterval(take, intervalMillis)
  return {
    stop: () => {
      clearInterval(timer)
      return last
    }
  }
}
