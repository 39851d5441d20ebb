import { fc } from "@fast-check/vitest"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Either, Order, Stream } from "effect"
import type { HttpSourceError } from "../src/HttpSourceError.ts"
import type { JsonValue } from "../src/Json.ts"
import * as Paginator from "../src/Paginator.ts"
import * as SourceStats from "../src/SourceStats.ts"
import * as TestServer from "../src/TestServer.ts"
import * as FakeList from "./support/FakeList.ts"
import * as Logs from "./support/Logs.ts"

type Record = { readonly id: number; readonly updated_at: number }

const serve = (script: TestServer.Script) => TestServer.layerSource(script, { source: { retry: { maxAttempts: 1 } } })

const collect = <A, R>(stream: Stream.Stream<A, HttpSourceError, R>) =>
  Effect.map(Stream.runCollect(stream), Chunk.toArray)

const itemsOf = (pages: ReadonlyArray<Paginator.Page>) => pages.flatMap((page) => page.items)

const seenUrls = Effect.flatMap(TestServer.TestServer, (server) =>
  Effect.map(server.requests, (requests) => requests.map((r) => r.url))
)

const failureOf = <A, R>(stream: Stream.Stream<A, HttpSourceError, R>) =>
  Effect.flatMap(Effect.either(Stream.runCollect(stream)), (result) =>
    Either.isLeft(result) ? Effect.succeed(result.left) : Effect.die("expected the stream to fail")
  )

// a list API paged by `?page=N` with a Link header while more pages follow
const numbered =
  (list: ReadonlyArray<number>, perPage: number): TestServer.Handler =>
  (request) => {
    const page = Number(request.query.page ?? "1")
    const more = list.length > page * perPage
    const link = `<http://${request.headers.host}${request.path}?page=${page + 1}>; rel="next"`
    return { body: list.slice((page - 1) * perPage, page * perPage), headers: more ? { link } : {} }
  }

const keysetOptions = (perPage: number, extra: Partial<Paginator.KeysetOptions<number>> = {}) => ({
  request: (cursor: number | undefined, page: number) => ({
    stream: "records",
    path: "/records",
    query: { since: cursor, page, per_page: perPage }
  }),
  cursorOf: (item: JsonValue) => (item as Record).updated_at,
  idOf: (item: JsonValue) => String((item as Record).id),
  order: Order.number,
  perPage,
  ...extra
})

