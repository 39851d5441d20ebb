import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import * as Columns from "../src/Columns.ts"
import * as Schemas from "../src/Schemas.ts"

const typeOf = (schema: Schema.Schema.AnyNoContext, entity: string) =>
  Object.fromEntries(Columns.fromSchema(schema, entity).map((column) => [column.name, column.type]))

describe("Columns", () => {
  describe("fromSchema", () => {
    it("types ids, timestamps, lists and custom fields as the dataset needs", () => {
      const ticket = typeOf(Schemas.Ticket, "ticket")

      expect(ticket.id).toBe("BIGINT")
      expect(ticket.requester_id).toBe("BIGINT")
      expect(ticket.updated_at).toBe("TIMESTAMPTZ")
      expect(ticket.cc_emails).toBe("VARCHAR[]")
      expect(ticket.custom_fields).toBe("JSON")
      expect(ticket.spam).toBe("BOOLEAN")
      expect(ticket.stats).toMatch(/^STRUCT\("agent_responded_at" TIMESTAMPTZ, .*\)$/)
      expect(ticket.stats).toContain('"pending_since" TIMESTAMPTZ)')
      expect(ticket.requester).toBe(
        'STRUCT("id" BIGINT, "name" VARCHAR, "email" VARCHAR, "mobile" VARCHAR, "phone" VARCHAR)'
      )
    })

    it("types the odd shapes by what they decode to", () => {
      const group = typeOf(Schemas.Group, "group")
      const contact = typeOf(Schemas.Contact, "contact")
      const agent = typeOf(Schemas.Agent, "agent")

      expect(group.auto_ticket_assign).toBe("BOOLEAN")
      expect(group.agent_ids).toBe("BIGINT[]")
      const other = 'STRUCT("company_id" BIGINT, "view_all_tickets" BOOLEAN)[]'
      expect(contact.other_companies).toBe(other)
      expect(contact.org_contact_id).toBe("BIGINT")
      expect(agent.contact).toContain('"phone" VARCHAR')
    })

    it("keeps field order and describes every column", () => {
      const columns = Columns.fromSchema(Schemas.Product, "product")

      const names = columns.map((column) => column.name)
      expect(names).toEqual(["id", "name", "description", "created_at", "updated_at"])
      expect(columns.every((column) => column.description.length > 0)).toBe(true)
      expect(columns[1]?.description).toBe("product `name`")
    })

    it("falls back to JSON for shapes without a single column type", () => {
      const mixed = Schema.Union(Schema.String, Schema.Boolean)
      const schema = Schema.Struct({ mixed, big: Schema.BigIntFromSelf })

      expect(typeOf(schema, "x")).toEqual({ mixed: "JSON", big: "BIGINT" })
    })

    it("refuses a schema that is not a struct", () => {
      expect(() => Columns.fromSchema(Schema.String, "x")).toThrow(/struct/)
    })
  })
})
