import { describe, expect, it } from "@effect/vitest"
import { fc, test } from "@fast-check/vitest"
import * as Dataset from "../src/Dataset.ts"

const instant = fc.date({
  min: new Date("1990-01-01T00:00:00Z"),
  max: new Date("2090-01-01T00:00:00Z"),
  noInvalidDate: true
})
const offsetMinutes = fc.integer({ min: -12 * 60, max: 14 * 60 })

const withOffset = (date: Date, minutes: number) => {
  const local = new Date(date.getTime() + minutes * 60_000).toISOString().slice(0, 19)
  const sign = minutes < 0 ? "-" : "+"
  const abs = Math.abs(minutes)
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`
}

describe("Dataset", () => {
  test.prop([instant, offsetMinutes])(
    "partitions a timestamp by its UTC month whatever its offset",
    (date, minutes) => {
      const text = withOffset(date, minutes)

      expect(Dataset.utcMonth(text)).toBe(new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().slice(0, 7))
    }
  )

  it("has no month for a missing or invalid timestamp", () => {
    expect([Dataset.utcMonth(null), Dataset.utcMonth("yesterday")]).toEqual([null, null])
  })

  it("names files by run and a zero-padded sequence", () => {
    expect(Dataset.partFileName("20261203T181500Z-3fa2c1", 7)).toBe("part-20261203T181500Z-3fa2c1-00007.parquet")
  })
})
