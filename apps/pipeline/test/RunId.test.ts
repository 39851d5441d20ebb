import { describe, expect, it } from "@effect/vitest"
import { fc, test } from "@fast-check/vitest"
import { Effect } from "effect"
import * as RunId from "../src/RunId.ts"

const second = fc.integer({ min: 0, max: 4_102_444_800 })
const suffix = fc.integer({ min: 0, max: 0xffffff })

describe("RunId", () => {
  it("formats the UTC start time and a hex suffix", () => {
    expect(RunId.format(new Date("2026-12-03T18:15:00.456Z"), 0x3fa2c1)).toBe("20261203T181500Z-3fa2c1")
  })

  test.prop([second, second, suffix, suffix])("sorts by start time", (a, b, x, y) => {
    fc.pre(a !== b)
    const ids = [RunId.format(new Date(a * 1000), x), RunId.format(new Date(b * 1000), y)]

    expect(ids[0]! < ids[1]!).toBe(a < b)
  })

  test.prop([second, suffix])("reads back its start time", (s, x) => {
    const id = RunId.format(new Date(s * 1000), x)

    expect(RunId.isRunId(id)).toBe(true)
    expect(RunId.startedAt(id).getTime()).toBe(s * 1000)
  })

  it.effect("makes a well-formed id from the clock", () =>
    Effect.gen(function* () {
      const id = yield* RunId.make

      expect(id).toMatch(/^19700101T000000Z-[0-9a-f]{6}$/)
    })
  )
})
