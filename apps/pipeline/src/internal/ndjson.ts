// the staging line writer: the same text as http-source's lossless Json.stringify, built
// without a replacer callback per value (the replacer made serialisation the largest cost
// of the writer path); strings go through the native JSON.stringify
import { Json } from "@landed/http-source"

const encodeObject = (value: object): string => {
  let out = ""
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key]
    if (item === undefined || typeof item === "function" || typeof item === "symbol") continue
    out += `${out === "" ? "" : ","}${JSON.stringify(key)}:${encode(item)}`
  }
  return `{${out}}`
}

const encodeArray = (value: ReadonlyArray<unknown>): string => {
  let out = ""
  for (let i = 0; i < value.length; i++) {
    const item = value[i]
    const text = item === undefined || typeof item === "function" || typeof item === "symbol" ? "null" : encode(item)
    out += i === 0 ? text : `,${text}`
  }
  return `[${out}]`
}

/** JSON text of a value, integers past 2^53 and long decimals written as their exact digits */
export const encode = (value: unknown): string => {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value)
    case "number":
      return Number.isFinite(value) ? String(value) : "null"
    case "boolean":
      return value ? "true" : "false"
    case "bigint":
      return value.toString()
    case "object":
      if (value === null) return "null"
      if (Array.isArray(value)) return encodeArray(value)
      if (Json.isLosslessNumber(value)) return value.toString()
      if (typeof (value as { toJSON?: unknown }).toJSON === "function") return encode((value as Date).toJSON())
      return encodeObject(value)
    default:
      return "null"
  }
}
