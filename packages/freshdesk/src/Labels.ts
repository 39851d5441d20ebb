/**
 * Readable names for the ticket codes `status`, `priority` and `source`.
 *
 * Freshdesk returns these as numbers. The documented tables cover the built-in
 * values; an account may add statuses (ids 6 and up) that are named only in its
 * `/ticket_fields`, so a `Labels` value can be extended from that answer when
 * the key may read it. A code nobody named gets a null label, never a guess.
 *
 * @since 0.1.0
 */
import type { Json } from "@landed/http-source"

/**
 * Code tables for the three coded ticket fields.
 *
 * @since 0.1.0
 * @category models
 */
export interface Labels {
  readonly status: ReadonlyMap<number, string>
  readonly priority: ReadonlyMap<number, string>
  readonly source: ReadonlyMap<number, string>
}

/**
 * The documented code tables (freshdesk-api.md section 6.4).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults: Labels = {
  status: new Map([
    [2, "Open"],
    [3, "Pending"],
    [4, "Resolved"],
    [5, "Closed"]
  ]),
  priority: new Map([
    [1, "Low"],
    [2, "Medium"],
    [3, "High"],
    [4, "Urgent"]
  ]),
  source: new Map([
    [1, "Email"],
    [2, "Portal"],
    [3, "Phone"],
    [4, "Forum"],
    [5, "Twitter"],
    [6, "Facebook"],
    [7, "Chat"],
    [8, "MobiHelp"],
    [9, "Feedback Widget"],
    [10, "Outbound Email"],
    [11, "Ecommerce"],
    [12, "Bot"],
    [13, "WhatsApp"],
    [15, "Web Chat"]
  ])
}

/**
 * The label of a code, or null when the code is not a number or not in the
 * table.
 *
 * @since 0.1.0
 * @category accessors
 */
export const label = (table: ReadonlyMap<number, string>, code: unknown): string | null =>
  typeof code === "number" ? (table.get(code) ?? null) : null

const isObject = (value: unknown): value is Readonly<Record<string, Json.JsonValue>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

// status choices map an id (as text) to [agent-facing name, customer-facing
// name]
const statusChoices = (choices: Json.JsonValue | undefined): ReadonlyArray<[number, string]> => {
  if (!isObject(choices)) return []
  return Object.entries(choices).flatMap(([id, names]) => {
    const name = Array.isArray(names) ? names[0] : names
    const code = Number(id)
    const valid = Number.isInteger(code) && typeof name === "string"
    return valid ? [[code, name] as [number, string]] : []
  })
}

// priority and source choices map a name to its code
const namedChoices = (choices: Json.JsonValue | undefined): ReadonlyArray<[number, string]> => {
  if (!isObject(choices)) return []
  return Object.entries(choices).flatMap(([name, code]) =>
    typeof code === "number" && Number.isInteger(code) ? [[code, name] as [number, string]] : []
  )
}

const merge = (table: ReadonlyMap<number, string>, extra: ReadonlyArray<[number, string]>) =>
  extra.length === 0 ? table : new Map([...table, ...extra])

/**
 * Extends the documented tables with the names an account's `/ticket_fields`
 * answer gives, custom statuses included; fields of other shapes are ignored.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromTicketFields = (body: Json.JsonValue, base: Labels = defaults): Labels => {
  const fields = Array.isArray(body) ? body.filter(isObject) : []
  const choicesOf = (name: string) => fields.find((field) => field.name === name)?.choices
  return {
    status: merge(base.status, statusChoices(choicesOf("status"))),
    priority: merge(base.priority, namedChoices(choicesOf("priority"))),
    source: merge(base.source, namedChoices(choicesOf("source")))
  }
}
