/**
 * Reads a schema `ParseIssue` as a field path and a reason a user can act on.
 *
 * The reason names what was expected (the field type's title) and what kind of
 * value arrived, never the value itself: the raw record is stored beside it
 * anyway.
 */
import { Json } from "@landed/http-source"
import { Option, type ParseResult, SchemaAST as AST } from "effect"

const numberKind = (value: number): string => {
  if (!Number.isInteger(value)) return "a decimal"
  return Number.isSafeInteger(value) ? "an integer" : "an inexact number"
}

/** The kind of a JSON value, as a noun phrase. */
export const kind = (value: unknown): string => {
  if (value === null) return "null"
  if (value === undefined) return "nothing"
  if (Array.isArray(value)) return "a list"
  if (Json.isLosslessNumber(value)) return "a long decimal number"
  switch (typeof value) {
    case "string":
      return "a string"
    case "boolean":
      return "a boolean"
    case "bigint":
      return "an integer"
    case "number":
      return numberKind(value)
    case "object":
      return "an object"
    default:
      return typeof value
  }
}

const title = (ast: AST.AST): string | undefined => {
  return Option.getOrUndefined(AST.getTitleAnnotation(ast))
}

/** What a schema AST expects, as a noun phrase. */
export const expected = (ast: AST.AST): string => {
  const own = title(ast)
  if (own !== undefined) return own
  switch (ast._tag) {
    case "Union":
      return ast.types
        .filter((member) => !AST.isUndefinedKeyword(member))
        .map(expected)
        .join(" or ")
    case "Literal":
      return ast.literal === null ? "null" : JSON.stringify(String(ast.literal))
    case "TypeLiteral":
      return "an object"
    case "TupleType":
      return "a list"
    case "Transformation":
      return expected(ast.from)
    case "Refinement":
      return expected(ast.from)
    default:
      return String(ast)
  }
}

interface Found {
  readonly path: ReadonlyArray<PropertyKey>
  readonly issue: ParseResult.ParseIssue
}

const pastTypeCheck = (issue: ParseResult.ParseIssue): boolean => issue._tag !== "Type"

// descends to the issue that names a field type: a titled type, a union, or a
// leaf
const find = (issue: ParseResult.ParseIssue, path: ReadonlyArray<PropertyKey>): Found => {
  switch (issue._tag) {
    case "Pointer":
      return find(issue.issue, path.concat(issue.path))
    case "Composite": {
      const issues = (
        Array.isArray(issue.issues) ? issue.issues : [issue.issues]
      ) as ReadonlyArray<ParseResult.ParseIssue>
      // in a union, a member that got past the type check is the one the value
      // meant
      const next = AST.isUnion(issue.ast) ? issues.find(pastTypeCheck) : issues[0]
      const stop = next === undefined || title(issue.ast) !== undefined
      return stop ? { path, issue } : find(next, path)
    }
    case "Transformation":
    case "Refinement":
      return title(issue.ast) !== undefined ? { path, issue } : find(issue.issue, path)
    default:
      return { path, issue }
  }
}

const actualOf = (issue: ParseResult.ParseIssue): unknown => {
  return "actual" in issue ? issue.actual : undefined
}

interface Described {
  readonly path: string
  readonly reason: string
}

/** The dotted field path and the reason of a decoding failure. */
export const describe = (issue: ParseResult.ParseIssue): Described => {
  const found = find(issue, [])
  const path = found.path.map(String).join(".")
  if (found.issue._tag === "Missing") {
    const missing = expected(found.issue.ast.type)
    return { path, reason: `expected ${missing}, got nothing (the field is missing)` }
  }
  const ast = "ast" in found.issue ? found.issue.ast : undefined
  const want = ast === undefined ? "a valid value" : expected(ast)
  return { path, reason: `expected ${want}, got ${kind(actualOf(found.issue))}` }
}
