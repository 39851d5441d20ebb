import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Either, Fiber, Layer, Redacted, TestClock } from "effect"
import * as HttpSource from "../src/HttpSource.ts"
import type { Reason } from "../src/HttpSourceError.ts"
import * as RateBudget from "../src/RateBudget.ts"
import * as SourceStats from "../src/SourceStats.ts"
import * as TestServer from "../src/TestServer.ts"
import * as Logs from "./support/Logs.ts"

// backoffs of a few milliseconds keep the loopback tests fast
const fastRetry = { baseDelay: Duration.millis(5), maxDelay: Duration.millis(20) }

const serve = (script: TestServer.Script, source: Partial<HttpSource.Options> = {}) =>
  TestServer.layerSource(script, { source: { retry: fastRetry, ...source } })

// the executor reads undici's body directly; any other client goes through `text`
const serveOverFetch = (script: TestServer.Script) =>
  Layer.unwrapEffect(Effect.map(TestServer.TestServer, (server) => HttpSource.layer({ baseUrl: server.url }))).pipe(
    Layer.provide(RateBudget.layerUnlimited),
    Layer.provide(FetchHttpClient.layer),
    Layer.provideMerge(TestServer.layer(script))
  )

const get = (request: Partial<HttpSource.SourceRequest> = {}) =>
  Effect.flatMap(HttpSource.HttpSource, (source) => source.request({ stream: "items", path: "/items", ...request }))

const statsOf = (stream: string) =>
  Effect.flatMap(SourceStats.SourceStats, (stats) =>
    Effect.map(stats.snapshot, (snapshot) => snapshot.get(stream) ?? SourceStats.empty)
  )

const requestCount = Effect.flatMap(TestServer.TestServer, (server) =>
  Effect.map(server.requests, (requests) => requests.length)
)

const failureOf = <A, E>(effect: Effect.Effect<A, E, HttpSource.HttpSource>) =>
  Effect.flatMap(Effect.either(effect), (result) =>
    Either.isLeft(result) ? Effect.succeed(result.left) : Effect.die("expected a failure")
  )

