/**
 * The HTTP server: `node:http` on 127.0.0.1, routing `/api/v2/...` to the API
 * and `/_simulator/...` to the control API, with latency, dropped connections
 * and cut-off bodies applied on the way out. Unknown routes get a bare 404 with
 * an empty body.
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
    "Cache-Control": "no-cache, no-store, max-age=0, must-revalidate",
    Pragma: "no-cache",
    Allow: "GET"
  },
  body: JSON.stringify(Bodies.methodNotAllowed),
  credits: 0
}

// what one server's handlers share
interface Ctx {
  readonly state: State
  readonly controls: Control.Controls
  readonly timers: Set<NodeJS.Timeout>
}

type Req = Http.IncomingMessage
type Res = Http.ServerResponse

const pathOf = (req: Req): URL => new URL(req.url ?? "/", "http://127.0.0.1")

// runs `task` after `delay` ms, remembering the timer so stop can cancel it
const later = (ctx: Ctx, delay: number, task: () => void): void => {
  if (delay <= 0) {
    task()
    return
  }
  const timer = setTimeout(() => {
    ctx.timers.delete(timer)
    task()
  }, delay)
  ctx.timers.add(timer)
}

const finish = (ctx: Ctx, res: Res, reply: Reply): void => {
  send(res, reply)
  const injected = reply.drop !== undefined || reply.status >= 500
  const status = reply.drop === "reset" ? 0 : reply.status
  ctx.state.stats.end(status, reply.credits, injected)
}

// a bug in a handler answers 500 instead of taking the whole server down
const safely = (answer: () => Reply): Reply => {
  try {
    return answer()
  } catch {
    return {
      status: 500,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: JSON.stringify(Bodies.internalError),
      credits: 0
    }
  }
}

const apiRequest = (ctx: Ctx, req: Req, res: Res): void => {
  const { state } = ctx
  const url = pathOf(req)
  const endpoint = Api.route(url.pathname)
  state.stats.begin(endpoint ?? "unknown")
  if (endpoint === undefined) {
    notFound(res)
    state.stats.end(404, 0, false)
    return
  }
  if (req.method !== "GET") {
    finish(ctx, res, methodNotAllowed)
    return
  }
  const call: Api.ApiCall = {
    endpoint,
    path: url.pathname,
    rawQuery: url.search.slice(1),
    host: req.headers.host ?? "127.0.0.1",
    authorization: req.headers.authorization
  }
  const reply = safely(() => Api.respond(state, call, Date.now()))
  later(ctx, state.faults.delay(state.runtime.latency), () => finish(ctx, res, reply))
}

const controlRequest = async (ctx: Ctx, req: Req, res: Res): Promise<void> => {
  const body = await readBody(req).catch(() => undefined)
  if (body === undefined) {
    res.destroy()
    return
  }
  const call = { method: req.method ?? "GET", path: pathOf(req).pathname, body }
  send(
    res,
    safely(() => Control.respond(ctx.state, ctx.controls, call))
  )
}

const closer = (server: Http.Server, ctx: Ctx) => () =>
  new Promise<void>((resolve) => {
    for (const t of ctx.timers) clearTimeout(t)
    ctx.timers.clear()
    server.close(() => resolve())
    server.closeAllConnections()
  })

/**
 * Starts listening on 127.0.0.1 (`port` 0 picks a free port).
 *
 * @since 0.1.0
 * @category constructors
 */
export const listen = (state: State, controls: Control.Controls, port: number): Promise<Listening> => {
  const ctx: Ctx = { state, controls, timers: new Set() }
  const server = Http.createServer((req, res) => {
    const control = (req.url ?? "").startsWith("/_simulator/")
    if (control) void controlRequest(ctx, req, res)
    else apiRequest(ctx, req, res)
  })
  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as AddressInfo
      resolve({ port: bound, close: closer(server, ctx) })
    })
  })
}
