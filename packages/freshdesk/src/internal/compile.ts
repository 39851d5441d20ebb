/**
 * A fast decoder compiled from a schema's AST, for the records that are valid.
 *
 * Effect's general decoder spends most of a page's time on bookkeeping (issue
 * trees, options, effects) that a valid record never needs: a 45-field ticket
 * costs about 20 µs, several times its share of `JSON.parse`. This interpreter
 * walks the same AST once, building a closure per node, and runs the schema's
 * own declarations and transformations; it gives up with `Invalid` on the first
 * value that does not fit, and the caller then asks Effect's decoder for the
 * exact issue. Only the node kinds the entity schemas use are supported; any
 * other kind makes `compile` return undefined (Effect's decoder is used for
 * everything). A property test checks both decoders agree.
 */
import { Either, Option, type ParseResult, SchemaAST as AST } from "effect"

/** The marker for a value that does not fit. */
export const Invalid: unique symbol = Symbol.for("@landed/freshdesk/Invalid")

type Fast = (input: unknown) => unknown

class Unsupported extends Error {}

const options: AST.ParseOptions = {}

const fromResult = (result: unknown): unknown => {
  if (!Either.isEither(result)) throw new Unsupported("effectful decoder")
  return Either.isRight(result) ? result.right : Invalid
}

const literal =
  (value: AST.LiteralValue): Fast =>
  (input) =>
    input === value ? input : Invalid

const union = (members: ReadonlyArray<Fast>): Fast => {
  return (input) => {
    for (const member of members) {
      const out = member(input)
      if (out !== Invalid) return out
    }
    return Invalid
  }
}

// null and undefined are tried before the other members: none of the schemas'
// members turns them into another value, and trying a declaration first would
// build an issue
const literalsFirst = (types: ReadonlyArray<AST.AST>): ReadonlyArray<AST.AST> => [
  ...types.filter((type) => AST.isLiteral(type) || AST.isUndefinedKeyword(type)),
  ...types.filter((type) => !AST.isLiteral(type) && !AST.isUndefinedKeyword(type))
]

const array =
  (element: Fast): Fast =>
  (input) => {
    if (!Array.isArray(input)) return Invalid
    const out = new Array(input.length)
    for (let i = 0; i < input.length; i++) {
      const value = element(input[i])
      if (value === Invalid) return Invalid
      out[i] = value
    }
    return out
  }

interface Property {
  readonly name: string
  readonly optional: boolean
  readonly decode: Fast
  /** the struct transformation's step for this key, such as a default */
  readonly step?: ((o: Option.Option<unknown>) => Option.Option<unknown>) | undefined
}

const isRecord = (input: unknown): input is Readonly<Record<string, unknown>> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

// a key the struct leaves out (optional and absent, or a step that returned
// none)
const Absent: unique symbol = Symbol.for("@landed/freshdesk/Absent")

const withoutAbsent = (record: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const key in record) if (record[key] !== Absent) out[key] = record[key]
  return out
}

const absentCode = (property: Property, i: number): string => {
  if (property.step !== undefined) return `p${i} = step(${i}, none)`
  return property.optional ? `p${i} = Absent` : "return Invalid"
}

const propertyCode = (property: Property, i: number): string => {
  const key = JSON.stringify(property.name)
  const absent = absentCode(property, i)
  const present = property.step !== undefined ? `p${i} = step(${i}, some(v))` : `p${i} = v`
  return `v = input[${key}]
if (v === undefined && !(${key} in input)) { ${absent} } else {
  v = decode[${i}](v); if (v === Invalid) return Invalid; ${present}
}`
}

// a struct decoder generated as one function: an object literal with a fixed
// shape is an order of magnitude faster to build than keyed stores in a loop
// (45 fields per ticket)
const struct = (properties: ReadonlyArray<Property>): Fast => {
  const names = properties.map((_, i) => `p${i}`)
  const anyAbsent = names.map((name) => `${name} === Absent`).join(" || ") || "false"
  const body = `return function (input) {
if (!isRecord(input)) return Invalid
let v${names.map((name) => `, ${name}`).join("")}
${properties.map(propertyCode).join("\n")}
const out = { ${properties.map((p, i) => `${JSON.stringify(p.name)}: p${i}`).join(", ")} }
return ${anyAbsent} ? withoutAbsent(out) : out
}`
  const decode = properties.map((p) => p.decode)
  const step = (i: number, o: Option.Option<unknown>) => {
    const next = properties[i]!.step!(o)
    return Option.isSome(next) ? next.value : Absent
  }
  const params = ["isRecord", "Invalid", "Absent", "withoutAbsent", "decode", "step"]
  const make = new Function(...params, "some", "none", body)
  return make(isRecord, Invalid, Absent, withoutAbsent, decode, step, Option.some, Option.none())
}

