/**
 * The simulator's JSON writer.
 *
 * Freshdesk sends integers past 2^53 (`org_contact_id`) and decimals with more
 * digits than a double holds. `JSON.stringify` cannot write either, so records
 * hold `bigint` and {@link RawNumber} values, and {@link RawJson} splices
 * arbitrary text in for fault tests. Everything else is written exactly as
 * `JSON.stringify` would.
 *
 * @since 0.1.0
 */

/**
 * A JSON number kept as its exact digits (a decimal a double would round).
 *
 * @since 0.1.0
 * @category models
 */
export class RawNumber {
  constructor(readonly digits: string) {}
  toString(): string {
    return this.digits
  }
}

/**
 * Raw JSON text written verbatim in place of a value (used to inject malformed
 * values).
 *
 * @since 0.1.0
 * @category models
 */
export class RawJson {
  constructor(readonly text: string) {}
}

const SLOT = /"\\u0001R([0-9]+)"/g

/**
 * Serialises a value to JSON text, writing `bigint`, {@link RawNumber} and
 * {@link RawJson} values verbatim.
 *
 * @since 0.1.0
 * @category serialising
 */
export const stringify = (value: unknown, indent?: number): string => {
  const slots: Array<string> = []
  const slot = (text: string) => `\u0001R${slots.push(text) - 1}`
  const replacer = (_key: string, v: unknown): unknown => {
    if (typeof v === "bigint") return slot(v.toString())
    if (v instanceof RawNumber) return slot(v.digits)
    if (v instanceof RawJson) return slot(v.text)
    // a string that looks like a slot goes through a slot itself, so only ours
    // are replaced
    if (typeof v === "string" && v.startsWith("\u0001R")) return slot(JSON.stringify(v))
    return v
  }
  const text = JSON.stringify(value, replacer, indent)
  if (slots.length === 0) return text
  return text.replace(SLOT, (_m, i: string) => slots[Number(i)] ?? "null")
}
