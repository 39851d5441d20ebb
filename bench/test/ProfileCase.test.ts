import assert from "node:assert/strict"
import { describe, it } from "node:test"
import type * as Profile from "../src/Profile.ts"
import * as ProfileCase from "../src/ProfileCase.ts"

describe("ProfileCase", () => {
  describe("unionMillis", () => {
    it("counts overlapping statements once", () => {
      const intervals = [
        { start: 0, end: 3000 },
        { start: 1000, end: 2000 },
        { start: 2500, end: 4000 },
        { start: 6000, end: 7000 }
      ]

      assert.equal(ProfileCase.unionMillis(intervals), 5)
    })
  })

  describe("wallOf", () => {
    it("splits idle samples by the DuckDB statement running then", () => {
      const attribution: Profile.Attribution = {
        totalMillis: 4,
        byCategory: {} as Profile.Attribution["byCategory"],
        topFrames: [],
        timeline: [
          { at: 500, millis: 1, category: "json" },
          { at: 1500, millis: 1, category: "idle" },
          { at: 2500, millis: 1, category: "idle" },
          { at: 3500, millis: 1, category: "idle" }
        ]
      }
      const statements = [
        { kind: "copy" as const, start: 1000, end: 2000 },
        { kind: "verify" as const, start: 2000, end: 3000 }
      ]

      const wall = ProfileCase.wallOf(attribution, statements)

      assert.deepEqual(wall, { json: 1, parquetNative: 1, verificationNative: 1, waiting: 1 })
    })
  })
})
