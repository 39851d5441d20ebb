// README example: begin
import { NodeHttpClient } from "@effect/platform-node"
import { HttpSource, Paginator, RateBudget } from "@landed/http-source"
import { Duration, Layer, Redacted, Stream } from "effect"

// one budget for the whole run: 3000 credits a minute overall, 600 calls a minute for the
// list endpoint's own limit, at most 8 requests in flight
const budget = RateBudget.layer({
  window: Duration.minutes(1),
  overall: { limit: 3000 },
  groups: { items: { limit: 600 } },
  maxInFlight: 8
})

// the executor (with its per-stream counters) over Node's undici client
const sourceLayer = (baseUrl: string, apiKey: Redacted.Redacted<string>) =>
  HttpSource.layer({ baseUrl, basicAuth: { username: apiKey, password: Redacted.make("X") } }).pipe(
    Layer.provide(budget),
    Layer.provide(NodeHttpClient.layerUndici)
  )

// every record of GET /items?page=N&per_page=100, until a short page or no Link next
const items = Paginator.pageNumber({
  request: { stream: "items", path: "/items", groups: ["items"] },
  perPage: 100
}).pipe(Stream.flatMap((page) => Stream.fromIterable(page.items)))
// README example: end

import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { SourceStats, TestServer } from "@landed/http-source"
import { Chunk, Effect } from "effect"

const between = (text: string, begin: string, end: string): string =>
  text.slice(text.indexOf(begin) + begin.length, text.indexOf(end)).trim()

// 250 records with ids past 2^53, 100 a page, a Link next while more follow
const list = Array.from({ length: 250 }, (_, i) => ({ id: 9007199254740993n + BigInt(i) }))
const served: TestServer.Handler = (request) => {
  const page = Number(request.query.page)
  const perPage = Number(request.query.per_page)
  const more = list.length > page * perPage
  const next = `<${request.path}?page=${page + 1}&per_page=${perPage}>; rel="next"`
  return { body: list.slice((page - 1) * perPage, page * perPage), headers: more ? { link: next } : {} }
}

describe("README", () => {
  it("shows the example this file runs", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")
    const self = readFileSync(new URL(import.meta.url), "utf8")

    const shown = between(readme, "<!-- example: begin -->\n```ts", "```\n<!-- example: end -->")

    expect(shown).toBe(between(self, "// README example: begin", "// README example: end"))
  })

  it.scopedLive("reads every record of the paged list through the budget", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.start(served)
      const key = Redacted.make("readme-key")

      const program = Effect.zip(
        Stream.runCollect(items),
        Effect.flatMap(SourceStats.SourceStats, (s) => s.snapshot)
      )
      const [rows, stats] = yield* Effect.provide(program, sourceLayer(server.url, key))
      const seen = yield* server.requests

      expect(Chunk.toReadonlyArray(rows)).toEqual(list)
      expect(seen.map((r) => r.query.page)).toEqual(["1", "2", "3"])
      expect(seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from("readme-key:X").toString("base64")}`)
      expect(stats.get("items")).toMatchObject({ requests: 3, pages: 3, records: 250, credits: 3, retries: 0 })
    })
  )
})
