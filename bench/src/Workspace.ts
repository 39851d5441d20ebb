/**
 * Where a bench run keeps its things: the repository root, the bench's `.cache` (the
 * copied CLI bundle, the stripped child modules) and a folder per run for logs and
 * profiles, kept for diagnosis and never committed.
 *
 * @since 0.1.0
 */
import { copyFileSync, mkdirSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

/**
 * The paths of a bench run.
 *
 * @since 0.1.0
 * @category models
 */
export interface Workspace {
  readonly repoRoot: string
  readonly benchDir: string
  readonly cacheDir: string
  /** logs, request plans and profiles of this run */
  readonly runDir: string
  readonly resultsDir: string
  /** the CLI bundle the runs execute (a copy, so a rebuild elsewhere cannot change it mid-run) */
  readonly bundle: string
}

const benchDir = fileURLToPath(new URL("..", import.meta.url))

/**
 * Creates the folders of a run started at `startedAt`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (startedAt: Date): Workspace => {
  const cacheDir = join(benchDir, ".cache")
  const runDir = join(cacheDir, "runs", startedAt.toISOString().replace(/[:.]/g, "-"))
  mkdirSync(runDir, { recursive: true })
  return {
    repoRoot: join(benchDir, ".."),
    benchDir,
    cacheDir,
    runDir,
    resultsDir: join(benchDir, "results"),
    bundle: join(cacheDir, "cli.js")
  }
}

/**
 * Copies the built CLI bundle into the workspace.
 *
 * @since 0.1.0
 * @category constructors
 */
export const copyBundle = (workspace: Workspace): void =>
  copyFileSync(join(workspace.repoRoot, "apps", "pipeline", "dist", "cli.js"), workspace.bundle)
