import assert from "node:assert/strict"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { describe, it } from "node:test"
import * as FloorClient from "../src/FloorClient.ts"

// a loopback server that notes the order of requests and answers JSON (404 for /missing)
const withServer = async (use: (baseUrl: string, seen: Array<string>) => Promise<void>) => {
  const seen: Array<string> = []
  const server = createServer((request, response) => {
    seen.push(`${request.url} ${request.headers.authorization}`)
    response.statusCode = request.url === "/missing" ? 404 : 200
    response.setHeader("content-type", "application/json")
    setTimeout(() => response.end(JSON.stringify([{ id: 1, url: request.url }])), 5)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  try {
    await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen)
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
}

describe("FloorClient", () => {
  describe("replay", () => {
    it("sends the lookups first, then each lane in order, with the key as Basic user", async () => {
      await withServer(async (baseUrl, seen) => {
        const plan = {
          baseUrl,
          apiKey: "k",
          replay: { preflight: ["/me"], lanes: { tickets: ["/t1", "/t2", "/t3"], contacts: ["/c1"] } }
        }

        const result = await FloorClient.replay(plan)

        const auth = `Basic ${Buffer.from("k:X").toString("base64")}`
        assert.equal(seen[0], `/me ${auth}`)
        const tickets = seen.filter((line) => line.startsWith("/t")).map((line) => line.split(" ")[0])
        assert.deepEqual(tickets, ["/t1", "/t2", "/t3"])
        assert.equal(result.requests, 5)
        assert.equal(result.failures, 0)
      })
    })

    it("counts answers other than 200", async () => {
      await withServer(async (baseUrl) => {
        const plan = { baseUrl, apiKey: "k", replay: { preflight: [], lanes: { a: ["/missing", "/ok"] } } }

        const result = await FloorClient.replay(plan)

        assert.equal(result.failures, 1)
      })
    })
  })
})
