import { describe, expect, it } from "@effect/vitest"
import * as Labels from "../src/Labels.ts"

const ticketFields = [
  { id: 1, name: "requester", type: "default_requester" },
  {
    id: 2,
    name: "status",
    type: "default_status",
    choices: {
      "2": ["Open", "Being Processed"],
      "6": ["Waiting on Customer", "Awaiting your Reply"]
    }
  },
  { id: 3, name: "priority", type: "default_priority", choices: { Low: 1, Critical: 9 } },
  { id: 4, name: "cf_plan", type: "custom_dropdown", choices: ["Basic", "Gold"] }
]

describe("Labels", () => {
  describe("label", () => {
    it("names the documented codes and leaves others null", () => {
      expect(Labels.label(Labels.defaults.status, 5)).toBe("Closed")
      expect(Labels.label(Labels.defaults.priority, 4)).toBe("Urgent")
      expect(Labels.label(Labels.defaults.source, 13)).toBe("WhatsApp")
      expect(Labels.label(Labels.defaults.status, 6)).toBeNull()
      expect(Labels.label(Labels.defaults.status, null)).toBeNull()
    })
  })

  describe("fromTicketFields", () => {
    it("names custom statuses with their agent-facing name", () => {
      const labels = Labels.fromTicketFields(ticketFields)

      expect(Labels.label(labels.status, 6)).toBe("Waiting on Customer")
      expect(Labels.label(labels.status, 2)).toBe("Open")
      expect(Labels.label(labels.priority, 9)).toBe("Critical")
      expect(Labels.label(labels.source, 1)).toBe("Email")
    })

    it("keeps the documented tables when the answer has another shape", () => {
      const labels = Labels.fromTicketFields({ message: "nope" })

      expect(labels).toEqual(Labels.defaults)
    })
  })
})
