/**
 * The control API over HTTP, under `/_simulator/`, so a simulator in another process can be
 * driven like the library handle: no auth, not rate limited, not counted in the stats.
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

const ok = (status: number, body: unknown): Reply => ({
  status,
  headers: { "Content-Type": "application/json; charset=utf-8" },
  body: body === undefined ? "" : stringify(body),
  credits: 0
})

const objectBody = (text: string): Rec => {
  if (text.trim() === "") return {}
  const parsed: unknown = JSON.parse(text)
  if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Rec
  throw new SimulatorError({ reason: "InvalidInput", message: "The request body must be a JSON object" })
}

const done = (effect: () => void): Reply => {
  effect()
  return ok(200, { ok: true })
}

const recordId = (text: string | undefined): number => {
  const id = Number(text)
  if (Number.isSafeInteger(id)) return id
  throw new SimulatorError({ reason: "InvalidInput", message: `\`${text}\` is not a record id` })
}

const dataRoute = (state: State, method: string, parts: ReadonlyArray<string>, body: string): Reply => {
  const stream = Mutations.assertStream(parts[0] ?? "")
  const now = state.runtime.now().getTime()
  if (parts.length === 1 && method === "GET") return ok(200, Mutations.dataOf(state.account, stream))
  if (parts.length === 1 && method === "POST")
    return ok(201, Mutations.create(state.account, stream, objectBody(body), now))
  if (parts.length === 2 && (method === "PATCH" || method === "PUT" || method === "POST"))
    return ok(200, Mutations.update(state.account, stream, recordId(parts[1]), objectBody(body), now))
  if (parts.length === 2 && method === "DELETE") {
    Mutations.remove(state.account, stream, recordId(parts[1]), now)
    return ok(204, undefined)
  }
  return ok(405, { error: "MethodNotAllowed", message: `${method} is not supported here` })
}

const route = (state: State, controls: Controls, method: string, path: string, body: string): Reply => {
  const parts = path
    .split("/")
    .filter((p) => p !== "")
    .slice(1)
  const [head, ...rest] = parts
  const post = method === "POST"
  if (head === "info" && method === "GET") return ok(200, controls.info())
  if (head === "stats" && rest.length === 0 && method === "GET") return ok(200, state.stats.snapshot())
  if (head === "stats" && rest[0] === "reset" && post) return done(controls.resetStats)
  if (head === "rate-limits" && rest[0] === "reset" && post) return done(controls.resetRateLimits)
  if (head === "configure" && post) return done(() => controls.configure(objectBody(body)))
  if (head === "data" && rest.length > 0) return dataRoute(state, method, rest, body)
  return ok(404, { error: "NotFound", message: `No control route ${method} ${path}` })
}

/**
 * Answers one control request; failures become JSON errors with the reason.
 *
 * @since 0.1.0
 * @category handlers
 */
export const respond = (state: State, controls: Controls, method: string, path: string, body: string): Reply => {
  try {
    return route(state, controls, method, path, body)
  } catch (error) {
    if (error instanceof SimulatorError)
      return ok(error.reason === "NotFound" ? 404 : 400, { error: error.reason, message: error.message })
    if (error instanceof SyntaxError) return ok(400, { error: "InvalidInput", message: "The request body is not JSON" })
    throw error
  }
}
