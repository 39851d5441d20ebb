/**
 * The record side of each stream: its decoder, its columns (entity schema, then
 * the columns the connector adds) and how a decoded record becomes a row.
 */
import type { Json } from "@landed/http-source"
import type { Schema } from "effect"
import * as Columns from "../Columns.ts"
import * as Labels from "../Labels.ts"
import * as Records from "../Records.ts"
import * as Schemas from "../Schemas.ts"
import type { Batch, Column, StreamName } from "../SyncStream.ts"

export interface Entity {
  readonly name: StreamName
  readonly decoder: Records.Decoder
  readonly columns: ReadonlyArray<Column>
}

const entity = (
  name: StreamName,
  label: string,
  schema: Schema.Schema.AnyNoContext,
  derived: Schema.Schema.AnyNoContext,
  handled: ReadonlyArray<string> = []
): Entity => ({
  name,
  decoder: Records.make(name, schema, handled),
  columns: [...Columns.fromSchema(schema, label), ...Columns.fromSchema(derived, label)]
})

const S = Schemas

export const tickets = entity("tickets", "ticket", S.Ticket, S.TicketDerived, ["deleted"])
const flags = ["deleted", "blocked"]

export const contacts = entity("contacts", "contact", S.Contact, S.ContactDerived, flags)
export const companies = entity("companies", "company", S.Company, S.CompanyDerived)
export const agents = entity("agents", "agent", S.Agent, S.ExtraDerived)
export const groups = entity("groups", "group", S.Group, S.ExtraDerived)
export const roles = entity("roles", "role", S.Role, S.ExtraDerived)
export const products = entity("products", "product", S.Product, S.ExtraDerived)
export const timeEntries = entity("time_entries", "time entry", S.TimeEntry, S.TimeEntryDerived)

/** Adds the label columns and the deleted flag to ticket rows. */
export const finishTickets =
  (labels: Labels.Labels, deletedPass: boolean) => (row: Records.Row, record: Json.JsonValue) => {
    row.status_label = Labels.label(labels.status, row.status)
    row.priority_label = Labels.label(labels.priority, row.priority)
    row.source_label = Labels.label(labels.source, row.source)
    row.deleted = deletedPass || (record as { readonly deleted?: unknown }).deleted === true
  }

/** Adds the deleted and blocked flags to contact rows. */
export const finishContacts = (pass: "normal" | "deleted" | "blocked") => (row: Records.Row) => {
  row.deleted = pass === "deleted"
  row.blocked = pass === "blocked"
}

/** Companies are never listed deleted. */
export const finishCompanies = (row: Records.Row) => {
  row.deleted = false
}

const HH_MM = /^(\d+):([0-5]\d)$/

/** `"hh:mm"` as minutes, or null when the text has another shape. */
export const minutesOf = (text: unknown): number | null => {
  const match = typeof text === "string" ? HH_MM.exec(text) : null
  return match === null ? null : Number(match[1]) * 60 + Number(match[2])
}

/** Adds `time_spent_minutes` to time entry rows. */
export const finishEntries = (row: Records.Row) => {
  row.time_spent_minutes = minutesOf(row.time_spent)
}

export type Finish = (row: Records.Row, record: Json.JsonValue) => void

/** Decodes a page into a batch carrying `cursor`. */
export const batch = (
  entity: Entity,
  page: {
    readonly items: ReadonlyArray<Json.JsonValue>
    readonly response: { readonly text: string; readonly receivedAt: Date }
  },
  cursor: unknown,
  finish?: Finish
): Batch => {
  const decoded = Records.decodePage(entity.decoder, page.items, page.response.text)
  if (finish !== undefined) {
    for (let i = 0; i < decoded.rows.length; i++) finish(decoded.rows[i]!, decoded.records[i]!)
  }
  return {
    rows: decoded.rows,
    rejected: decoded.rejected,
    extractedAt: page.response.receivedAt,
    replacedCharacters: decoded.replacedCharacters,
    cursor
  }
}
