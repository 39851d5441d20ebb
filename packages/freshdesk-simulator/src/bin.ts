/**
 * The simulator as a process: `pnpm simulator --tickets 50000 --plan pro --latency 300`.
 * Prints where it listens, the key, the endpoints and the record counts, then serves until
 * SIGINT or SIGTERM.
 *
 * @since 0.1.0
 */
import { parseArgs } from "node:util"
import * as Api from "./Api.ts"
import { type PlanName, plans, type SimulatorOptions, streamNames } from "./Options.ts"
import { start } from "./Simulator.ts"

const usage = `Usage: pnpm simulator [options]
  --tickets N --contacts N --companies N --agents N --groups N --roles N --products N --time-entries N
  --plan free|growth|pro|enterprise|unlimited   rate-limit preset (default pro)
  --window-ms N       rate-limit window length in ms (default 60000)
  --latency MS        response delay; --jitter MS adds up to that much more
  --port N --seed N --api-key KEY --odd-shapes --per-page-mode clamp|reject`

const counted = ["tickets", "contacts", "companies", "agents", "groups", "roles", "products", "time-entries"] as const

const options = {
  ...Object.fromEntries(counted.map((name) => [name, { type: "string" }] as const)),
  plan: { type: "string" },
  "window-ms": { type: "string" },
  latency: { type: "string" },
  jitter: { type: "string" },
  port: { type: "string" },
  seed: { type: "string" },
  "api-key": { type: "string" },
  "odd-shapes": { type: "boolean" },
  "per-page-mode": { type: "string" },
  help: { type: "boolean" }
} as const

const number = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined
  const n = Number(text)
  if (Number.isInteger(n) && n >= 0) return n
  throw new Error(`\`--${name}\` expects a whole number, got \`${text}\``)
}

const toOptions = (values: Readonly<Record<string, string | boolean | undefined>>): SimulatorOptions => {
  const str = (name: string) => values[name] as string | undefined
  const counts = Object.fromEntries(
    counted.flatMap((name) => {
      const n = number(name, str(name))
      return n === undefined ? [] : [[name === "time-entries" ? "timeEntries" : name, n]]
    })
  )
  const plan = str("plan")
  if (plan !== undefined && !(plan in plans))
    throw new Error(`\`--plan\` expects one of ${Object.keys(plans).join(", ")}`)
  const mode = str("per-page-mode")
  if (mode !== undefined && mode !== "clamp" && mode !== "reject")
    throw new Error("`--per-page-mode` expects clamp or reject")
  const defined = <A>(key: string, value: A | undefined) => (value === undefined ? {} : { [key]: value })
  return {
    counts,
    ...defined("plan", plan as PlanName | undefined),
    ...defined("windowMs", number("window-ms", str("window-ms"))),
    ...defined("latency", number("latency", str("latency"))),
    ...defined("port", number("port", str("port"))),
    ...defined("seed", number("seed", str("seed"))),
    ...defined("apiKey", str("api-key")),
    ...defined("perPageMode", mode),
    oddShapes: values["odd-shapes"] === true
  }
}

const withJitter = (o: SimulatorOptions, jitter: number | undefined): SimulatorOptions =>
  jitter === undefined ? o : { ...o, latency: { ms: typeof o.latency === "number" ? o.latency : 0, jitterMs: jitter } }

const main = async (): Promise<void> => {
  const { values } = parseArgs({ options, strict: true })
  if (values.help === true) return void console.log(usage)
  const config = withJitter(toOptions(values), number("jitter", values.jitter))
  const sim = await start(config)
  console.log(`Freshdesk simulator listening on ${sim.url}`)
  console.log(`API key: ${sim.apiKey}`)
  console.log(`Endpoints: ${Api.endpoints.map((e) => `${sim.url}/api/v2/${e}`).join("\n           ")}`)
  console.log(`Control: ${sim.url}/_simulator/info`)
  console.log(`Records: ${streamNames.map((s) => `${s} ${sim.data(s).length}`).join(", ")}`)
  const stop = () => void sim.stop().then(() => process.exit(0))
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  console.error(usage)
  process.exit(2)
})
