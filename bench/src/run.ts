/**
 * `pnpm bench`: builds the CLI bundle, runs the selected cases against simulators in
 * their own processes, and writes `bench/results/<date>.md` and `.json` (`<date>-<cases>`
 * for a run of some cases). A look with scaled data or fewer than three runs is written
 * into the run's folder under `.cache/runs/` instead: it is not a result.
 *
 * @since 0.1.0
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { loadavg } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { BenchError } from "./BenchError.ts"
import * as CpuCase from "./CpuCase.ts"
import * as Floor from "./Floor.ts"
import * as LimitCase from "./LimitCase.ts"
import * as Machine from "./Machine.ts"
import * as ProfileCase from "./ProfileCase.ts"
import * as Report from "./Report.ts"
import * as Results from "./Results.ts"
import * as Settings from "./Settings.ts"
import * as SimulatorProcess from "./SimulatorProcess.ts"
import * as Workspace from "./Workspace.ts"

const began = Date.now()

const log = (line: string) => {
  const elapsed = Math.round((Date.now() - began) / 1000)
  const stamp = `${String(Math.floor(elapsed / 60)).padStart(2, "0")}:${String(elapsed % 60).padStart(2, "0")}`
  console.log(`[${stamp}] ${line}`)
}

const BUILD_ATTEMPTS = 3

const pause = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

// other engineers edit the pipeline while the bench runs: a build caught mid-edit is retried
const build = async (ws: Workspace.Workspace, attempt = 1): Promise<void> => {
  log("building the CLI bundle (pnpm --filter @landed/pipeline run build)")
  try {
    execFileSync("pnpm", ["--filter", "@landed/pipeline", "run", "build"], { cwd: ws.repoRoot, encoding: "utf8" })
    Workspace.copyBundle(ws)
  } catch (error) {
    const output = String((error as { stdout?: unknown }).stdout ?? error)
    if (attempt >= BUILD_ATTEMPTS) {
      throw new BenchError("BuildFailed", `the pipeline bundle did not build:\n${output.slice(-2000)}`)
    }
    log(`the build failed (attempt ${attempt} of ${BUILD_ATTEMPTS}); retrying in 10 s`)
    await pause(10_000)
    await build(ws, attempt + 1)
  }
}

interface LargeOutcome {
  readonly rounds: ReadonlyArray<CpuCase.Round>
  readonly profile: ProfileCase.ProfileOutcome | null
}

const smallSimulator = <A>(
  settings: Settings.Settings,
  use: (sim: SimulatorProcess.SimulatorProcess | null) => Promise<A>
): Promise<A> =>
  settings.cases.includes("memory")
    ? SimulatorProcess.using(
        CpuCase.simulatorOptions(settings.seed, Settings.scaled(settings, Settings.ticketCounts.small)),
        use
      )
    : use(null)

const largeCases = (settings: Settings.Settings, ws: Workspace.Workspace): Promise<LargeOutcome> => {
  const tickets = Settings.scaled(settings, Settings.ticketCounts.large)
  const measured = settings.cases.includes("cpu") || settings.cases.includes("memory")
  return SimulatorProcess.using(CpuCase.simulatorOptions(settings.seed, tickets), (large) =>
    smallSimulator(settings, async (small) => {
      const floorScript = settings.cases.includes("cpu") ? Floor.prepare(ws.cacheDir) : null
      if (measured) log(`CPU and memory rounds: ${tickets} tickets${small === null ? "" : ", small sync alongside"}`)
      const rounds = measured
        ? await CpuCase.rounds(
            large,
            { runs: settings.runs, bundle: ws.bundle, runDir: ws.runDir, floorScript, small },
            log
          )
        : []
      if (!settings.cases.includes("profile")) return { rounds, profile: null }
      log("profiling one more CPU-case sync (--cpu-prof)")
      const srcHooks = fileURLToPath(new URL("./internal/profileHooks.ts", import.meta.url))
      const profile = await ProfileCase.run(large, {
        bundle: ws.bundle,
        runDir: ws.runDir,
        cacheDir: ws.cacheDir,
        srcHooks
      })
      return { rounds, profile }
    })
  )
}

const limitCase = async (settings: Settings.Settings, ws: Workspace.Workspace, spec: Settings.LimitSpec) => {
  if (!settings.cases.includes(spec.name)) return null
  const counts = {
    tickets: Settings.scaled(settings, spec.tickets),
    contacts: Settings.scaled(settings, spec.contacts)
  }
  log(
    `${spec.name} case: ${spec.plan} plan, ${spec.latencyMs} ms latency, ${counts.tickets} tickets, ${counts.contacts} contacts`
  )
  const options = LimitCase.simulatorOptions(spec, settings.seed, settings.windowMs, counts)
  const runs = await SimulatorProcess.using(options, (sim) =>
    LimitCase.run(
      sim,
      spec,
      { runs: settings.runs, bundle: ws.bundle, runDir: ws.runDir, windowMs: settings.windowMs },
      log
    )
  )
  return Results.limitOf(spec, settings.windowMs, counts, runs)
}

const fileName = (settings: Settings.Settings, date: string) => {
  const all = settings.cases.length === Settings.caseNames.length
  const parts = [date, ...(all ? [] : [settings.cases.join("+")]), ...(settings.scale === 1 ? [] : ["scaled"])]
  return parts.join("-")
}

// scaled data or fewer than three runs is a look while developing, not a result
const isResult = (settings: Settings.Settings) => settings.scale === 1 && settings.runs >= 3

const write = (ws: Workspace.Workspace, settings: Settings.Settings, results: Results.Results) => {
  const dir = isResult(settings) ? ws.resultsDir : ws.runDir
  mkdirSync(dir, { recursive: true })
  const base = join(dir, fileName(settings, results.date))
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`)
  writeFileSync(`${base}.md`, Report.markdown(results))
  return base
}

const main = async () => {
  const settings = Settings.fromArgs(process.argv.slice(2))
  const startedAt = new Date()
  const ws = Workspace.make(startedAt)
  const machine = Machine.describe(ws.repoRoot)
  await build(ws)
  const large = await largeCases(settings, ws)
  const rate = await limitCase(settings, ws, Settings.rateSpec)
  const latency = await limitCase(settings, ws, Settings.latencySpec)
  const tickets = Settings.scaled(settings, Settings.ticketCounts.large)
  const small = Settings.scaled(settings, Settings.ticketCounts.small)
  const cpu = settings.cases.includes("cpu") ? Results.cpuOf(tickets, large.rounds) : null
  const memory = settings.cases.includes("memory") ? Results.memoryOf(tickets, small, large.rounds) : null
  const parts = { cpu, memory, rate, latency }
  const results: Results.Results = {
    date: startedAt.toISOString().slice(0, 10),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    loadAtEnd: loadavg()[0] ?? 0,
    settings,
    table: Results.tableOf(parts),
    ...parts,
    profile: large.profile,
    rounds: large.rounds
  }
  const base = write(ws, settings, results)
  console.log(`\n${Report.markdown(results).split("\n## Machine")[0]}`)
  log(`results written to ${base}.md and .json; logs and profiles in ${ws.runDir}`)
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchError ? `bench: ${error.message}` : error)
  process.exit(1)
})
