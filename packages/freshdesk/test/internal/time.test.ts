import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import * as Time from "../../src/internal/time.ts"

describe("time", () => {
  describe("normalize", () => {
    it("keeps a UTC timestamp as it is", () => {
      expect(Time.normalize("2022-11-16T15:59:28Z", false)).toBe("2022-11-16T15:59:28Z")
    })

    it("converts offsets to UTC", () => {
      expect(Time.normalize("2015-08-24T12:14:30+05:30", false)).toBe("2015-08-24T06:44:30Z")
      expect(Time.normalize("2015-08-24T23:00:00-0200", false)).toBe("2015-08-25T01:00:00Z")
      expect(Time.normalize("2015-08-24T10:00:00.250Z", false)).toBe("2015-08-24T10:00:00.250Z")
    })

    it("refuses impossible dates and times", () => {
      expect(Time.normalize("2022-02-29T00:00:00Z", false)).toBeUndefined()
      expect(Time.normalize("2022-13-01T00:00:00Z", false)).toBeUndefined()
      expect(Time.normalize("2022-01-01T24:00:00Z", false)).toBeUndefined()
      expect(Time.normalize("2022-01-01T10:00:00+25:00", false)).toBeUndefined()
      expect(Time.normalize("yesterday", false)).toBeUndefined()
    })

    it("accepts a leap day", () => {
      expect(Time.normalize("2024-02-29T00:00:00Z", false)).toBe("2024-02-29T00:00:00Z")
    })

    it("reads a date as UTC midnight only where dates are allowed", () => {
      expect(Time.normalize("2024-03-05", true)).toBe("2024-03-05T00:00:00Z")
      expect(Time.normalize("2024-03-05", false)).toBeUndefined()
    })

    it("agrees with Date on every instant", () => {
      fc.assert(
        fc.property(
          fc.date({
            min: new Date("1970-01-01T00:00:00Z"),
            max: new Date("2100-01-01T00:00:00Z"),
            noInvalidDate: true
          }),
          fc.integer({ min: -12 * 60, max: 14 * 60 }),
          (date, offset) => {
            const seconds = new Date(Math.floor(date.getTime() / 1000) * 1000)
            const local = new Date(seconds.getTime() + offset * 60_000).toISOString().slice(0, 19)
            const sign = offset < 0 ? "-" : "+"
            const two = (n: number) => String(n).padStart(2, "0")
            const minutes = Math.abs(offset)
            const zone = `${sign}${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`

            const normalized = Time.normalize(`${local}${zone}`, false)

            expect(normalized).toBe(`${seconds.toISOString().slice(0, 19)}Z`)
          }
        )
      )
    })
  })

  describe("toSeconds", () => {
    it("drops the milliseconds", () => {
      expect(Time.toSeconds(new Date("2024-01-02T03:04:05.678Z"))).toBe("2024-01-02T03:04:05Z")
    })
  })
})
