/**
 * Field types shared by the entity schemas: strict where a wrong value would
 * corrupt the dataset (ids, timestamps), lenient exactly where Freshdesk is
 * known to be inconsistent (freshdesk-api.md section 6). Each carries a `title`
 * that rejection reasons quote and, where it is not a plain keyword, its DuckDB
 * column type.
 */
import type { Json } from "@landed/http-source"
import { ParseResult, Schema } from "effect"
import { ColumnType } from "../Columns.ts"
import * as Time from "./time.ts"

const isInteger = (u: unknown): u is number | bigint =>
  (typeof u === "number" && Number.isSafeInteger(u)) || typeof u === "bigint"

/** A 64-bit id: a safe integer or a `bigint` (never rounded). */
export const Id = Schema.declare(isInteger, { title: "an integer id", [ColumnType]: "BIGINT" })

/** Any other integer (codes, counts). */
export const Integer = Schema.declare(isInteger, { title: "an integer", [ColumnType]: "BIGINT" })

/** Text. */
export const Text = Schema.String.annotations({ title: "a string" })

const TextOrNumber = Schema.Union(Schema.String, Schema.Number, Schema.BigIntFromSelf)

/** Text that old payloads send as a number (phone numbers in documentation examples). */
export const LenientText = Schema.transform(TextOrNumber, Text, {
  strict: true,
  decode: (value) => (typeof value === "string" ? value : String(value)),
  encode: (value) => value
}).annotations({ title: "a string or a number" })

/** A boolean. */
export const Bool = Schema.Boolean.annotations({ title: "a boolean" })

const BoolOrBit = Schema.Union(Schema.Boolean, Schema.Literal(0, 1))

/** A boolean that real payloads send as 0/1 (groups' `auto_ticket_assign`). */
export const LenientBool = Schema.transform(BoolOrBit, Bool, {
  strict: true,
  decode: (value) => value === true || value === 1,
  encode: (value) => value
}).annotations({ title: "a boolean or 0/1" })

const TimestampText = Schema.String.annotations({ [ColumnType]: "TIMESTAMPTZ" })

const timestamp = (dates: boolean, title: string) =>
  Schema.transformOrFail(Schema.String, TimestampText, {
    strict: true,
    decode: (text, _options, ast) => {
      const normalized = Time.normalize(text, dates)
      return normalized === undefined
        ? ParseResult.fail(new ParseResult.Type(ast, text))
        : ParseResult.succeed(normalized)
    },
    encode: ParseResult.succeed
  }).annotations({ title })

/** An ISO-8601 date-time with `Z` or an offset, emitted as UTC text. */
export const Timestamp = timestamp(false, "an ISO-8601 date-time")

/** A date-time or a date (`YYYY-MM-DD`, read as UTC midnight). */
export const TimestampOrDate = timestamp(true, "an ISO-8601 date-time or date")

/** A list of strings (null and empty stay apart). */
export const TextList = Schema.Array(Text).annotations({ title: "a list of strings" })

/** A list of ids (null and empty stay apart). */
export const IdList = Schema.Array(Id).annotations({ title: "a list of integer ids" })

const isObject = (u: unknown): u is { readonly [key: string]: Json.JsonValue } =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/** A JSON object whose values may be of any JSON type, kept with their digits. */
export const JsonObject = Schema.declare(isObject, { title: "a JSON object", [ColumnType]: "JSON" })

/** Any JSON value. */
export const AnyJson = Schema.declare((_u: unknown): _u is Json.JsonValue => true, {
  title: "any JSON value",
  [ColumnType]: "JSON"
})

/** A required field with its column description. */
export const required = <S extends Schema.Schema.All>(schema: S, description: string) =>
  Schema.propertySignature(schema).annotations({ description })

/** An optional, nullable field: absent becomes null, so every row has every column. */
export const optional = <S extends Schema.Schema.All>(schema: S, description?: string) => {
  const field = Schema.optionalWith(Schema.NullOr(schema), { default: () => null })
  return description === undefined ? field : field.annotations({ description })
}
