// GET /ticket_fields: not paged; an optional `type` narrows the list
import { fieldTypes, ticketFields } from "../../TicketFields.ts"
import { failed, oneOf, unexpected } from "../params.ts"
import { type ApiRequest, invalid, type Outcome } from "./shared.ts"

const DAY = 86_400_000

/** answers `GET /api/v2/ticket_fields` */
export const listTicketFields = (req: ApiRequest): Outcome => {
  const unknown = unexpected(req.params, new Set(["type"]))
  const errors = unknown.length > 0 ? unknown : failed([oneOf(req.params, "type", fieldTypes)])
  if (errors.length > 0) return invalid(errors)
  const type = req.params.get("type")
  // the account is a little older than its oldest generated record
  const all = ticketFields(Math.floor(req.account.createdAt / DAY) * DAY - DAY)
  const body = type === undefined ? all : all.filter((f) => f.type === type)
  return { _tag: "Object", body }
}
