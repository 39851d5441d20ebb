/**
 * Derives the dataset's columns from the entity schemas.
 *
 * The schemas are the one source of truth: a column's name, DuckDB type and
 * description come from the schema's type side. Field types that are not plain
 * keywords (ids, timestamps, JSON values) carry their DuckDB type in the {@link
 * ColumnType} annotation; nested structs become `STRUCT(...)`, arrays `T[]`,
 * and a nullable type the type itself.
 *
 * @since 0.1.0
 */
import { Option, type Schema, SchemaAST as AST } from "effect"
import type { Column } from "./SyncStream.ts"

/**
 * The annotation that names the DuckDB type of a field type.
 *
 * @since 0.1.0
 * @category annotations
 */
export const ColumnType: unique symbol = Symbol.for("@landed/freshdesk/ColumnType")

type AnySchema = Schema.Schema.AnyNoContext

const annotated = (ast: AST.AST): string | undefined => {
  const value = ast.annotations[ColumnType]
  return typeof value === "string" ? value : undefined
}

const isNull = (ast: AST.AST): boolean => AST.isLiteral(ast) && ast.literal === null

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`

const literalType = (literal: AST.LiteralValue): string => {
  if (typeof literal === "string") return "VARCHAR"
  return typeof literal === "boolean" ? "BOOLEAN" : "JSON"
}

const unionType = (ast: AST.Union): string => {
  const members = ast.types.filter((member) => !isNull(member)).map(typeOf)
  const first = members[0]
  return first !== undefined && members.every((type) => type === first) ? first : "JSON"
}

const fieldType = (p: AST.PropertySignature): string => `${quote(String(p.name))} ${typeOf(p.type)}`

const structType = (ast: AST.TypeLiteral): string => {
  const fields = ast.propertySignatures.map(fieldType)
  return `STRUCT(${fields.join(", ")})`
}

const arrayType = (ast: AST.TupleType): string => {
  const element = ast.rest[0]
  return ast.elements.length === 0 && element !== undefined ? `${typeOf(element.type)}[]` : "JSON"
}

/**
 * The DuckDB type of a schema AST (taken on its type side).
 *
 * @since 0.1.0
 * @category derivation
 */
export const typeOf = (ast: AST.AST): string => {
  const own = annotated(ast)
  if (own !== undefined) return own
  switch (ast._tag) {
    case "Transformation":
      return typeOf(ast.to)
    case "Refinement":
      return typeOf(ast.from)
    case "Suspend":
      return typeOf(ast.f())
    case "Union":
      return unionType(ast)
    case "TypeLiteral":
      return ast.indexSignatures.length > 0 ? "JSON" : structType(ast)
    case "TupleType":
      return arrayType(ast)
    case "StringKeyword":
    case "TemplateLiteral":
      return "VARCHAR"
    case "BooleanKeyword":
      return "BOOLEAN"
    case "NumberKeyword":
      return "DOUBLE"
    case "BigIntKeyword":
      return "BIGINT"
    case "Literal":
      return literalType(ast.literal)
    default:
      return "JSON"
  }
}

const describe = (property: AST.PropertySignature, entity: string): string => {
  const own = AST.getDescriptionAnnotation(property)
  if (Option.isSome(own)) return own.value
  const fallback = () => `${entity} \`${String(property.name)}\``
  return Option.getOrElse(AST.getDescriptionAnnotation(property.type), fallback)
}

/**
 * The columns of a struct schema, in field order; `entity` names the record in
 * the default description of a field that has none.
 *
 * @since 0.1.0
 * @category derivation
 */
export const fromSchema = (schema: AnySchema, entity: string): ReadonlyArray<Column> => {
  const ast = AST.typeAST(schema.ast)
  if (!AST.isTypeLiteral(ast)) throw new TypeError(`columns need a struct schema, got ${ast._tag}`)
  return ast.propertySignatures.map((property) => ({
    name: String(property.name),
    type: typeOf(property.type),
    description: describe(property, entity)
  }))
}
