/**
 * The control API over HTTP, under `/_simulator/`, so that a simulator in
 * another process can be driven like the library handle: no auth, no rate
 * limit, no stats.
 *
 * | method and path | does |
 * |---|---|
 * | `GET /_simulator/info` | url, key, endpoints, record counts |
 * | `GET /_simulator/stats`, `POST /_simulator/stats/reset` | read or zero the stats |
 * | `GET /_simulator/data/:stream` | every current record, hidden ones with flags |
 * | `POST /_simulator/data/:stream` | create a record from the JSON body |
 * | `PATCH /_simulator/data/:stream/:id` | edit a record with the JSON body |
 * | `DELETE /_simulator/data/:stream/:id` | delete a record |
 * | `POST /_simulator/configure` | change runtime options (JSON body) |
 * | `POST /_simulator/rate-limits/reset` | close every rate-limit window |
 *
 * @since 0.1.0
 */
import type { Rec } from "./Records.ts"
import type { RuntimeOptions } from "./Options.ts"
import * as Mutations from "./Mutations.ts"
import { SimulatorError } from "./SimulatorError.ts"
import { stringify } from "./WireJson.ts"
import type { Reply, State } from "./internal/state.ts"

/**
 * What the handle and the control routes both do.
 *
 * @since 0.1.0
 * @category models
 */
export interface Controls {
  readonly info: () => unknown
  readonly configure: (options: RuntimeOptions) => void
  readonly resetStats: () => void
  readonly resetRateLimits: () => void
}

/**
 * One control request.
 *
 * @since 0.1.0
 * @category models
 */
export interface ControlCall {
  readonly method: string
  readonly path: string
  readonly body: string
}

const ok = (status: number, body: unknown): Reply => ({
  status,
  headers: { "Content-Type": "application/json; charset=utf-8" },
  body: body === undefined ? "" : stringify(body),
  credits: 0
})

const invalidInput = (message: string) => new SimulatorError({ reason: "InvalidInput", message })

const objectBody = (text: string): Rec => {
  if (text.trim() === "") return {}
  const parsed: unknown = JSON.parse(text)
  const isObject = typeof parsed === "object" && parsed !== null
  if (isObject && !Array.isArray(parsed)) return parsed as Rec
  throw invalidInput("The request body must be a JSON object")
}

const done = (effect: () => void): Reply => {
  effect()
  return ok(200, { ok: true })
}

const recordId = (text: string): number => {
  const id = Number(text)
  if (Number.isSafeInteger(id)) return id
  throw invalidInput(`\`${text}\` is not a record id`)
}

const fixed = (state: State, controls: Controls, call: ControlCall) => {
  switch (`${call.method} ${call.path}`) {
    case "GET /_simulator/info":
      return ok(200, controls.info())
    case "GET /_simulator/stats":
      return ok(200, state.stats.snapshot())
    case "POST /_simulator/stats/reset":
      return done(controls.resetStats)
    case "POST /_simulator/rate-limits/reset":
      return done(controls.resetRateLimits)
    case "POST /_simulator/configure":
      return done(() => controls.configure(objectBody(call.body)))
  }
  return undefined
}

const DATA = /^\/_simulator\/data\/([^/]+)(?:\/([^/]+))?$/
const EDITS = ["PATCH", "PUT", "POST"]

const dataRoute = (state: State, call: ControlCall): Reply | undefined => {
  const m = DATA.exec(call.path)
  if (m === null) return undefined
  const [stream, id] = [Mutations.assertStream(m[1]!), m[2]]
  const { account } = state
  const now = state.runtime.now().getTime()
  if (id === undefined && call.method === "GET") return ok(200, Mutations.dataOf(account, stream))
  if (id === undefined && call.method === "POST") {
    return ok(201, Mutations.create(account, stream, objectBody(call.body), now))
  }
  if (id !== undefined && call.method === "DELETE") {
    Mutations.remove(account, stream, recordId(id), now)
    return ok(204, undefined)
  }
  if (id !== undefined && EDITS.includes(call.method)) {
    const patch = objectBody(call.body)
    return ok(200, Mutations.update(account, stream, recordId(id), patch, now))
  }
  return ok(405, { error: "MethodNotAllowed", message: `${call.method} is not supported here` })
}

const failure = (error: unknown): Reply => {
  if (error instanceof SimulatorError) {
    const status = error.reason === "NotFound" ? 404 : 400
    return ok(status, { error: error.reason, message: error.message })
  }
  if (error instanceof SyntaxError) {
    return ok(400, { error: "InvalidInput", message: "The request body is not JSON" })
  }
  throw error
}

/**
 * Answers one control request; failures become JSON errors with the reason.
 *
 * @since 0.1.0
 * @category handlers
 */
export const respond = (state: State, controls: Controls, call: ControlCall): Reply => {
  const path = call.path.replace(/\/+$/, "")
  const normalised = { ...call, path }
  try {
    const reply = fixed(state, controls, normalised) ?? dataRoute(state, normalised)
    const message = `No control route ${call.method} ${path}`
    return reply ?? ok(404, { error: "NotFound", message })
  } catch (error) {
    return failure(error)
  }
}
