import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Either, Option, Stream } from "effect"
import { HttpSourceError } from "../src/HttpSourceError.ts"
import * as RateBudget from "../src/RateBudget.ts"
import * as TimeWindow from "../src/TimeWindow.ts"
import * as Logs from "./support/Logs.ts"

const at = (iso: string) => new Date(iso)

const pageCap = new HttpSourceError({ reason: "PageCapReached", message: "cap", method: "GET", url: "http://h/x" })

const collect = <A, E>(stream: Stream.Stream<TimeWindow.Event<A>, E>) =>
  Effect.map(Stream.runCollect(stream), Chunk.toArray)

describe("TimeWindow", () => {
  describe("split", () => {
    test.prop([
      fc.date({ min: new Date("2000-01-01"), max: new Date("2030-01-01"), noInvalidDate: true }),
      fc.integer({ min: 1, max: 2_000_000 }),
      fc.integer({ min: 0, max: 200 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })
    ])("covers the range exactly once with windows no longer than the step", (start, step, whole, part) => {
      const length = whole * step + Math.floor(part * step)
      const range = { start, end: new Date(start.getTime() + length) }

      const windows = TimeWindow.split(range, step)

      expect(windows[0]?.start ?? range.end).toEqual(range.start)
      expect(windows[windows.length - 1]?.end ?? range.start).toEqual(range.end)
      windows.slice(1).forEach((w, i) => {
        expect(w.start).toEqual(windows[i]!.end)
      })
      const lengths = windows.map((w) => w.end.getTime() - w.start.getTime())
      expect(lengths.every((l) => l > 0 && l <= step)).toBe(true)
      expect(lengths.reduce((a, b) => a + b, 0)).toBe(length)
    })

    it("gives no window for an empty range and refuses a step that is not positive", () => {
      const range = { start: at("2024-01-02T00:00:00Z"), end: at("2024-01-01T00:00:00Z") }

      expect(TimeWindow.split(range, "1 day")).toEqual([])
      expect(() => TimeWindow.split(range, 0)).toThrow(RangeError)
    })
  })

  describe("halve", () => {
    it("splits at the middle, and not below the smallest window", () => {
      const day = { start: at("2024-01-01T00:00:00Z"), end: at("2024-01-02T00:00:00Z") }

      const halves = TimeWindow.halve(day)

      expect(Option.getOrThrow(halves)[0].end).toEqual(at("2024-01-01T12:00:00Z"))
      expect(Option.getOrThrow(halves)[1]).toEqual({ start: at("2024-01-01T12:00:00Z"), end: day.end })
      expect(TimeWindow.halve(day, "1 day")).toEqual(Option.none())
    })
  })

  describe("read", () => {
    const windows = TimeWindow.split({ start: at("2024-01-01T00:00:00Z"), end: at("2024-01-04T00:00:00Z") }, "1 day")
    const startOf = (w: TimeWindow.Window) => w.start.toISOString().slice(0, 10)

    it.live("marks each window complete after its items, with the end of the leading completed windows", () =>
      Effect.gen(function* () {
        // the first window is the slowest, so the later ones complete before it
        const read = (w: TimeWindow.Window) =>
          Stream.fromEffect(Effect.as(Effect.sleep(w === windows[0] ? "60 millis" : "5 millis"), startOf(w)))

        const events = yield* collect(TimeWindow.read({ windows, concurrency: 3, read }))

        const completions = events.filter((e) => e._tag === "WindowComplete")
        expect(completions.map((e) => [startOf(e.window), e.completedThrough.toISOString().slice(0, 10)])).toEqual([
          ["2024-01-02", "2024-01-01"],
          ["2024-01-03", "2024-01-01"],
          ["2024-01-01", "2024-01-04"]
        ])
        for (const w of windows) {
          const item = events.findIndex((e) => e._tag === "Item" && e.window === w)
          const done = events.findIndex((e) => e._tag === "WindowComplete" && e.window === w)
          expect(item).toBeLessThan(done)
        }
      })
    )

    it.live("reads as many windows at once as the budget keeps requests in flight", () =>
      Effect.gen(function* () {
        let open = 0
        let peak = 0
        const read = () =>
          Stream.fromEffect(
            Effect.acquireUseRelease(
              Effect.sync(() => {
                open += 1
                peak = Math.max(peak, open)
              }),
              () => Effect.sleep("20 millis"),
              () => Effect.sync(() => (open -= 1))
            )
          )
        const many = TimeWindow.split({ start: at("2024-01-01T00:00:00Z"), end: at("2024-01-11T00:00:00Z") }, "1 day")

        yield* collect(TimeWindow.read({ windows: many, concurrency: "budget", read }))

        expect(peak).toBe(3)
      }).pipe(Effect.provide(RateBudget.layer({ maxInFlight: 3 })))
    )

    it.live("splits a window whose read hits a page cap and completes it once", () => {
      const logs = Logs.capture()
      return Effect.gen(function* () {
        const day = [windows[0]!]
        // a window longer than six hours holds more records than the cap allows
        const read = (w: TimeWindow.Window) =>
          w.end.getTime() - w.start.getTime() > 6 * 3600_000
            ? Stream.concat(Stream.succeed("partial"), Stream.fail(pageCap))
            : Stream.succeed(w.start.toISOString().slice(11, 16))

        const events = yield* collect(TimeWindow.read({ windows: day, concurrency: 1, read }))

        const values = events.flatMap((e) => (e._tag === "Item" ? [e.value] : []))
        expect(values.filter((v) => v !== "partial")).toEqual(["00:00", "06:00", "12:00", "18:00"])
        expect(events.filter((e) => e._tag === "WindowComplete")).toHaveLength(1)
        expect(logs.lines.filter((l) => l.message === "time window split after a page cap")).toHaveLength(3)
      }).pipe(Effect.provide(logs.layer))
    })

    it.live("fails when a window at the smallest size still hits the cap, or on any other error", () =>
      Effect.gen(function* () {
        const capped = TimeWindow.read({
          windows,
          concurrency: 1,
          read: () => Stream.fail(pageCap),
          smallestWindow: "1 day"
        })
        const other = new HttpSourceError({ reason: "Forbidden", message: "no", method: "GET", url: "http://h/x" })
        let reads = 0
        const failing = TimeWindow.read({
          windows,
          concurrency: 1,
          read: () =>
            Stream.suspend(() => {
              reads += 1
              return Stream.fail(other)
            })
        })

        const first = yield* Effect.either(Stream.runDrain(capped))
        const second = yield* Effect.either(Stream.runDrain(failing))

        expect(Either.getLeft(first)).toEqual(Option.some(pageCap))
        expect(Either.getLeft(second)).toEqual(Option.some(other))
        expect(reads).toBe(1)
      })
    )
  })
})
