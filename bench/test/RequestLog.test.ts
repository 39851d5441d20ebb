import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as RequestLog from "../src/RequestLog.ts"

const entry = (url: string, start: number, status = 200): RequestLog.LoggedRequest => ({
  url,
  start,
  end: start + 5,
  status
})

describe("RequestLog", () => {
  describe("creditsOf", () => {
    it("charges two more credits per ticket-list embed", () => {
      const urls = ["/api/v2/tickets?include=description", "/api/v2/tickets?include=stats,requester", "/api/v2/tickets"]

      const credits = urls.map(RequestLog.creditsOf)

      assert.deepEqual(credits, [3, 5, 1])
    })

    it("charges one credit for other endpoints, embeds or not", () => {
      assert.equal(RequestLog.creditsOf("/api/v2/contacts?include=company"), 1)
    })
  })

  describe("replayOf", () => {
    it("runs the lookups first and each stream's requests in their order", () => {
      const log = [
        entry("/api/v2/tickets?page=2", 30),
        entry("/api/v2/agents/me", 1),
        entry("/api/v2/ticket_fields", 10),
        entry("/api/v2/contacts", 12),
        entry("/api/v2/tickets", 20),
        entry("/api/v2/agents/me", 2)
      ]

      const replay = RequestLog.replayOf(log)

      assert.deepEqual(replay.preflight, ["/api/v2/agents/me", "/api/v2/agents/me"])
      assert.deepEqual(replay.lanes, {
        tickets: ["/api/v2/ticket_fields", "/api/v2/tickets", "/api/v2/tickets?page=2"],
        contacts: ["/api/v2/contacts"]
      })
    })

    it("leaves out answers other than 200", () => {
      const log = [entry("/api/v2/tickets", 1, 429), entry("/api/v2/tickets", 2)]

      const replay = RequestLog.replayOf(log)

      assert.deepEqual(replay.lanes, { tickets: ["/api/v2/tickets"] })
    })
  })

  describe("demandOf", () => {
    it("counts credits and list calls of admitted requests only", () => {
      const log = [
        entry("/api/v2/tickets?include=description", 0),
        entry("/api/v2/tickets?include=description", 10, 429),
        entry("/api/v2/contacts", 20),
        entry("/api/v2/agents", 30)
      ]

      const demand = RequestLog.demandOf(log)

      assert.deepEqual(demand, {
        requests: 4,
        responses429: 1,
        credits: 5,
        ticketListCalls: 1,
        contactListCalls: 1,
        spanMillis: 35
      })
    })
  })

  describe("steadyPace", () => {
    it("takes the limit that needs the most windows", () => {
      const demand = {
        requests: 0,
        responses429: 0,
        credits: 580,
        ticketListCalls: 150,
        contactListCalls: 120,
        spanMillis: 0
      }

      const pace = RequestLog.steadyPace(demand, { overall: 400, ticketList: 100, contactList: 100 }, 60_000)

      assert.deepEqual(pace, { millis: 90_000, windows: 1.5, binding: "ticketList" })
    })
  })
})
