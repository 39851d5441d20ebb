import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { RawJson, RawNumber, stringify } from "../src/WireJson.ts"

describe("WireJson", () => {
  it("writes plain JSON exactly as JSON.stringify does", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(stringify(value)).toBe(JSON.stringify(value))
      }),
      { numRuns: 300 }
    )
  })

  it("writes bigints and raw numbers as bare digits", () => {
    const decimal = new RawNumber("12345.678901234567890123")

    const text = stringify({ a: 1847404637041218653n, b: decimal, c: [-5n] })

    expect(text).toBe('{"a":1847404637041218653,"b":12345.678901234567890123,"c":[-5]}')
  })

  it("splices raw JSON text verbatim", () => {
    const text = stringify({ id: new RawJson('"12"'), s: new RawJson('"\\ud800"'), ok: "\u0001R0" })

    expect(text).toBe('{"id":"12","s":"\\ud800","ok":"\\u0001R0"}')
  })
})
