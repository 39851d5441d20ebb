// loopback servers for the bench: a plain paged list with no limit, and a list behind a
// fixed-window rate limiter that behaves like Freshdesk's (the window opens at the first
// request, the counter is taken on arrival, 429 with Retry-After once the limit is spent)
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export interface Running {
  readonly url: string
  readonly close: () => Promise<void>
}

const listen = async (server: Server): Promise<Running> => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

const record = (id: number) => ({
  id: 1_000_000_000 + id,
  subject: `Order ${id} arrived damaged and the replacement is late`.padEnd(60, "."),
  description_text: "The customer writes that the parcel was dented on arrival. ".repeat(16),
  status: 2 + (id % 4),
  priority: 1 + (id % 4),
  requester_id: 50_000_000_000 + id,
  responder_id: id % 3 === 0 ? null : 60_000_000_000 + id,
  tags: ["shipping", "damage"].slice(0, id % 3),
  custom_fields: { cf_order: `A-${id}`, cf_refund: id % 2 === 0 },
  created_at: "2024-05-01T10:00:00Z",
  updated_at: "2024-05-02T11:30:00Z"
})

/** a list of `pages` pages of `perPage` records of about 1 kB each, with a Link header while more follow */
export const pagedList = (pages: number, perPage: number): Promise<Running> => {
  const bodies = Array.from({ length: pages }, (_, p) =>
    Buffer.from(JSON.stringify(Array.from({ length: perPage }, (_, i) => record(p * perPage + i))))
  )
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    const page = Number(url.searchParams.get("page") ?? "1")
    const body = bodies[page - 1] ?? Buffer.from("[]")
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "content-length": String(body.length)
    }
    if (page < pages) headers.link = `<http://${req.headers.host}${url.pathname}?page=${page + 1}>; rel="next"`
    res.writeHead(200, headers)
    res.end(body)
  })
  return listen(server)
}

export interface Limited extends Running {
  /** requests accepted in each server window, in order */
  readonly windows: ReadonlyArray<number>
  readonly accepted: () => number
  readonly refused: () => number
}

/** a small list behind a fixed window of `limit` requests per `windowMillis`, answering after `latencyMillis` */
export const limitedList = async (options: {
  readonly limit: number
  readonly windowMillis: number
  readonly latencyMillis: number
}): Promise<Limited> => {
  const windows: Array<number> = []
  let opened = Number.NEGATIVE_INFINITY
  let used = 0
  let refused = 0
  const body = Buffer.from(JSON.stringify(Array.from({ length: 10 }, (_, i) => record(i))))
  const server = createServer((_req, res) => {
    const now = performance.now()
    if (now >= opened + options.windowMillis) {
      opened = now
      used = 0
      windows.push(0)
    }
    if (used + 1 > options.limit) {
      refused += 1
      // Freshdesk sends whole seconds; milliseconds keep a short bench window exact
      const wait = ((opened + options.windowMillis - now) / 1000).toFixed(3)
      res.writeHead(429, { "content-type": "application/json", "retry-after": wait })
      res.end('{"message":"You have exceeded the limit of requests per minute"}')
      return
    }
    used += 1
    windows[windows.length - 1] = used
    const headers = {
      "content-type": "application/json",
      "x-ratelimit-total": String(options.limit),
      "x-ratelimit-remaining": String(options.limit - used),
      "x-ratelimit-used-currentrequest": "1"
    }
    setTimeout(() => {
      res.writeHead(200, headers)
      res.end(body)
    }, options.latencyMillis)
  })
  const running = await listen(server)
  return {
    ...running,
    windows,
    accepted: () => windows.reduce((a, b) => a + b, 0),
    refused: () => refused
  }
}
