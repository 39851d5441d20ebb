import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { BenchError } from "../src/BenchError.ts"
import * as Settings from "../src/Settings.ts"

describe("Settings", () => {
  describe("fromArgs", () => {
    it("runs every case three times in one-minute windows by default", () => {
      const settings = Settings.fromArgs([])

      assert.deepEqual(settings, { cases: Settings.caseNames, runs: 3, windowMs: 60_000, scale: 1, seed: 7 })
    })

    it("keeps the named cases, in the bench's order", () => {
      const settings = Settings.fromArgs(["--case", "rate,cpu", "--case", "memory"])

      assert.deepEqual(settings.cases, ["cpu", "memory", "rate"])
    })

    it("refuses an unknown case by name", () => {
      assert.throws(
        () => Settings.fromArgs(["--case", "disk"]),
        (error: unknown) =>
          error instanceof BenchError && error.reason === "InvalidArguments" && /disk/.test(error.message)
      )
    })
  })
})
