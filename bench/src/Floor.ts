/**
 * The floor of the CPU case: the floor client (`FloorClient.ts`, types stripped into a
 * plain module) run as a child process on the requests one sync made, and measured the
 * same way as the sync: wall time from spawn to exit, peak memory, CPU time.
 *
 * @since 0.1.0
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { BenchError } from "./BenchError.ts"
import * as Child from "./Child.ts"
import type { FloorPlan, FloorResult } from "./FloorClient.ts"
import { toModule } from "./internal/transpile.ts"

/**
 * What one floor run did and cost.
 *
 * @since 0.1.0
 * @category models
 */
export interface FloorRun extends FloorResult {
  /** wall time of the process, spawn to exit */
  readonly elapsedMillis: number
  readonly peakRssBytes: number
  readonly cpuMillis: number
}

/**
 * Writes the floor client as a plain module into `cacheDir` and returns its path.
 *
 * @since 0.1.0
 * @category constructors
 */
export const prepare = (cacheDir: string): string =>
  toModule(fileURLToPath(new URL("./FloorClient.ts", import.meta.url)), cacheDir)

/**
 * Runs the floor client on a plan and measures it.
 *
 * @since 0.1.0
 * @category running
 */
export const run = async (script: string, plan: FloorPlan, workDir: string, label: string): Promise<FloorRun> => {
  const planFile = join(workDir, `${label}.floor-plan.json`)
  const stderrFile = join(workDir, `${label}.floor.log`)
  writeFileSync(planFile, JSON.stringify(plan))
  const child = await Child.run(process.execPath, [script, planFile], { stderrFile })
  if (child.exitCode !== 0) {
    throw new BenchError("FloorFailed", `the floor client exited with ${child.exitCode}; see ${stderrFile}`)
  }
  const result = JSON.parse(child.stdout.trim()) as FloorResult
  return {
    ...result,
    elapsedMillis: child.elapsedMillis,
    peakRssBytes: child.reading.peakRssBytes,
    cpuMillis: child.reading.userMillis + child.reading.systemMillis
  }
}
