import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import * as Json from "../src/Json.ts"

describe("Json", () => {
  describe("parse", () => {
    it("keeps an integer above 2^53 exactly as a bigint", () => {
      const value = Json.parse('{"org_contact_id":1847404637041218601}') as { org_contact_id: bigint }

      expect(value.org_contact_id).toBe(1847404637041218601n)
    })

    it("keeps safe integers as numbers", () => {
      expect(Json.parse("[67013469919, -3, 0]")).toEqual([67013469919, -3, 0])
    })

    it("keeps the digits of a decimal a double cannot hold", () => {
      const value = Json.parse('{"d":1.23456789012345678901234}') as { d: Json.LosslessNumber }

      expect(Json.isLosslessNumber(value.d)).toBe(true)
      expect(value.d.toString()).toBe("1.23456789012345678901234")
    })

    it("reads long digit runs inside strings as text, beside a long number outside them", () => {
      const text = '{"note":"call 12345678901234567890, \\"ref 98765432109876543210\\"","n":98765432109876543210}'

      expect(Json.parse(text)).toEqual({
        note: 'call 12345678901234567890, "ref 98765432109876543210"',
        n: 98765432109876543210n
      })
    })

    it("keeps a string that holds the parser's mark as it is", () => {
      const text = '["\\u0001#12345678901234567890", 12345678901234567890]'

      expect(Json.parse(text)).toEqual(["\u0001#12345678901234567890", 12345678901234567890n])
    })

    it("keeps long numbers under a __proto__ key as an own property", () => {
      const value = Json.parse('{"__proto__":12345678901234567890}') as Record<string, unknown>

      expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
      expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toBe(12345678901234567890n)
    })

    it("refuses a long token that is not a JSON number", () => {
      expect(() => Json.parse("[1234567890-1234567890]")).toThrow(SyntaxError)
      expect(() => Json.parse("[01234567890123456789]")).toThrow(SyntaxError)
    })

    it("throws a SyntaxError on a body cut off mid-JSON", () => {
      expect(() => Json.parse('[{"id":1},{"id":12345678901234567')).toThrow(SyntaxError)
      expect(() => Json.parse('[{"id":1},{"na')).toThrow(SyntaxError)
    })
  })

  describe("stringify", () => {
    it("writes bigints and lossless numbers as bare digits", () => {
      const text = Json.stringify({ a: 1847404637041218601n, b: new Json.LosslessNumber("0.100000000000000000001") })

      expect(text).toBe('{"a":1847404637041218601,"b":0.100000000000000000001}')
    })

    it("leaves a string that looks like the marker alone", () => {
      expect(Json.stringify({ s: "#123" })).toBe('{"s":"#123"}')
    })
  })

  test.prop([fc.jsonValue()])("round-trips any JSON value through parse and stringify", (value) => {
    const text = JSON.stringify(value)

    expect(Json.stringify(Json.parse(text))).toBe(text)
  })

  test.prop([
    fc.jsonValue(),
    fc.array(fc.bigInt({ min: 2n ** 53n + 1n, max: 2n ** 70n }), { minLength: 1, maxLength: 4 })
  ])("reads what lossless-json reads, long numbers among any values", (value, bigs) => {
    const text = Json.stringify({ value, bigs, decimal: new Json.LosslessNumber("0.12345678901234567890123") })

    expect(Json.stringify(Json.parse(text))).toBe(text)
  })

  test.prop([fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })])("round-trips every 64-bit integer", (n) => {
    const text = `{"id":${n}}`

    expect(Json.stringify(Json.parse(text))).toBe(text)
  })

  test.prop([fc.array(fc.string(), { maxLength: 20 }), fc.nat(), fc.bigInt({ min: 2n ** 53n + 1n, max: 2n ** 64n })])(
    "keeps an unsafe integer wherever it sits among other values",
    (strings, at, big) => {
      const values: Array<unknown> = [...strings]
      values.splice(at % (values.length + 1), 0, big)
      const text = Json.stringify(values)

      expect(Json.parse(text)).toEqual(values)
    }
  )
})