describe("HttpSource", () => {
  describe("request", () => {
    it.live("parses the body losslessly and sends the query on the path below baseUrl", () =>
      Effect.gen(function* () {
        const response = yield* get({ query: { page: 2, per_page: 100, include: undefined, flag: true } })
        const [seen] = yield* Effect.flatMap(TestServer.TestServer, (s) => s.requests)

        expect(response.body).toEqual([{ id: 1847404637041218601n, name: "a" }])
        expect(response.status).toBe(200)
        expect(seen).toMatchObject({ path: "/api/items", query: { page: "2", per_page: "100", flag: "true" } })
      }).pipe(
        Effect.provide(
          TestServer.layerSource([{ body: '[{"id":1847404637041218601,"name":"a"}]' }], { basePath: "/api/" })
        )
      )
    )

    it.live("reads the body through a client other than undici's", () =>
      Effect.gen(function* () {
        const response = yield* get()

        expect(response.body).toEqual([{ id: 1847404637041218601n }])
      }).pipe(Effect.provide(serveOverFetch([{ body: '[{"id":1847404637041218601}]' }])))
    )

    // undici's bytes are tested for long numbers before they are decoded; a body without
    // one takes JSON.parse, one with them the lossless parser, and both decode alike
    const utf8Pages = [
      { body: '\uFEFF[{"id":1847404637041218601,"d":1.23456789012345678901234,"name":"Zoë pays 12 €"}]' },
      { body: '[{"id":7,"name":"Zoë pays 12 €, ticket 123456789012345 is safe"}]' }
    ]
    const readsUtf8Pages = Effect.gen(function* () {
      const long = yield* get()
      const plain = yield* get()
      const [first] = long.body as ReadonlyArray<{ readonly d: unknown }>

      expect(long.text.startsWith("[")).toBe(true)
      expect(long.body).toMatchObject([{ id: 1847404637041218601n, name: "Zoë pays 12 €" }])
      expect(String(first?.d)).toBe("1.23456789012345678901234")
      expect(plain.body).toEqual([{ id: 7, name: "Zoë pays 12 €, ticket 123456789012345 is safe" }])
      expect(plain.text).toBe(utf8Pages[1]?.body)
    })

    it.live("decodes UTF-8 bodies as text does (byte order mark dropped) and keeps long numbers", () =>
      readsUtf8Pages.pipe(Effect.provide(serve(utf8Pages)))
    )

    it.live("decodes UTF-8 bodies the same through a client other than undici's", () =>
      readsUtf8Pages.pipe(Effect.provide(serveOverFetch(utf8Pages)))
    )

    it.live("requests an absolute url as given, ignoring path", () =>
      Effect.gen(function* () {
        const server = yield* TestServer.TestServer

        yield* get({ url: `${server.url}/next?page=3` })
        const [seen] = yield* server.requests

        expect(seen?.url).toBe("/next?page=3")
      }).pipe(Effect.provide(serve([{ body: [] }])))
    )

    it.live("sends Basic credentials and logs neither them nor secret query values", () => {
      const logs = Logs.capture()
      const key = Redacted.make("Sup3rS3cretKey")
      return Effect.gen(function* () {
        yield* get({ query: { api_key: "QueryS3cret", page: 1 } })
        const [seen] = yield* Effect.flatMap(TestServer.TestServer, (s) => s.requests)

        const expected = `Basic ${Buffer.from("Sup3rS3cretKey:X").toString("base64")}`
        expect(seen?.headers.authorization).toBe(expected)
        const line = logs.lines.find((l) => l.message === "http request")
        expect(line?.annotations).toMatchObject({ "http.status": 200, "http.query": "api_key=<redacted>&page=1" })
        expect(String(line?.annotations["http.url"])).not.toContain("?")
        const leaked = logs.lines.filter((l) => /Sup3rS3cretKey|QueryS3cret|U3VwM3JTM2NyZXRLZXk6WA/.test(l.text))
        expect(leaked).toEqual([])
      }).pipe(
        Effect.provide(serve([{ body: [] }], { basicAuth: { username: key, password: Redacted.make("X") } })),
        Effect.provide(logs.layer)
      )
    })

    const permanent: ReadonlyArray<[number, string, Reason, Record<string, unknown>]> = [
      [
        401,
        '{"code":"invalid_credentials","message":"You have to be logged in."}',
        "Unauthorized",
        { code: "invalid_credentials" }
      ],
      [403, '{"code":"access_denied","message":"Not allowed."}', "Forbidden", { code: "access_denied" }],
      [404, "", "NotFound", {}],
      [
        400,
        '{"description":"Validation failed","errors":[{"field":"page","message":"Too far.","code":"invalid_value"}]}',
        "BadRequest",
        { fieldErrors: [{ field: "page", message: "Too far.", code: "invalid_value" }] }
      ]
    ]
    for (const [status, body, reason, fields] of permanent) {
      it.live(`fails a ${status} at once with reason ${reason} and the server's details`, () =>
        Effect.gen(function* () {
          const error = yield* failureOf(get({ query: { page: 301 } }))

          expect(error).toMatchObject({ reason, status, attempt: 1, stream: "items", ...fields })
          expect(error.url).not.toContain("?")
          expect(yield* requestCount).toBe(1)
        }).pipe(Effect.provide(serve([{ status, body }])))
      )
    }

    it.live("retries a burst of 5xx answers and then succeeds", () =>
      Effect.gen(function* () {
        const response = yield* get()
        const stats = yield* statsOf("items")

        expect(response.body).toEqual([1])
        expect(stats).toMatchObject({ requests: 4, retries: 3, credits: 4 })
      }).pipe(
        Effect.provide(
          serve([{ status: 502 }, { status: 503 }, { status: 500, body: { message: "x" } }, { body: [1] }])
        )
      )
    )

    it.live("gives up on a server error after maxAttempts", () =>
      Effect.gen(function* () {
        const error = yield* failureOf(get())

        expect(error).toMatchObject({ reason: "ServerError", status: 503, attempt: 3 })
        expect(yield* requestCount).toBe(3)
      }).pipe(Effect.provide(serve(() => ({ status: 503 }), { retry: { ...fastRetry, maxAttempts: 3 } })))
    )

    it.live("retries a connection reset before the answer", () =>
      Effect.gen(function* () {
        const response = yield* get()

        expect(response.body).toEqual({ ok: true })
        expect(yield* requestCount).toBe(2)
      }).pipe(Effect.provide(serve([{ reset: true }, { body: { ok: true } }])))
    )

    it.live("retries a body cut off mid-way as a malformed body", () =>
      Effect.gen(function* () {
        const response = yield* get()
        const stats = yield* statsOf("items")

        expect(response.body).toEqual([{ id: 1 }, { id: 2 }])
        expect(stats.retries).toBe(1)
      }).pipe(Effect.provide(serve([{ body: [{ id: 1 }, { id: 2 }], truncate: 9 }, { body: [{ id: 1 }, { id: 2 }] }])))
    )

    it.live("fails a body that never parses with reason MalformedBody", () =>
      Effect.gen(function* () {
        const error = yield* failureOf(get())

        expect(error).toMatchObject({ reason: "MalformedBody", status: 200, body: '[{"id":1},{"na' })
      }).pipe(Effect.provide(serve(() => ({ body: '[{"id":1},{"na' }), { retry: { ...fastRetry, maxAttempts: 2 } })))
    )

    it.live("times out a stalled answer and asks again", () =>
      Effect.gen(function* () {
        const response = yield* get()

        expect(response.body).toEqual([7])
        expect(yield* requestCount).toBe(2)
      }).pipe(Effect.provide(serve([{ stall: true }, { body: [7] }], { timeout: "300 millis" })))
    )

    it.live("times out an answer whose body stalls half-way and asks again", () =>
      Effect.gen(function* () {
        const response = yield* get()

        expect(response.body).toEqual([7])
        expect(yield* requestCount).toBe(2)
      }).pipe(Effect.provide(serve([{ body: [1, 2, 3], stallAfter: 3 }, { body: [7] }], { timeout: "300 millis" })))
    )

    it.live("obeys a 429's Retry-After and counts the wait", () =>
      Effect.gen(function* () {
        const started = Date.now()

        yield* get()
        const stats = yield* statsOf("items")
        const [first, second] = yield* Effect.flatMap(TestServer.TestServer, (s) => s.requests)

        expect(second!.at - first!.at).toBeGreaterThanOrEqual(390)
        expect(Date.now() - started).toBeGreaterThanOrEqual(400)
        expect(stats).toMatchObject({ responses429: 1, rateLimitWaits: 1, rateLimitWaitMillis: 400, retries: 1 })
      }).pipe(Effect.provide(serve([{ status: 429, headers: { "retry-after": "0.4" } }, { body: [] }])))
    )

    it.scoped("waits a 30-second Retry-After on the test clock before asking again", () =>
      Effect.gen(function* () {
        const fiber = yield* Effect.fork(get())
        yield* untilRequests(1)
        yield* TestClock.adjust("29 seconds")
        const early = yield* requestCount
        yield* TestClock.adjust("1 second")

        expect((yield* Fiber.join(fiber)).body).toEqual([1])
        expect(early).toBe(1)
      }).pipe(Effect.provide(serve([{ status: 429, headers: { "retry-after": "30" } }, { body: [1] }])))
    )

    it.live("fails a Retry-After longer than the longest allowed wait, naming it", () =>
      Effect.gen(function* () {
        const error = yield* failureOf(get())

        expect(error.reason).toBe("RateLimited")
        expect(error.message).toContain("longestRetryAfter")
        expect(error.message).toContain("2h")
        expect(yield* requestCount).toBe(1)
      }).pipe(Effect.provide(serve([{ status: 429, headers: { "retry-after": "7200" } }])))
    )

    it.live("counts requests, bytes and credits per stream", () =>
      Effect.gen(function* () {
        yield* get({ cost: 3 })
        yield* get({ stream: "other" })
        const items = yield* statsOf("items")
        const other = yield* statsOf("other")

        expect(items).toMatchObject({ requests: 1, credits: 3, bytes: 12 })
        expect(other).toMatchObject({ requests: 1, credits: 1, bytes: 12 })
      }).pipe(Effect.provide(serve(() => ({ body: '["abcdefgh"]' }))))
    )
  })
})

// polls the loopback server in real time until it has seen `n` requests (bounded)
const untilRequests = (n: number) =>
  Effect.gen(function* () {
    for (let i = 0; i < 500; i++) {
      if ((yield* requestCount) >= n) return
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 5)))
    }
    return yield* Effect.die(`the server saw fewer than ${n} requests`)
  })
