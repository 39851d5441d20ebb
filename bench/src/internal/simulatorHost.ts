/**
 * The simulator's own process for a bench case: starts `Simulator.start(options)` from
 * the JSON in `argv[2]`, records every API request it serves (path and query, start,
 * end, status) through Node's `http.server.*` diagnostics channels, and answers the
 * parent's messages over IPC. Running it apart keeps its CPU out of the sync's process.
 */
import dc from "node:diagnostics_channel"
import type { IncomingMessage, ServerResponse } from "node:http"
import { performance } from "node:perf_hooks"
import { Simulator } from "@landed/freshdesk-simulator"
import type { HostReply, HostRequest, LoggedRequest } from "./hostProtocol.ts"

const now = () => performance.timeOrigin + performance.now()

const log: Array<LoggedRequest> = []
const started = new WeakMap<IncomingMessage, number>()

dc.subscribe("http.server.request.start", (message) => {
  const { request } = message as { request: IncomingMessage }
  started.set(request, now())
})

dc.subscribe("http.server.response.finish", (message) => {
  const { request, response } = message as { request: IncomingMessage; response: ServerResponse }
  const start = started.get(request)
  const url = request.url ?? ""
  // the control API is not part of what a client requested
  if (start === undefined || url.startsWith("/_simulator")) return
  log.push({ url, start, end: now(), status: response.statusCode })
})

const send = (reply: HostReply) => process.send?.(reply)

const main = async () => {
  const sim = await Simulator.start(JSON.parse(process.argv[2] ?? "{}"))
  const answer = async (request: HostRequest): Promise<unknown> => {
    switch (request.op) {
      case "stats":
        return sim.stats()
      case "reset":
        sim.resetStats()
        sim.resetRateLimits()
        log.length = 0
        return null
      case "log":
        return log.splice(0, log.length)
      case "stop":
        await sim.stop()
        return process.exit(0)
    }
  }
  process.on("message", (request: HostRequest) => {
    answer(request).then(
      (value) => send({ id: request.id, value }),
      (error: unknown) => send({ id: request.id, error: String(error) })
    )
  })
  process.on("disconnect", () => void sim.stop().finally(() => process.exit(0)))
  send({ id: 0, value: { url: sim.url, apiKey: sim.apiKey } })
}

main().catch((error: unknown) => {
  process.stderr.write(`simulator host failed: ${String(error)}\n`)
  process.exit(1)
})
