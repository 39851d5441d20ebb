import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Stats from "../src/Stats.ts"

describe("Stats", () => {
  describe("median", () => {
    it("takes the middle value of an odd count", () => {
      const values = [9, 1, 5]

      const result = Stats.median(values)

      assert.equal(result, 5)
    })

    it("takes the mean of the middle two of an even count", () => {
      const values = [4, 1, 3, 2]

      const result = Stats.median(values)

      assert.equal(result, 2.5)
    })

    it("is NaN for no values", () => {
      assert.ok(Number.isNaN(Stats.median([])))
    })
  })
})
