import { describe, expect, it } from "@effect/vitest"
import { fc, test } from "@fast-check/vitest"
import { Json } from "@landed/http-source"
import * as ndjson from "../../src/internal/ndjson.ts"

const lossless = fc
  .tuple(fc.integer(), fc.stringMatching(/^[0-9]{17,25}$/))
  .map(([whole, digits]) => new Json.LosslessNumber(`${whole}.${digits}`))

const value = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
    lossless,
    fc.string({ unit: "binary" }),
    fc.array(tie("json"), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie("json"), { maxKeys: 4 })
  )
})).json

describe("ndjson", () => {
  test.prop([value])("writes the same text as the lossless Json.stringify", (v) => {
    expect(ndjson.encode(v)).toBe(Json.stringify(v))
  })

  it("leaves out undefined members and writes dates as ISO strings", () => {
    expect(ndjson.encode({ a: undefined, b: [undefined], c: new Date(0) })).toBe(
      '{"b":[null],"c":"1970-01-01T00:00:00.000Z"}'
    )
  })
})
