import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Proc from "../src/Proc.ts"

describe("Proc", () => {
  describe("cpuOfStat", () => {
    it("reads user and system time after a command name holding spaces and parentheses", () => {
      const stat = "42 (node (x) y) S 1 42 42 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 11 0"

      const cpu = Proc.cpuOfStat(stat, 100)

      assert.deepEqual(cpu, { user: 2500, system: 500 })
    })
  })

  describe("read", () => {
    it("reports this process's peak memory and CPU time", () => {
      const reading = Proc.read(process.pid)

      assert.ok(reading !== undefined && reading.peakRssBytes > 1e6)
    })

    it("is undefined for a process that is gone", () => {
      assert.equal(Proc.read(2 ** 22 + 12345), undefined)
    })
  })
})
