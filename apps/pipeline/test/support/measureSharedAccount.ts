// measures two CLI processes sharing one simulated account, outside the test suite:
//   npx tsx test/support/measureSharedAccount.ts --window-ms 60000 --plan pro \
//     --tickets 25000 --contacts 10000 --companies 30000 --streams tickets/contacts,companies \
//     [--cli-plan pro] [--latency 150] [--seed 7] [--cli .tmp/prebuilt.js]
// prints one JSON line: 429s per window (one window is one minute of production time),
// the credits used against what the windows allowed, and each process's exit code
import { parseArgs } from "node:util"
import { Simulator, SimulatorOptions } from "@landed/freshdesk-simulator"
import * as Cli from "./Cli.ts"
import * as SharedAccount from "./SharedAccount.ts"

const { values } = parseArgs({
  options: {
    "window-ms": { type: "string", default: "60000" },
    plan: { type: "string", default: "pro" },
    "cli-plan": { type: "string" },
    tickets: { type: "string", default: "30000" },
    contacts: { type: "string", default: "20000" },
    companies: { type: "string", default: "20" },
    latency: { type: "string", default: "0" },
    seed: { type: "string", default: "7" },
    streams: { type: "string", default: "tickets/contacts" },
    cli: { type: "string" }
  }
})

const windowMs = Number(values["window-ms"])
const planText = values.plan ?? "pro"
const plan = planText.startsWith("{") ? JSON.parse(planText) : planText
const overall: number =
  typeof plan === "string" ? SimulatorOptions.plans[plan as SimulatorOptions.PlanName].overall : plan.overall
const [first, second] = (values.streams ?? "").split("/").map((s) => s.split(","))

const cli = values.cli ?? Cli.build("measure")
const sim = await Simulator.start({
  seed: Number(values.seed),
  windowMs,
  plan,
  latency: Number(values.latency),
  counts: { tickets: Number(values.tickets), contacts: Number(values.contacts), companies: Number(values.companies) }
})
const out = await Cli.tempDir()
const timeline: Array<SharedAccount.Sample> = []
try {
  const outcome = await SharedAccount.runPair(cli, sim, {
    streams: [first ?? ["tickets"], second ?? ["contacts"]],
    out,
    windowMs,
    env: values["cli-plan"] === undefined ? {} : { PIPELINE_PLAN: values["cli-plan"] },
    timeoutMs: 60 * 60_000,
    timeline
  })
  const windows = outcome.busyMillis / windowMs
  const allowed = SharedAccount.windowsIn(outcome.busyMillis, windowMs) * overall
  console.log(
    JSON.stringify({
      windowMs,
      plan,
      exitCodes: outcome.results.map((r) => r.code),
      busySeconds: outcome.busyMillis / 1000,
      windows: Number(windows.toFixed(2)),
      requests: outcome.stats.total,
      rateLimited: outcome.stats.rateLimited,
      rateLimitedPerWindow: Number((outcome.stats.rateLimited / windows).toFixed(2)),
      credits: outcome.stats.credits,
      creditsPerWindow: Number((outcome.stats.credits / windows).toFixed(1)),
      shareOfLimit: Number((outcome.stats.credits / (windows * overall)).toFixed(3)),
      shareOfWholeWindows: Number((outcome.stats.credits / allowed).toFixed(3))
    })
  )
  for (const r of outcome.results) if (r.code !== 0) console.error(r.stderr.split("\n").slice(-5).join("\n"))
  if (process.env.MEASURE_VERBOSE) {
    for (const r of outcome.results) console.error(r.stdout.trim().split("\n").at(-1))
    // credits and 429s per half window, to see how the pair shares each window
    const step = windowMs / 2
    let previous: SharedAccount.Sample["stats"] | undefined
    for (let t = step; t <= outcome.busyMillis + step; t += step) {
      const now = timeline.filter((s) => s.at < t).at(-1)?.stats
      if (now === undefined) continue
      const d = (k: "credits" | "rateLimited") => now[k] - (previous?.[k] ?? 0)
      const e = (k: string) => (now.byEndpoint[k] ?? 0) - (previous?.byEndpoint[k] ?? 0)
      const calls = `tickets ${e("tickets")} contacts ${e("contacts")} companies ${e("companies")}`
      console.error(`${(t / 1000).toFixed(1)}s credits ${d("credits")} 429 ${d("rateLimited")} ${calls}`)
      previous = now
    }
  }
} finally {
  await sim.stop()
  await Cli.removeDir(out)
  if (values.cli === undefined) await Cli.removeBuild(cli)
}
