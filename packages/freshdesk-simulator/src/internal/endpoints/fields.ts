// GET /ticket_fields: not paged; an optional `type` narrows the list
import { fieldTypes, ticketFields } from "../../TicketFields.ts"
import * as Bodies from "../bodies.ts"
import { unexpected } from "../params.ts"
import { type ApiRequest, invalid, type Outcome } from "./shared.ts"

const DAY = 86_400_000

/** answers `GET /api/v2/ticket_fields` */
export const listTicketFields = (req: ApiRequest): Outcome => {
  const unknown = unexpected(req.params, new Set(["type"]))
  if (unknown.length > 0) return invalid(unknown)
  const type = req.params.get("type")
  if (type !== undefined && !fieldTypes.includes(type)) return invalid([Bodies.notOneOf("type", fieldTypes)])
  // the account is a little older than its oldest generated record
  const all = ticketFields(Math.floor(req.account.createdAt / DAY) * DAY - DAY)
  return { _tag: "Object", body: type === undefined ? all : all.filter((f) => f.type === type) }
}
