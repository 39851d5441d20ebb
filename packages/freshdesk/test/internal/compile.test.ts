import { describe, expect, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"
import fc from "fast-check"
import * as Columns from "../../src/Columns.ts"
import * as Compile from "../../src/internal/compile.ts"
import * as Schemas from "../../src/Schemas.ts"

const anyDate = fc.date({ noInvalidDate: true, min: new Date(0), max: new Date("2100-01-01") })

const validTimestamp = fc.oneof(
  fc.constantFrom("2024-01-02T03:04:05Z", "2024-01-02T03:04:05+05:30", "2024-01-02T03:04:05.5-02"),
  anyDate.map((d) => d.toISOString())
)

const anyValue = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 63n }),
  fc.double(),
  fc.string(),
  fc.boolean(),
  fc.constantFrom(0, 1, "2024-02-30T00:00:00Z", "2024-01-02", "soon"),
  validTimestamp,
  fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 3 })
)

const typed: Record<string, fc.Arbitrary<unknown>> = {
  BIGINT: fc.oneof(fc.integer(), fc.bigInt({ min: 2n ** 53n, max: 2n ** 63n })),
  VARCHAR: fc.string(),
  BOOLEAN: fc.boolean(),
  TIMESTAMPTZ: validTimestamp,
  "VARCHAR[]": fc.array(fc.string(), { maxLength: 3 }),
  "BIGINT[]": fc.array(fc.integer(), { maxLength: 3 }),
  JSON: fc.jsonValue()
}

const nested = fc.constantFrom({}, { id: 1, name: "n", phone: 5 }, [{ company_id: 2 }, 3])

// a value of the column's type, or null, or a nested shape for struct columns
const valueFor = (type: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: typed[type] ?? nested
    },
    { weight: 1, arbitrary: fc.constant(null) }
  )

// a record of the right types, then maybe one field (or an unknown one) set to
// anything
const recordFor = (schema: Schema.Schema.AnyNoContext) => {
  const columns = Columns.fromSchema(schema, "x")
  const fields = Object.fromEntries(columns.map((column) => [column.name, valueFor(column.type)]))
  const valid = fc.record(fields, { requiredKeys: ["id", "created_at", "updated_at"] })
  const names = [...columns.map((column) => column.name), "unknown_field"]
  const change = fc.option(fc.tuple(fc.constantFrom(...names), anyValue))
  return fc
    .tuple(valid, change)
    .map(([record, patch]) => (patch === null ? record : { ...record, [patch[0]]: patch[1] }))
}

const entities: Record<string, Schema.Schema.AnyNoContext> = {
  Ticket: Schemas.Ticket,
  Contact: Schemas.Contact,
  Company: Schemas.Company,
  Agent: Schemas.Agent,
  Group: Schemas.Group,
  Role: Schemas.Role,
  Product: Schemas.Product,
  TimeEntry: Schemas.TimeEntry
}

describe("compile", () => {
  describe("decoder", () => {
    for (const [name, schema] of Object.entries(entities)) {
      it(`agrees with the schema's own decoder on ${name} records`, () => {
        const full = ParseResult.decodeUnknownEither(schema)
        const fast = Compile.compile(schema.ast)
        expect(fast).toBeDefined()

        fc.assert(
          fc.property(recordFor(schema), (record) => {
            const expected = full(record)
            const actual = fast!(record)

            if (Either.isRight(expected)) expect(actual).toStrictEqual(expected.right)
            else expect(actual).toBe(Compile.Invalid)
          }),
          { numRuns: 300 }
        )
      })
    }

    it("gives up on node kinds it does not support", () => {
      const refined = Schema.Struct({ n: Schema.Number.pipe(Schema.int()) })

      expect(Compile.compile(refined.ast)).toBeUndefined()
    })

    it("falls back to the full decoder for the issue", () => {
      const full = ParseResult.decodeUnknownEither(Schemas.Product)
      const decode = Compile.decoder(Schemas.Product.ast, full)

      const result = decode({ id: "1" })

      expect(Either.isLeft(result)).toBe(true)
    })
  })
})
