import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as TestServer from "../src/TestServer.ts"

const fetchText = (url: string, init?: RequestInit) =>
  Effect.promise(async () => {
    const response = await fetch(url, init)
    return { status: response.status, text: await response.text(), headers: response.headers }
  })

describe("TestServer", () => {
  describe("start", () => {
    it.scopedLive("answers from a list in order and records what it saw", () =>
      Effect.gen(function* () {
        const server = yield* TestServer.start([{ body: [1] }, { status: 201, headers: { "x-a": "b" }, body: "raw" }])

        const first = yield* fetchText(`${server.url}/one?x=1`)
        const second = yield* fetchText(`${server.url}/two`, { method: "POST", body: "hi" })
        const third = yield* fetchText(`${server.url}/three`)
        const seen = yield* server.requests

        expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
        expect([first.text, second.status, second.text, second.headers.get("x-a")]).toEqual(["[1]", 201, "raw", "b"])
        expect(third.status).toBe(500)
        expect(seen.map((r) => [r.method, r.path, r.body])).toEqual([
          ["GET", "/one", ""],
          ["POST", "/two", "hi"],
          ["GET", "/three", ""]
        ])
        expect(seen[0]?.query).toEqual({ x: "1" })
      })
    )

    it.scopedLive("answers from a function of the request", () =>
      Effect.gen(function* () {
        const server = yield* TestServer.start((request, index) => ({ body: { path: request.path, index } }))

        const answer = yield* fetchText(`${server.url}/p`)

        expect(JSON.parse(answer.text)).toEqual({ path: "/p", index: 0 })
      })
    )

    it.scopedLive("drops the connection for a reset and after the bytes of a truncated body", () =>
      Effect.gen(function* () {
        const server = yield* TestServer.start([{ reset: true }, { body: "0123456789", truncate: 4 }])

        const reset = yield* Effect.either(Effect.tryPromise(() => fetch(server.url)))
        const cut = yield* Effect.either(
          Effect.tryPromise(async () => {
            const response = await fetch(server.url)
            return response.text()
          })
        )

        expect(reset._tag).toBe("Left")
        expect(cut._tag).toBe("Left")
      })
    )

    it.live("stops when its scope closes", () =>
      Effect.gen(function* () {
        const url = yield* Effect.scoped(Effect.map(TestServer.start([]), (server) => server.url))

        const after = yield* Effect.either(Effect.tryPromise(() => fetch(url)))

        expect(after._tag).toBe("Left")
      })
    )
  })
})
