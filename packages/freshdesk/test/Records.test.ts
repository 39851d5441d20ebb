import { describe, expect, it } from "@effect/vitest"
import { Json } from "@landed/http-source"
import * as Records from "../src/Records.ts"
import * as Schemas from "../src/Schemas.ts"

const stamps = { created_at: "2024-01-01T00:00:00Z", updated_at: "2024-01-02T00:00:00Z" }

// a page as it comes off the wire: its text, parsed losslessly
const page = (decoder: Records.Decoder, records: ReadonlyArray<unknown>) => {
  const text = Json.stringify(records)
  const items = Json.parse(text) as ReadonlyArray<Json.JsonValue>
  return Records.decodePage(decoder, items, text)
}

const tickets = Records.make("tickets", Schemas.Ticket, ["deleted"])
const contacts = Records.make("contacts", Schemas.Contact)

describe("Records", () => {
  describe("decodePage", () => {
    it("keeps an id above 2^53 exactly", () => {
      const decoded = page(contacts, [{ id: 12, org_contact_id: 1847404637041218613n, ...stamps }])

      expect(decoded.rows[0]?.org_contact_id).toBe(1847404637041218613n)
    })

    it("decodes groups that send auto_ticket_assign as 0/1 or as a boolean", () => {
      const groups = Records.make("groups", Schemas.Group)
      const group = (value: number | boolean, id: number) => {
        return { id, auto_ticket_assign: value, ...stamps }
      }
      const records = [0, 1, true, false].map(group)

      const decoded = page(groups, records)

      expect(decoded.rows.map((row) => row.auto_ticket_assign)).toEqual([false, true, true, false])
    })

    it("reads phone numbers sent as numbers as text", () => {
      const agents = Records.make("agents", Schemas.Agent)
      const contact = { phone: 9876543210, mobile: "+1 555", name: "Ann" }

      const decoded = page(agents, [{ id: 1, contact, ...stamps }])

      const expected = { phone: "9876543210", mobile: "+1 555", name: "Ann", email: null }
      expect(decoded.rows[0]?.contact).toMatchObject(expected)
    })

    it("keeps null and empty lists apart", () => {
      const decoded = page(tickets, [
        { id: 1, cc_emails: null, tags: [], ...stamps },
        { id: 2, cc_emails: [], tags: ["vip"], ...stamps }
      ])

      expect(decoded.rows.map((row) => [row.cc_emails, row.tags])).toEqual([
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

      const decoded = page(entries, [record])

      expect(decoded.rows[0]?.executed_at).toBe("2024-03-05T00:00:00Z")
      expect(decoded.rows[0]?.created_at).toBe("2024-03-05T04:30:00Z")
    })

    it("keeps custom fields of every JSON type with their digits", () => {
      const custom_fields = {
        cf_text: "a",
        cf_flag: true,
        cf_num: 7,
        cf_dec: new Json.LosslessNumber("3.14159265358979323846"),
        cf_date: "2024-01-05",
        cf_none: null,
        cf_list: ["x"]
      }

      const decoded = page(tickets, [{ id: 4, custom_fields, ...stamps }])

      expect(Json.stringify(decoded.rows[0]?.custom_fields)).toBe(Json.stringify(custom_fields))
      expect(Json.stringify(decoded.rows[0]?.custom_fields)).toContain("3.14159265358979323846")
    })

    it("decodes other companies given as objects or as bare ids", () => {
      const other_companies = [{ company_id: 9, view_all_tickets: true }, 10]

      const decoded = page(contacts, [{ id: 5, other_companies, ...stamps }])

      expect(decoded.rows[0]?.other_companies).toEqual([
        { company_id: 9, view_all_tickets: true },
        { company_id: 10, view_all_tickets: null }
      ])
    })

    it("keeps unknown fields in _extra, nested ones under their field", () => {
      const stats = { closed_at: null, sla: "x" }
      const record = { id: 6, brand_new: { a: 1 }, stats, deleted: true, ...stamps }

      const decoded = page(tickets, [record])

      expect(decoded.rows[0]?._extra).toEqual({ brand_new: { a: 1 }, stats: { sla: "x" } })
      expect(decoded.rows[0]).not.toHaveProperty("brand_new")
      expect(decoded.rows[0]).not.toHaveProperty("deleted")
    })

    it("sets _extra to null when every field is known", () => {
      const decoded = page(tickets, [{ id: 7, ...stamps }])

      expect(decoded.rows[0]?._extra).toBeNull()
      expect(decoded.rows[0]?.subject).toBeNull()
    })

    it("rejects a bad record verbatim with its field and reason and keeps the rest", () => {
      const bad = { id: 8, status: "open", ...stamps }
      const stats = { closed_at: "2024-02-30T00:00:00Z" }
      const huge = { id: 10, requester_id: 99999999999999999999n, stats, ...stamps }

      const decoded = page(tickets, [bad, { id: 9, ...stamps }, huge])

      expect(decoded.rows.map((row) => row.id)).toEqual([9])
      expect(decoded.rejected[0]).toEqual({
        stream: "tickets",
        id: "8",
        field: "status",
        reason: "expected an integer or null, got a string",
        raw: Json.stringify(bad)
      })
      expect(decoded.rejected[1]).toMatchObject({ id: "10", field: "stats.closed_at" })
      expect(decoded.rejected[1]?.reason).toBe("expected an ISO-8601 date-time, got a string")
      expect(decoded.rejected[1]?.raw).toContain('"requester_id":99999999999999999999')
    })

    it("rejects a record without an id or a valid updated_at", () => {
      const noId = { subject: "x", ...stamps }
      const badTime = { id: 11, created_at: stamps.created_at, updated_at: "soon" }

      const decoded = page(tickets, [noId, badTime, "text"])

      expect(decoded.rejected.map((r) => [r.id, r.field, r.reason])).toEqual([
        [null, "id", "expected an integer id, got nothing (the field is missing)"],
        ["11", "updated_at", "expected an ISO-8601 date-time, got a string"],
        [null, "", "expected an object, got a string"]
      ])
    })

    it("names a decimal where an id belongs", () => {
      const decoded = page(tickets, [{ id: 12, group_id: 1.5, ...stamps }])

      expect(decoded.rejected[0]?.reason).toBe("expected an integer id or null, got a decimal")
    })

    it("replaces lone surrogates with U+FFFD and counts them", () => {
      const tags = ["\udc00\udc01", "ok \ud83d\ude00"]
      const record = { id: 13, subject: "bad \ud800 half", tags, ...stamps }

      const decoded = page(tickets, [record])

      expect(decoded.replacedCharacters).toBe(3)
      expect(decoded.rows[0]?.subject).toBe("bad \ufffd half")
      expect(decoded.rows[0]?.tags).toEqual(["\ufffd\ufffd", "ok 😀"])
    })

    it("skips the surrogate walk when the page text has no surrogate escape", () => {
      const lone = { id: 14, subject: "\ud800", ...stamps }

      const decoded = Records.decodePage(tickets, [lone], '[{"id":14}]')

      expect(decoded.replacedCharacters).toBe(0)
    })
  })
})