describe("Paginator", () => {
  describe("linkHeader", () => {
    it.live("follows the Link next URL until an answer has none", () =>
      Effect.gen(function* () {
        const pages = yield* collect(Paginator.linkHeader({ request: { stream: "s", path: "/list" } }))

        expect(itemsOf(pages)).toEqual([1, 2, 3, 4, 5])
        expect(pages.map((p) => p.number)).toEqual([1, 2, 3])
        expect(yield* seenUrls).toEqual(["/list", "/list?page=2", "/list?page=3"])
      }).pipe(Effect.provide(serve(numbered([1, 2, 3, 4, 5], 2))))
    )

    it.live("fails with RepeatedCursor when a next URL repeats a page already read", () =>
      Effect.gen(function* () {
        const error = yield* failureOf(Paginator.linkHeader({ request: { stream: "s", path: "/list" } }))

        expect(error.reason).toBe("RepeatedCursor")
        expect(yield* seenUrls).toHaveLength(2)
      }).pipe(
        Effect.provide(
          serve((request) => ({
            body: [1],
            headers: { link: `<http://${request.headers.host}/list?page=2>; rel="next"` }
          }))
        )
      )
    )

    it.live("finds rel=next among several links and resolves a relative target", () =>
      Effect.gen(function* () {
        const pages = yield* collect(Paginator.linkHeader({ request: { stream: "s", path: "/a" } }))

        expect(itemsOf(pages)).toEqual([1, 2])
        expect(yield* seenUrls).toEqual(["/a", "/b?x=1"])
      }).pipe(
        Effect.provide(
          serve([{ body: [1], headers: { link: '</first>; rel="first", </b?x=1>; rel="next"' } }, { body: [2] }])
        )
      )
    )
  })

  describe("pageNumber", () => {
    it("reassembles the list from its pages", async () => {
      const property = fc.asyncProperty(
        fc.array(fc.integer(), { maxLength: 60 }),
        fc.integer({ min: 1, max: 12 }),
        async (list, perPage) => {
          const program = Effect.gen(function* () {
            const pages = yield* collect(Paginator.pageNumber({ request: { stream: "s", path: "/list" }, perPage }))
            return { items: itemsOf(pages), requests: (yield* seenUrls).length }
          })

          const { items, requests } = await Effect.runPromise(Effect.provide(program, serve(numbered(list, perPage))))

          expect(items).toEqual(list)
          expect(requests).toBeLessThanOrEqual(Math.floor(list.length / perPage) + 1)
        }
      )
      await fc.assert(property, { numRuns: 30 })
    })

    it.live("stops on a short page when Link headers are ignored", () =>
      Effect.gen(function* () {
        const pages = yield* collect(
          Paginator.pageNumber({ request: { stream: "s", path: "/l" }, perPage: 2, link: "ignored", pageParam: "p" })
        )

        expect(itemsOf(pages)).toEqual([1, 2, 3])
        expect(yield* seenUrls).toEqual(["/l?p=1&per_page=2", "/l?p=2&per_page=2"])
      }).pipe(Effect.provide(serve([{ body: [1, 2] }, { body: [3] }])))
    )

    it.live("fails with RepeatedCursor when the server ignores the page parameter", () =>
      Effect.gen(function* () {
        const error = yield* failureOf(Paginator.pageNumber({ request: { stream: "s", path: "/l" }, perPage: 2 }))

        expect(error.reason).toBe("RepeatedCursor")
        expect(error.message).toContain("same body")
      }).pipe(Effect.provide(serve(() => ({ body: [1, 2] }))))
    )

    it.live("fails with PageCapReached when more pages follow the cap", () =>
      Effect.gen(function* () {
        const stream = Paginator.pageNumber({ request: { stream: "s", path: "/l" }, perPage: 1, pageCap: 3 })

        const error = yield* failureOf(stream)

        expect(error.reason).toBe("PageCapReached")
        expect(yield* seenUrls).toHaveLength(3)
      }).pipe(Effect.provide(serve(numbered([1, 2, 3, 4, 5], 1))))
    )
  })

  describe("offset", () => {
    it.live("moves the offset by the limit until a short page", () =>
      Effect.gen(function* () {
        const pages = yield* collect(Paginator.offset({ request: { stream: "s", path: "/o" }, limit: 2 }))

        expect(itemsOf(pages)).toEqual(["a", "b", "c", "d", "e"])
        expect(yield* seenUrls).toEqual(["/o?offset=0&limit=2", "/o?offset=2&limit=2", "/o?offset=4&limit=2"])
      }).pipe(Effect.provide(serve([{ body: ["a", "b"] }, { body: ["c", "d"] }, { body: ["e"] }])))
    )
  })

  describe("cursorToken", () => {
    const next = (response: { readonly body: JsonValue }) => (response.body as { next?: string }).next
    const items = (body: JsonValue) => (body as { data: ReadonlyArray<JsonValue> }).data

    it.live("sends each named token until an answer names none", () =>
      Effect.gen(function* () {
        const pages = yield* collect(Paginator.cursorToken({ request: { stream: "s", path: "/c" }, next, items }))

        expect(itemsOf(pages)).toEqual([1, 2, 3])
        expect(yield* seenUrls).toEqual(["/c", "/c?cursor=t1", "/c?cursor=t2"])
      }).pipe(
        Effect.provide(
          serve([{ body: { data: [1], next: "t1" } }, { body: { data: [2], next: "t2" } }, { body: { data: [3] } }])
        )
      )
    )

    it.live("fails with RepeatedCursor when a token comes back", () =>
      Effect.gen(function* () {
        const error = yield* failureOf(Paginator.cursorToken({ request: { stream: "s", path: "/c" }, next, items }))

        expect(error).toMatchObject({ reason: "RepeatedCursor", cursor: "t1" })
      }).pipe(Effect.provide(serve(() => ({ body: { data: [1], next: "t1" } }))))
    )
  })

  describe("keyset", () => {
    it.live("restarts from the last record's cursor after every page", () => {
      const list = FakeList.make([1, 2, 3, 4, 5, 6, 7])
      return Effect.gen(function* () {
        const pages = yield* collect(Paginator.keyset(keysetOptions(3)))

        expect(itemsOf(pages).map((r) => (r as Record).updated_at)).toEqual([1, 2, 3, 4, 5, 6, 7])
        expect(pages.map((p) => p.cursor)).toEqual([3, 5, 7, 7])
        expect(yield* seenUrls).toEqual([
          "/records?page=1&per_page=3",
          "/records?since=3&page=1&per_page=3",
          "/records?since=5&page=1&per_page=3",
          "/records?since=7&page=1&per_page=3"
        ])
      }).pipe(Effect.provide(serve(list.handler)))
    })

    it.live("pages through a tie run longer than a page and reads it again until two passes agree", () => {
      const list = FakeList.make([1, 5, 5, 5, 5, 5, 5, 5, 9])
      return Effect.gen(function* () {
        const pages = yield* collect(Paginator.keyset(keysetOptions(3, { start: 5 })))
        const stats = yield* Effect.flatMap(SourceStats.SourceStats, (s) => s.snapshot)

        expect(
          itemsOf(pages)
            .map((r) => (r as Record).id)
            .sort((a, b) => a - b)
        ).toEqual([2, 3, 4, 5, 6, 7, 8, 9])
        expect((yield* seenUrls).filter((url) => url.startsWith("/records?since=5"))).toEqual([
          "/records?since=5&page=1&per_page=3",
          "/records?since=5&page=2&per_page=3",
          "/records?since=5&page=3&per_page=3",
          "/records?since=5&page=1&per_page=3",
          "/records?since=5&page=2&per_page=3",
          "/records?since=5&page=3&per_page=3"
        ])
        expect(stats.get("records")).toMatchObject({ records: 8, duplicates: 8 })
        expect(pages.map((p) => p.cursor)).toEqual([5, 5, 5, 5, 5, 9])
      }).pipe(Effect.provide(serve(list.handler)))
    })

    it.live("fails with PageCapReached when more records share one cursor value than the cap reaches", () => {
      const list = FakeList.make(
        Array.from({ length: 10 }, () => 4),
        { pageCap: 3 }
      )
      return Effect.gen(function* () {
        const error = yield* failureOf(Paginator.keyset(keysetOptions(3, { start: 4, pageCap: 3 })))

        expect(error.reason).toBe("PageCapReached")
        expect(error.message).toContain("more than 9 records")
        expect(error.cursor).toBe("4")
      }).pipe(Effect.provide(serve(list.handler)))
    })

    it.live("fails with NoProgress when a restart returns records before its cursor", () => {
      const list = FakeList.make([1, 2, 3, 4, 5, 6], { ignoreSince: true })
      return Effect.gen(function* () {
        const error = yield* failureOf(Paginator.keyset(keysetOptions(2)))

        expect(error.reason).toBe("NoProgress")
        expect(yield* seenUrls).toHaveLength(2)
      }).pipe(Effect.provide(serve(list.handler)))
    })

    it.live("stops before the first record at or past until, whose cursor is safe to resume from", () => {
      const list = FakeList.make([1, 2, 3, 4, 5, 6, 7, 8])
      return Effect.gen(function* () {
        const pages = yield* collect(Paginator.keyset(keysetOptions(2, { start: 2, until: 5 })))

        expect(itemsOf(pages).map((r) => (r as Record).updated_at)).toEqual([2, 3, 4])
        expect(pages[pages.length - 1]?.cursor).toBe(5)
      }).pipe(Effect.provide(serve(list.handler)))
    })

    it.live("logs why it stopped", () => {
      const logs = Logs.capture()
      return Effect.gen(function* () {
        yield* collect(Paginator.keyset(keysetOptions(5)))

        const line = logs.lines.find((l) => l.message === "paginator stopped")
        expect(line?.annotations).toMatchObject({ "paginator.kind": "keyset", "paginator.reason": "short page" })
      }).pipe(Effect.provide(serve(FakeList.make([1, 2, 3]).handler)), Effect.provide(logs.layer))
    })

    it("returns every record that existed throughout while the list changes between requests", async () => {
      const change: fc.Arbitrary<FakeList.Change> = fc.oneof(
        { arbitrary: fc.constant({ _tag: "None" as const }), weight: 6 },
        fc.record({ _tag: fc.constant("Insert" as const), ahead: fc.constantFrom(0 as const, 1 as const) }),
        fc.record({
          _tag: fc.constant("Update" as const),
          pick: fc.nat(),
          ahead: fc.constantFrom(0 as const, 1 as const)
        }),
        fc.record({ _tag: fc.constant("Delete" as const), pick: fc.nat() })
      )
      const property = fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 40 }),
        fc.array(change, { maxLength: 60 }),
        fc.integer({ min: 2, max: 5 }),
        async (initial, changes, perPage) => {
          // changes stop after the tenth, so every tie run settles within its passes
          const bounded = changes.filter((c) => c._tag !== "None").length > 10 ? changes.slice(0, 10) : changes
          const list = FakeList.make(initial, { changes: bounded })
          const before = new Set(list.rows.map((row) => row.id))
          const stream = Paginator.keyset(keysetOptions(perPage, { maxTiePasses: 20 }))

          const pages = await Effect.runPromise(Effect.provide(collect(stream), serve(list.handler)))

          const emitted = itemsOf(pages) as unknown as ReadonlyArray<Record>
          const ids = new Set(emitted.map((r) => r.id))
          const throughout = list.rows.filter((row) => before.has(row.id)).map((row) => row.id)
          expect(throughout.filter((id) => !ids.has(id))).toEqual([])
          const keys = emitted.map((r) => `${r.id}@${r.updated_at}`)
          expect(new Set(keys).size).toBe(keys.length)
        }
      )
      await fc.assert(property, { numRuns: 40 })
    })
  })
})
