/**
 * Turns the records of a page into rows, and the ones that do not fit into
 * rejects.
 *
 * Each record is decoded alone with a compiled schema decoder, so one bad
 * record becomes a `RejectedRecord` (its exact JSON, the dotted path of the
 * field, what was expected and what kind of value arrived) while the rest of
 * the page goes on. Fields the schema does not know are kept in `_extra`.
 * Strings with a lone UTF-16 surrogate get U+FFFD in its place, counted per
 * page; pages whose text holds no surrogate escape skip that walk.
 *
 * @since 0.1.0
 */
import { Json } from "@landed/http-source"
import { Either, ParseResult, type Schema, SchemaAST as AST } from "effect"
import * as Compile from "./internal/compile.ts"
import * as Issues from "./internal/issues.ts"
import * as Strings from "./internal/strings.ts"
import type { RejectedRecord, StreamName } from "./SyncStream.ts"

/**
 * A decoded row: one value per column, `_extra` included.
 *
 * @since 0.1.0
 * @category models
 */
export type Row = Record<string, unknown>

/**
 * A compiled decoder for one stream's records.
 *
 * @since 0.1.0
 * @category models
 */
export interface Decoder {
  readonly stream: StreamName
  readonly decode: (record: Json.JsonValue) => Either.Either<Row, RejectedRecord>
}

interface Known {
  readonly all: ReadonlySet<string>
  /** the known fields that hold a struct, with the struct's keys */
  readonly nested: ReadonlyArray<readonly [string, ReadonlySet<string>]>
}

const isObject = (value: unknown): value is Readonly<Record<string, Json.JsonValue>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const nameOf = (property: AST.PropertySignature): string => String(property.name)

const members = (type: AST.AST): ReadonlyArray<AST.AST> => {
  if (!AST.isUnion(type)) return [type]
  return type.types.flatMap(members)
}

// the keys of the struct a property's encoded type holds, for nested extras
const nestedKeys = (type: AST.AST): ReadonlySet<string> | undefined => {
  const struct = members(type).find(AST.isTypeLiteral)
  return struct === undefined ? undefined : new Set(struct.propertySignatures.map(nameOf))
}

const knownKeys = (schema: Schema.Schema.AnyNoContext, handled: ReadonlyArray<string>): Known => {
  const ast = AST.encodedAST(schema.ast)
  const properties = AST.isTypeLiteral(ast) ? ast.propertySignatures : []
  const all = new Set([...properties.map((p) => String(p.name)), ...handled])
  const nested = properties.flatMap((p) => {
    const keys = nestedKeys(p.type)
    return keys === undefined ? [] : [[String(p.name), keys] as const]
  })
  return { all, nested }
}

const unknownOf = (
  record: Readonly<Record<string, Json.JsonValue>>,
  known: ReadonlySet<string>
): Record<string, Json.JsonValue> | null => {
  let extra: Record<string, Json.JsonValue> | null = null
  for (const key in record) {
    if (known.has(key)) continue
    extra = extra ?? {}
    extra[key] = record[key]!
  }
  return extra
}

type JsonRecord = Readonly<Record<string, Json.JsonValue>>

// unknown keys at the top level, and inside known nested objects under their
// field's name. Known gap: unknown keys inside list elements (other_companies[])
// are dropped; no payload seen carries any, and a new list field lands whole.
const extraOf = (record: JsonRecord, known: Known): Json.JsonValue => {
  let extra = unknownOf(record, known.all)
  for (const [key, nested] of known.nested) {
    const value = record[key]
    if (!isObject(value)) continue
    const inner = unknownOf(value, nested)
    if (inner === null) continue
    extra = extra ?? {}
    extra[key] = inner
  }
  return extra
}

const idText = (record: Json.JsonValue): string | null => {
  const id = isObject(record) ? record.id : undefined
  const integer = (typeof id === "number" && Number.isInteger(id)) || typeof id === "bigint"
  return integer ? String(id) : null
}

const reject = (stream: StreamName, record: Json.JsonValue, field: string, reason: string) => ({
  stream,
  id: idText(record),
  field,
  reason,
  raw: Json.stringify(record)
})

const fromIssue = (stream: StreamName, record: Json.JsonValue, issue: ParseResult.ParseIssue) => {
  const { path, reason } = Issues.describe(issue)
  return reject(stream, record, path, reason)
}

/**
 * Compiles a decoder for a struct schema; `handled` names fields the stream
 * reads itself (such as `deleted`), which are then neither columns nor
 * `_extra`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  stream: StreamName,
  schema: Schema.Schema.AnyNoContext,
  handled: ReadonlyArray<string> = []
): Decoder => {
  const decodeEither = Compile.decoder(schema.ast, ParseResult.decodeUnknownEither(schema))
  const known = knownKeys(schema, handled)
  const decode = (record: Json.JsonValue): Either.Either<Row, RejectedRecord> => {
    if (!isObject(record)) {
      const reason = `expected an object, got ${Issues.kind(record)}`
      return Either.left(reject(stream, record, "", reason))
    }
    const result = decodeEither(record)
    if (Either.isLeft(result)) return Either.left(fromIssue(stream, record, result.left))
    const row = result.right as Row
    row._extra = extraOf(record, known)
    return Either.right(row)
  }
  return { stream, decode }
}

/**
 * The rows and rejects of one page.
 *
 * @since 0.1.0
 * @category models
 */
export interface DecodedPage {
  readonly rows: Array<Row>
  /** the record each row came from, index for index */
  readonly records: Array<Json.JsonValue>
  readonly rejected: Array<RejectedRecord>
  readonly replacedCharacters: number
}

/**
 * Decodes the records of a page; `text` is the page's JSON text, which lets
 * pages without a surrogate escape skip the U+FFFD repair walk.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodePage = (
  decoder: Decoder,
  items: ReadonlyArray<Json.JsonValue>,
  text?: string | undefined
): DecodedPage => {
  const page: DecodedPage = { rows: [], records: [], rejected: [], replacedCharacters: 0 }
  const repair = text === undefined || Strings.mayHaveLoneSurrogates(text)
  let replaced = 0
  for (const item of items) {
    const fixed = repair ? Strings.wellFormed(item) : { value: item, replaced: 0 }
    replaced += fixed.replaced
    const result = decoder.decode(fixed.value)
    if (Either.isRight(result)) {
      page.rows.push(result.right)
      page.records.push(fixed.value)
    } else page.rejected.push(result.left)
  }
  return { ...page, replacedCharacters: replaced }
}
