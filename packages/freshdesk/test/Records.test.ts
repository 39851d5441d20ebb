import { Json } from "@landed/http-source"
import { describe, expect, it } from "@effect/vitest"
import * as Records from "../src/Records.ts"
import * as Schemas from "../src/Schemas.ts"

const stamps = { created_at: "2024-01-01T00:00:00Z", updated_at: "2024-01-02T00:00:00Z" }

const decodeOne = (decoder: Records.Decoder, record: Json.JsonValue) => Records.decodePage(decoder, [record])

const tickets = Records.make("tickets", Schemas.Ticket, ["deleted"])

describe("Records", () => {
  describe("decodePage", () => {
    it("keeps an id above 2^53 exactly", () => {
      const text = `[{"id":12,"org_contact_id":1847404637041218613,${JSON.stringify(stamps).slice(1, -1)}}]`
      const contacts = Records.make("contacts", Schemas.Contact)

      const page = Records.decodePage(contacts, Json.parse(text) as ReadonlyArray<Json.JsonValue>, text)

      expect(page.rows[0]?.org_contact_id).toBe(1847404637041218613n)
    })

    it("decodes groups that send auto_ticket_assign as 0/1 or as a boolean", () => {
      const groups = Records.make("groups", Schemas.Group)
      const records = [0, 1, true, false].map((value, id) => ({ id, auto_ticket_assign: value, ...stamps }))

      const page = Records.decodePage(groups, records)

      expect(page.rows.map((row) => row.auto_ticket_assign)).toEqual([false, true, true, false])
    })

    it("reads phone numbers sent as numbers as text", () => {
      const agents = Records.make("agents", Schemas.Agent)
      const record = { id: 1, contact: { phone: 9876543210, mobile: "+1 555", name: "Ann" }, ...stamps }

      const page = decodeOne(agents, record)

      expect(page.rows[0]?.contact).toMatchObject({ phone: "9876543210", mobile: "+1 555", name: "Ann", email: null })
    })

    it("keeps null and empty lists apart", () => {
      const page = Records.decodePage(tickets, [
        { id: 1, cc_emails: null, tags: [], ...stamps },
        { id: 2, cc_emails: [], tags: ["vip"], ...stamps }
      ])

      expect(page.rows.map((row) => [row.cc_emails, row.tags])).toEqual([
        [null, []],
        [[], ["vip"]]
      ])
    })

    it("normalises timestamps with offsets and reads date-only values", () => {
      const entries = Records.make("time_entries", Schemas.TimeEntry)
      const record = {
        id: 3,
        executed_at: "2024-03-05",
        created_at: "2024-03-05T10:00:00+05:30",
        updated_at: stamps.updated_at
      }

      const page = decodeOne(entries, record)

      expect(page.rows[0]).toMatchObject({ executed_at: "2024-03-05T00:00:00Z", created_at: "2024-03-05T04:30:00Z" })
    })

    it("keeps custom fields of every JSON type with their digits", () => {
      const text = `[{"id":4,"custom_fields":{"cf_text":"a","cf_flag":true,"cf_num":7,"cf_dec":3.14159265358979323846,"cf_date":"2024-01-05","cf_none":null,"cf_list":["x"]},${JSON.stringify(stamps).slice(1, -1)}}]`

      const page = Records.decodePage(tickets, Json.parse(text) as ReadonlyArray<Json.JsonValue>, text)

      expect(Json.stringify(page.rows[0]?.custom_fields)).toBe(
        '{"cf_text":"a","cf_flag":true,"cf_num":7,"cf_dec":3.14159265358979323846,"cf_date":"2024-01-05","cf_none":null,"cf_list":["x"]}'
      )
    })

    it("decodes other companies given as objects or as bare ids", () => {
      const contacts = Records.make("contacts", Schemas.Contact)
      const record = { id: 5, other_companies: [{ company_id: 9, view_all_tickets: true }, 10], ...stamps }

      const page = decodeOne(contacts, record)

      expect(page.rows[0]?.other_companies).toEqual([
        { company_id: 9, view_all_tickets: true },
        { company_id: 10, view_all_tickets: null }
      ])
    })

    it("keeps unknown fields in _extra, nested ones under their field", () => {
      const record = { id: 6, brand_new: { a: 1 }, stats: { closed_at: null, sla: "x" }, deleted: true, ...stamps }

      const page = decodeOne(tickets, record)

      expect(page.rows[0]?._extra).toEqual({ brand_new: { a: 1 }, stats: { sla: "x" } })
      expect(page.rows[0]).not.toHaveProperty("brand_new")
      expect(page.rows[0]).not.toHaveProperty("deleted")
    })

    it("sets _extra to null when every field is known", () => {
      const page = decodeOne(tickets, { id: 7, ...stamps })

      expect(page.rows[0]?._extra).toBeNull()
      expect(page.rows[0]?.subject).toBeNull()
    })

    it("rejects a bad record verbatim with its field and reason and keeps the rest", () => {
      const text = `[{"id":8,"status":"open",${JSON.stringify(stamps).slice(1, -1)}},{"id":9,${JSON.stringify(stamps).slice(1, -1)}},{"id":10,"requester_id":99999999999999999999,"stats":{"closed_at":"2024-02-30T00:00:00Z"},${JSON.stringify(stamps).slice(1, -1)}}]`

      const page = Records.decodePage(tickets, Json.parse(text) as ReadonlyArray<Json.JsonValue>, text)

      expect(page.rows.map((row) => row.id)).toEqual([9])
      expect(page.rejected).toEqual([
        {
          stream: "tickets",
          id: "8",
          field: "status",
          reason: "expected an integer or null, got a string",
          raw: `{"id":8,"status":"open",${JSON.stringify(stamps).slice(1, -1)}}`
        },
        expect.objectContaining({
          id: "10",
          field: "stats.closed_at",
          reason: "expected an ISO-8601 date-time, got a string"
        })
      ])
      expect(page.rejected[1]?.raw).toContain('"requester_id":99999999999999999999')
    })

    it("rejects a record without an id or a valid updated_at", () => {
      const page = Records.decodePage(tickets, [
        { subject: "x", ...stamps },
        { id: 11, created_at: stamps.created_at, updated_at: "soon" },
        "text"
      ])

      expect(page.rejected.map((r) => [r.id, r.field, r.reason])).toEqual([
        [null, "id", "expected an integer id, got nothing (the field is missing)"],
        ["11", "updated_at", "expected an ISO-8601 date-time, got a string"],
        [null, "", "expected an object, got a string"]
      ])
    })

    it("names a decimal where an id belongs", () => {
      const page = decodeOne(tickets, { id: 12, group_id: 1.5, ...stamps })

      expect(page.rejected[0]?.reason).toBe("expected an integer id or null, got a decimal")
    })

    it("replaces lone surrogates with U+FFFD and counts them", () => {
      const text = `[{"id":13,"subject":"bad \\ud800 half","tags":["\\udc00\\udc01","ok \\ud83d\\ude00"],${JSON.stringify(stamps).slice(1, -1)}}]`

      const page = Records.decodePage(tickets, Json.parse(text) as ReadonlyArray<Json.JsonValue>, text)

      expect(page.replacedCharacters).toBe(3)
      expect(page.rows[0]?.subject).toBe("bad \ufffd half")
      expect(page.rows[0]?.tags).toEqual(["\ufffd\ufffd", "ok 😀"])
    })

    it("skips the surrogate walk when the page text has no surrogate escape", () => {
      const lone = { id: 14, subject: "\ud800", ...stamps }

      const page = Records.decodePage(tickets, [lone], '[{"id":14}]')

      expect(page.replacedCharacters).toBe(0)
    })
  })
})