type Steps = ReadonlyMap<string, (o: Option.Option<unknown>) => Option.Option<unknown>>

const typeLiteral = (ast: AST.TypeLiteral, steps: Steps = new Map()): Fast => {
  if (ast.indexSignatures.length > 0) throw new Unsupported("index signatures")
  return struct(
    ast.propertySignatures.map((p) => ({
      name: String(p.name),
      optional: p.isOptional,
      decode: build(p.type),
      step: steps.get(String(p.name))
    }))
  )
}

// a struct with per-property transformations (such as defaults) that keep their
// key names
const structTransformation = (ast: AST.Transformation, kind: AST.TypeLiteralTransformation) => {
  const steps = kind.propertySignatureTransformations
  if (!AST.isTypeLiteral(ast.from) || steps.some((step) => step.from !== step.to)) {
    throw new Unsupported("renaming struct transformation")
  }
  return typeLiteral(ast.from, new Map(steps.map((step) => [String(step.from), step.decode])))
}

const finalTransformation = (ast: AST.Transformation, kind: AST.FinalTransformation): Fast => {
  const from = build(ast.from)
  const to = build(ast.to)
  return (input) => {
    const decoded = from(input)
    if (decoded === Invalid) return Invalid
    const transformed = fromResult(kind.decode(decoded, options, ast, input))
    return transformed === Invalid ? Invalid : to(transformed)
  }
}

const transformation = (ast: AST.Transformation): Fast => {
  const kind = ast.transformation
  if (AST.isTypeLiteralTransformation(kind)) return structTransformation(ast, kind)
  if (kind._tag === "FinalTransformation") return finalTransformation(ast, kind)
  throw new Unsupported(kind._tag)
}

const declaration = (ast: AST.Declaration): Fast => {
  const parse = ast.decodeUnknown(...ast.typeParameters)
  return (input) => fromResult(parse(input, options, ast))
}

const tuple = (ast: AST.TupleType): Fast => {
  const element = ast.rest[0]
  const onlyRest = ast.elements.length === 0 && ast.rest.length === 1
  if (!onlyRest || element === undefined) throw new Unsupported("tuple")
  return array(build(element.type))
}

const keyword =
  (test: (input: unknown) => boolean): Fast =>
  (input) =>
    test(input) ? input : Invalid

const build = (ast: AST.AST): Fast => {
  switch (ast._tag) {
    case "StringKeyword":
      return keyword((input) => typeof input === "string")
    case "NumberKeyword":
      return keyword((input) => typeof input === "number")
    case "BooleanKeyword":
      return keyword((input) => typeof input === "boolean")
    case "BigIntKeyword":
      return keyword((input) => typeof input === "bigint")
    case "UndefinedKeyword":
      return keyword((input) => input === undefined)
    case "UnknownKeyword":
    case "AnyKeyword":
      return (input) => input
    case "Literal":
      return literal(ast.literal)
    case "Union":
      return union(literalsFirst(ast.types).map(build))
    case "TupleType":
      return tuple(ast)
    case "TypeLiteral":
      return typeLiteral(ast)
    case "Transformation":
      return transformation(ast)
    case "Declaration":
      return declaration(ast)
    default:
      throw new Unsupported(ast._tag)
  }
}

/**
 * A fast decoder for the schema's AST, or undefined when the AST uses a node
 * kind this interpreter does not support.
 */
export const compile = (ast: AST.AST): ((input: unknown) => unknown) | undefined => {
  try {
    return build(ast)
  } catch (error) {
    if (error instanceof Unsupported) return undefined
    throw error
  }
}

/** Decodes with the fast path, falling back to the full decoder for the issue. */
export const decoder = (
  ast: AST.AST,
  full: (input: unknown) => Either.Either<unknown, ParseResult.ParseIssue>
): ((input: unknown) => Either.Either<unknown, ParseResult.ParseIssue>) => {
  const fast = compile(ast)
  if (fast === undefined) return full
  return (input) => {
    const out = fast(input)
    return out === Invalid ? full(input) : Either.right(out)
  }
}
