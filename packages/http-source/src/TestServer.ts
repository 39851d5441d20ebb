/**
 * A scripted HTTP server on a loopback port, for tests of this package and its users.
 *
 * The server listens on `127.0.0.1` on a port the system picks, answers each request
 * from a script (a list of responses served in order, or a function of the request), and
 * records every request it saw. A scripted response can be delayed, cut off after some
 * bytes, answered by a reset connection, or never answered at all. The server stops when
 * its scope closes, dropping any connection still open.
 *
 * @since 0.1.0
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { NodeHttpClient } from "@effect/platform-node"
import { Context, Duration, Effect, Layer, type Scope } from "effect"
import * as HttpSource from "./HttpSource.ts"
import * as Json from "./Json.ts"
import * as RateBudget from "./RateBudget.ts"
import type * as SourceStats from "./SourceStats.ts"

/**
 * One scripted answer.
 *
 * @since 0.1.0
 * @category models
 */
export interface ScriptedResponse {
  /** default 200 */
  readonly status?: number
  readonly headers?: Readonly<Record<string, string>>
  /** a string is sent as it is; any other value as lossless JSON (default empty) */
  readonly body?: string | Json.JsonValue
  /** real time to wait before answering */
  readonly delay?: Duration.DurationInput
  /** drop the connection instead of answering */
  readonly reset?: boolean
  /** send only this many bytes of the body (declaring all of it), then drop the connection */
  readonly truncate?: number
  /** send only this many bytes of the body (declaring all of it), then send nothing more */
  readonly stallAfter?: number
  /** never answer; the connection stays open until the server stops */
  readonly stall?: boolean
}

/**
 * A request the server saw.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedRequest {
  readonly method: string
  /** path and query as sent */
  readonly url: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  /** header names in lower case */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** `Date.now()` when it arrived */
  readonly at: number
}

/**
 * Computes the answer to the `index`-th request (from 0).
 *
 * @since 0.1.0
 * @category models
 */
export type Handler = (request: RecordedRequest, index: number) => ScriptedResponse | Promise<ScriptedResponse>

/**
 * Answers in order, or a function of each request; a list that runs out answers 500.
 *
 * @since 0.1.0
 * @category models
 */
export type Script = ReadonlyArray<ScriptedResponse> | Handler

/**
 * A running scripted server.
 *
 * @since 0.1.0
 * @category models
 */
export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly port: number
  /** the requests seen so far */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  readonly unsafeRequests: () => ReadonlyArray<RecordedRequest>
}

/**
 * The service tag of a {@link TestServer} provided as a layer.
 *
 * @since 0.1.0
 * @category tags
 */
export const TestServer: Context.Tag<TestServer, TestServer> = Context.GenericTag<TestServer>(
  "@landed/http-source/TestServer"
)

const record = (req: IncomingMessage, body: string): RecordedRequest => {
  const url = req.url ?? "/"
  const parsed = new URL(url, "http://127.0.0.1")
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value
  }
  return {
    method: req.method ?? "GET",
    url,
    path: parsed.pathname,
    query: Object.fromEntries(parsed.searchParams),
    headers,
    body,
    at: Date.now()
  }
}

const fromList =
  (list: ReadonlyArray<ScriptedResponse>): Handler =>
  (_request, index) =>
    list[index] ?? { status: 500, body: { message: `test script exhausted after ${list.length} responses` } }

const bodyText = (body: ScriptedResponse["body"]): string =>
  body === undefined ? "" : typeof body === "string" ? body : Json.stringify(body)

const send = (res: ServerResponse, scripted: ScriptedResponse): void => {
  if (scripted.stall === true) return
  if (scripted.reset === true) {
    res.socket?.destroy()
    return
  }
  const body = Buffer.from(bodyText(scripted.body))
  const headers = { "content-type": "application/json", "content-length": String(body.length), ...scripted.headers }
  res.writeHead(scripted.status ?? 200, headers)
  if (scripted.stallAfter !== undefined) {
    res.write(body.subarray(0, scripted.stallAfter))
    return
  }
  if (scripted.truncate === undefined) {
    res.end(body)
    return
  }
  res.write(body.subarray(0, scripted.truncate), () => res.socket?.destroy())
}

const answer = (handler: Handler, seen: Array<RecordedRequest>) => (req: IncomingMessage, res: ServerResponse) => {
  const chunks: Array<Buffer> = []
  req.on("data", (chunk: Buffer) => chunks.push(chunk))
  req.on("end", () => {
    const request = record(req, Buffer.concat(chunks).toString("utf8"))
    const index = seen.length
    seen.push(request)
    Promise.resolve(handler(request, index)).then(
      (scripted) => {
        const delay = scripted.delay === undefined ? 0 : Duration.toMillis(Duration.decode(scripted.delay))
        if (delay > 0) setTimeout(() => send(res, scripted), delay)
        else send(res, scripted)
      },
      (error: unknown) => send(res, { status: 500, body: { message: `test handler failed: ${String(error)}` } })
    )
  })
}

const listen = (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port))
  })

const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })

/**
 * Starts a scripted server on a loopback port; it stops when the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = (script: Script): Effect.Effect<TestServer, never, Scope.Scope> =>
  Effect.gen(function* () {
    const seen: Array<RecordedRequest> = []
    const handler = typeof script === "function" ? script : fromList(script)
    const server = createServer(answer(handler, seen))
    const port = yield* Effect.acquireRelease(
      Effect.promise(() => listen(server)),
      () => Effect.promise(() => close(server))
    )
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      requests: Effect.sync(() => [...seen]),
      unsafeRequests: () => seen
    }
  })

/**
 * A layer with a scripted server.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (script: Script): Layer.Layer<TestServer> => Layer.scoped(TestServer, start(script))

/**
 * Options of {@link layerSource}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SourceOptions {
  /** the budget (default `RateBudget.layerUnlimited`'s settings) */
  readonly budget?: RateBudget.Options
  /** executor options; `baseUrl` defaults to the server's URL */
  readonly source?: Partial<HttpSource.Options>
  /** a path after the server's URL that the default `baseUrl` ends with, such as `/api/v2` */
  readonly basePath?: string
}

/**
 * A scripted server with an `HttpSource` (Node's undici client), a `RateBudget` and
 * `SourceStats` wired to it: everything a test of a source needs.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSource = (
  script: Script,
  options: SourceOptions = {}
): Layer.Layer<TestServer | HttpSource.HttpSource | RateBudget.RateBudget | SourceStats.SourceStats> => {
  const budget = options.budget === undefined ? RateBudget.layerUnlimited : RateBudget.layer(options.budget)
  const source = Layer.unwrapEffect(
    Effect.map(TestServer, (server) =>
      HttpSource.layer({ baseUrl: server.url + (options.basePath ?? ""), ...options.source })
    )
  )
  return source.pipe(
    Layer.provideMerge(budget),
    Layer.provide(NodeHttpClient.layerUndici),
    Layer.provideMerge(layer(script))
  )
}
