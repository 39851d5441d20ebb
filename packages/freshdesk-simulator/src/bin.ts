/**
 * The simulator as a process, e.g.
 * `pnpm simulator --tickets 50000 --plan pro --latency 300`. Prints where it
 * listens, the key, the endpoints and the record counts, then serves until
 * SIGINT or SIGTERM.
 *
 * @since 0.1.0
 */
import { parseArgs } from "node:util"
import * as Api from "./Api.ts"
import type { Latency, PlanName, SimulatorOptions } from "./Options.ts"
import { plans, streamNames } from "./Options.ts"
import { type SimulatorHandle, start } from "./Simulator.ts"

const usage = `Usage: pnpm simulator [options]
  --tickets N --contacts N --companies N --agents N --groups N
  --roles N --products N --time-entries N     records per stream
  --plan free|growth|pro|enterprise|unlimited rate-limit preset (default pro)
  --window-ms N     rate-limit window length in ms (default 60000)
  --latency MS      response delay; --jitter MS adds up to that much more
  --port N --seed N --api-key KEY --odd-shapes --per-page-mode clamp|reject`

const counted = ["tickets", "contacts", "companies", "agents", "groups", "roles", "products", "time-entries"] as const

const text = { type: "string" } as const
const flag = { type: "boolean" } as const

const options = {
  ...Object.fromEntries(counted.map((name) => [name, text] as const)),
  plan: text,
  "window-ms": text,
  latency: text,
  jitter: text,
  port: text,
  seed: text,
  "api-key": text,
  "per-page-mode": text,
  "odd-shapes": flag,
  help: flag
} as const

type Values = Readonly<Record<string, string | boolean | undefined>>

const whole = (values: Values, name: string): number | undefined => {
  const raw = values[name]
  if (typeof raw !== "string") return undefined
  const n = Number(raw)
  if (Number.isInteger(n) && n >= 0) return n
  throw new Error(`\`--${name}\` expects a whole number, got \`${raw}\``)
}

const countsOf = (values: Values): Record<string, number> => {
  const pairs = counted.flatMap((name) => {
    const n = whole(values, name)
    const key = name === "time-entries" ? "timeEntries" : name
    return n === undefined ? [] : [[key, n] as const]
  })
  return Object.fromEntries(pairs)
}

const planOf = (values: Values): PlanName | undefined => {
  const plan = values.plan
  if (plan === undefined || (typeof plan === "string" && plan in plans)) {
    return plan as PlanName | undefined
  }
  throw new Error(`\`--plan\` expects one of ${Object.keys(plans).join(", ")}`)
}

const modeOf = (values: Values): "clamp" | "reject" | undefined => {
  const mode = values["per-page-mode"]
  if (mode === undefined || mode === "clamp" || mode === "reject") return mode
  throw new Error("`--per-page-mode` expects clamp or reject")
}

const latencyOf = (values: Values): Latency | undefined => {
  const [ms, jitterMs] = [whole(values, "latency"), whole(values, "jitter")]
  if (ms === undefined && jitterMs === undefined) return undefined
  return { ms: ms ?? 0, ...(jitterMs === undefined ? {} : { jitterMs }) }
}

// only the options given, so that the library's defaults apply to the rest
const defined = (entries: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined))

const toOptions = (values: Values): SimulatorOptions => ({
  counts: countsOf(values),
  oddShapes: values["odd-shapes"] === true,
  ...defined({
    plan: planOf(values),
    windowMs: whole(values, "window-ms"),
    latency: latencyOf(values),
    port: whole(values, "port"),
    seed: whole(values, "seed"),
    apiKey: values["api-key"],
    perPageMode: modeOf(values)
  })
})

const announce = (sim: SimulatorHandle): void => {
  const urls = Api.endpoints.map((e) => `  ${sim.url}/api/v2/${e}`)
  const counts = streamNames.map((s) => `${s} ${sim.data(s).length}`)
  console.log(`Freshdesk simulator listening on ${sim.url}`)
  console.log(`API key: ${sim.apiKey}`)
  console.log(["Endpoints:", ...urls].join("\n"))
  console.log(`Control: ${sim.url}/_simulator/info`)
  console.log(`Records: ${counts.join(", ")}`)
}

const main = async (): Promise<void> => {
  const { values } = parseArgs({ options, strict: true })
  if (values.help === true) return void console.log(usage)
  const sim = await start(toOptions(values))
  announce(sim)
  const stop = () => void sim.stop().then(() => process.exit(0))
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  console.error(usage)
  process.exit(2)
})
