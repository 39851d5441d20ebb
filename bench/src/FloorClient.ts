/**
 * The floor client: the least work a sync could do, run as its own process. It sends the
 * requests a sync made (read from the simulator's log) with plain `fetch`, parses each
 * body with `JSON.parse` and keeps nothing. Like the sync, it runs the credentials and
 * plan lookups first, then every stream at once, each stream's requests one after
 * another in the order the sync made them.
 *
 * It imports only Node built-ins: the bench strips its types into a plain `.mjs` so that
 * the floor pays no loader cost (`node floor-client.mjs <plan.json>`).
 *
 * @since 0.1.0
 */
import { readFileSync } from "node:fs"
import { performance } from "node:perf_hooks"
import { pathToFileURL } from "node:url"
import type { Replay } from "./RequestLog.ts"

/**
 * What the floor client is given.
 *
 * @since 0.1.0
 * @category models
 */
export interface FloorPlan {
  readonly baseUrl: string
  readonly apiKey: string
  readonly replay: Replay
}

/**
 * What the floor client did.
 *
 * @since 0.1.0
 * @category models
 */
export interface FloorResult {
  readonly requests: number
  /** characters of JSON parsed */
  readonly chars: number
  /** answers other than 200 */
  readonly failures: number
  /** from the first request to the last parse, in milliseconds */
  readonly loopMillis: number
}

interface Tally {
  requests: number
  chars: number
  failures: number
}

const getAndParse = async (plan: FloorPlan, path: string, tally: Tally, authorization: string) => {
  const response = await fetch(`${plan.baseUrl}${path}`, { headers: { authorization, accept: "application/json" } })
  const text = await response.text()
  JSON.parse(text)
  tally.requests++
  tally.chars += text.length
  if (response.status !== 200) tally.failures++
}

const inOrder = async (plan: FloorPlan, paths: ReadonlyArray<string>, tally: Tally, authorization: string) => {
  for (const path of paths) await getAndParse(plan, path, tally, authorization)
}

/**
 * Replays a plan: preflight first, then every lane at once.
 *
 * @since 0.1.0
 * @category running
 */
export const replay = async (plan: FloorPlan): Promise<FloorResult> => {
  const authorization = `Basic ${Buffer.from(`${plan.apiKey}:X`).toString("base64")}`
  const tally: Tally = { requests: 0, chars: 0, failures: 0 }
  const started = performance.now()
  await inOrder(plan, plan.replay.preflight, tally, authorization)
  const lanes = Object.values(plan.replay.lanes)
  await Promise.all(lanes.map((paths) => inOrder(plan, paths, tally, authorization)))
  return { ...tally, loopMillis: performance.now() - started }
}

const main = async (file: string) => {
  const result = await replay(JSON.parse(readFileSync(file, "utf8")) as FloorPlan)
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv[2] ?? "").catch((error: unknown) => {
    process.stderr.write(`floor client failed: ${String(error)}\n`)
    process.exit(1)
  })
}
