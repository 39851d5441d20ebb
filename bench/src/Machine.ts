/**
 * What the results were measured on: CPU model, cores, memory, load, Node.js version and
 * the git commit, with the files that differed from it (others' work in progress is part
 * of what a run measures).
 *
 * @since 0.1.0
 */
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { cpus, loadavg, totalmem } from "node:os"

/**
 * The machine and code a run measured.
 *
 * @since 0.1.0
 * @category models
 */
export interface Machine {
  readonly cpuModel: string
  readonly cores: number
  readonly memoryBytes: number
  readonly node: string
  readonly platform: string
  readonly commit: string
  /** paths that differed from the commit when the run started */
  readonly uncommitted: ReadonlyArray<string>
  /** one-minute load average when the run started */
  readonly loadAtStart: number
}

const cpuModel = (): string => {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))
    if (match?.[1] !== undefined) return match[1].trim()
  } catch {
    // not Linux: fall back to what Node reports
  }
  return cpus()[0]?.model ?? "unknown"
}

const git = (cwd: string, args: ReadonlyArray<string>): string => {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8" }).trimEnd()
  } catch {
    return ""
  }
}

/**
 * Describes this machine and the checkout at `repoRoot`.
 *
 * @since 0.1.0
 * @category reading
 */
export const describe = (repoRoot: string): Machine => ({
  cpuModel: cpuModel(),
  cores: cpus().length,
  memoryBytes: totalmem(),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  commit: git(repoRoot, ["rev-parse", "HEAD"]) || "unknown",
  uncommitted: git(repoRoot, ["status", "--porcelain", "--untracked-files=no"])
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.slice(3)),
  loadAtStart: loadavg()[0] ?? 0
})
