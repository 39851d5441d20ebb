import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { formatIndia, formatTime } from "../../src/Records.ts"
import { isoTime, paging, readParams, rubyInt } from "../../src/internal/params.ts"

const params = (query: string) => readParams(new URLSearchParams(query))

describe("params", () => {
  describe("isoTime", () => {
    it("reads back every timestamp the simulator writes, in UTC or with an offset", () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), (seconds) => {
          const ms = seconds * 1000

          expect(isoTime(formatTime(ms))).toBe(ms)
          expect(isoTime(formatIndia(ms))).toBe(ms)
        })
      )
    })

    it("accepts dates, zone-less times and fractions, and refuses impossible dates", () => {
      const read = ["2024-02-29", "2024-01-01T10:00", "2024-01-01T10:00:00.250Z"].map(isoTime)
      const refused = ["2023-02-29", "2024-01-01T24:00:00Z", "yesterday", "2024-1-1"].map(isoTime)

      expect(read).toEqual([
        Date.parse("2024-02-29T00:00:00Z"),
        Date.parse("2024-01-01T10:00:00Z"),
        Date.parse("2024-01-01T10:00:00.250Z")
      ])
      expect(refused).toEqual([undefined, undefined, undefined, undefined])
    })
  })

  describe("paging", () => {
    it("reads integers the way ruby's to_i does", () => {
      const values = ["12abc", " 7", "-3", "abc", "", "+4"].map(rubyInt)

      expect(values).toEqual([12, 7, -3, 0, 0, 4])
    })

    it("falls back to page 1 and 30 rows, and clamps at 100", () => {
      const cases = ["", "page=-2&per_page=0", "page=3&per_page=250", "page=2x&per_page=5"]

      const read = cases.map((q) => paging(params(q)))

      expect(read).toEqual([
        { page: 1, perPage: 30 },
        { page: 1, perPage: 30 },
        { page: 3, perPage: 100 },
        { page: 2, perPage: 5 }
      ])
    })

    it("takes the last value of a repeated parameter", () => {
      expect(paging(params("page=2&page=5")).page).toBe(5)
    })
  })
})
