/**
 * The HTTP server: `node:http` on 127.0.0.1, routing `/api/v2/...` to the API and
 * `/_simulator/...` to the control API, with latency, dropped connections and cut-off
 * bodies applied on the way out. Unknown routes get a bare 404 with an empty body.
 *
 * @since 0.1.0
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Api from "./Api.ts"
import * as Control from "./Control.ts"
import * as Bodies from "./internal/bodies.ts"
import type { Reply, State } from "./internal/state.ts"

/**
 * A listening server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Listening {
  readonly port: number
  readonly close: () => Promise<void>
}

const readBody = (req: Http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

// half the body, so a cut lands inside the JSON
const cut = (body: string): Buffer => {
  const bytes = Buffer.from(body, "utf8")
  return bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2)))
}

const send = (res: Http.ServerResponse, reply: Reply): void => {
  if (res.destroyed) return
  if (reply.drop === "reset") {
    res.socket?.destroy()
    return
  }
  if (reply.drop === "truncate") {
    res.writeHead(reply.status, reply.headers)
    res.end(cut(reply.body))
    return
  }
  const length = String(Buffer.byteLength(reply.body, "utf8"))
  res.writeHead(reply.status, { ...reply.headers, "Content-Length": length })
  if (reply.drop === "truncate-reset") res.write(cut(reply.body), () => res.destroy())
  else res.end(reply.body)
}

const notFound = (res: Http.ServerResponse): void => {
  res.writeHead(404, { "Content-Length": "0" })
  res.end()
}

const methodNotAllowed: Reply = {
  status: 405,
  headers: {
    "Content-Type": "application/json; charset=utf-8",
    "X-Freshdesk-API-Version": "latest=v2; requested=v2",
    Allow: "GET"
  },
  body: JSON.stringify(Bodies.methodNotAllowed),
  credits: 0
}

const apiRequest = (state: State, timers: Set<NodeJS.Timeout>, req: Http.IncomingMessage, res: Http.ServerResponse) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1")
  const endpoint = Api.route(url.pathname)
  state.stats.begin(endpoint ?? "unknown")
  if (endpoint === undefined || req.method !== "GET") {
    if (endpoint === undefined) notFound(res)
    else send(res, methodNotAllowed)
    state.stats.end(endpoint === undefined ? 404 : 405, 0, false)
    return
  }
  const call: Api.ApiCall = {
    endpoint,
    path: url.pathname,
    rawQuery: url.search.slice(1),
    host: req.headers.host ?? "127.0.0.1",
    authorization: req.headers.authorization
  }
  const reply = Api.respond(state, call, Date.now())
  const finish = () => {
    send(res, reply)
    const injected = reply.drop !== undefined || reply.status >= 500
    state.stats.end(reply.drop === "reset" ? 0 : reply.status, reply.credits, injected)
  }
  const delay = state.faults.delay(state.runtime.latency)
  if (delay <= 0) return finish()
  const timer = setTimeout(() => {
    timers.delete(timer)
    finish()
  }, delay)
  timers.add(timer)
}

const controlRequest = (
  state: State,
  controls: Control.Controls,
  req: Http.IncomingMessage,
  res: Http.ServerResponse
) =>
  readBody(req).then(
    (body) =>
      send(
        res,
        Control.respond(state, controls, req.method ?? "GET", new URL(req.url ?? "/", "http://x").pathname, body)
      ),
    () => res.destroy()
  )

/**
 * Starts listening on 127.0.0.1 (`port` 0 picks a free port).
 *
 * @since 0.1.0
 * @category constructors
 */
export const listen = (state: State, controls: Control.Controls, port: number): Promise<Listening> => {
  const timers = new Set<NodeJS.Timeout>()
  const server = Http.createServer((req, res) => {
    if ((req.url ?? "").startsWith("/_simulator/")) void controlRequest(state, controls, req, res)
    else apiRequest(state, timers, req, res)
  })
  const close = () =>
    new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t)
      timers.clear()
      server.close(() => resolve())
      server.closeAllConnections()
    })
  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, "127.0.0.1", () => resolve({ port: (server.address() as AddressInfo).port, close }))
  })
}
