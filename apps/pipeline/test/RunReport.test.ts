import { describe, expect, it } from "@effect/vitest"
import * as RunReport from "../src/RunReport.ts"

const stream = (status: RunReport.Status, rejects = 0) => ({ status, rejects })

describe("RunReport", () => {
  describe("exitCode", () => {
    it("is 0 when every stream committed", () => {
      expect(RunReport.exitCode([stream("committed"), stream("committed")])).toBe(0)
    })

    it("takes the first of 1, 5 and 4 that applies", () => {
      expect(RunReport.exitCode([stream("committed", 2), stream("locked"), stream("failed")])).toBe(1)
      expect(RunReport.exitCode([stream("committed", 2), stream("locked")])).toBe(5)
      expect(RunReport.exitCode([stream("committed", 2), stream("committed")])).toBe(4)
    })

    it("is 143 after SIGTERM and 130 after SIGINT", () => {
      expect(RunReport.exitCode([stream("interrupted")], "SIGTERM")).toBe(143)
      expect(RunReport.exitCode([stream("interrupted")], "SIGINT")).toBe(130)
    })
  })
})
