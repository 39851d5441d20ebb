// ticket records: small display ids, nullable email arrays, custom fields of
// every type
import { RawNumber } from "../../WireJson.ts"
import { formatDate, formatTime, type Rec } from "../../Records.ts"
import { dropdownChoices, sentence, subject, tagWords } from "../text.ts"
import { between, type Ctx, DAY, emails, pickId } from "./context.ts"

const statuses = [2, 2, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5, 6, 7]
const sources = [1, 1, 1, 2, 2, 3, 7, 9, 10, 12, 13]
const types = ["Question", "Incident", "Problem", "Feature Request", "Refund", null]

const nineDigits = (ctx: Ctx): string => String(ctx.rng.int(0, 999999999)).padStart(9, "0")

// a decimal with more significant digits than a double keeps
const longDecimal = (ctx: Ctx): RawNumber =>
  new RawNumber(`${ctx.rng.int(0, 99999)}.${nineDigits(ctx)}${nineDigits(ctx)}`)

const customFields = (ctx: Ctx, created: number): Rec => {
  const r = ctx.rng
  return {
    cf_reference_number: r.chance(0.4) ? null : `REF-${r.int(10000, 99999)}`,
    cf_notes: r.chance(0.5) ? null : `${sentence(r)}\nSecond line`,
    cf_category: r.chance(0.2) ? null : r.pick(dropdownChoices),
    cf_skip_notifications: r.chance(0.3),
    cf_item_count: r.chance(0.3) ? null : r.int(0, 500),
    cf_amount: r.chance(0.3) ? null : longDecimal(ctx),
    cf_follow_up_date: r.chance(0.5) ? null : formatDate(created + r.int(1, 30) * DAY)
  }
}

const stats = (ctx: Ctx, status: number, created: number, updated: number): Rec => {
  const sometime = (p: number) => (ctx.rng.chance(p) ? formatTime(between(ctx, created, updated)) : null)
  const responded = sometime(0.7)
  return {
    agent_responded_at: responded,
    requester_responded_at: sometime(0.4),
    first_responded_at: responded,
    status_updated_at: formatTime(updated),
    reopened_at: null,
    resolved_at: status >= 4 ? formatTime(updated) : null,
    closed_at: status === 5 ? formatTime(updated) : null,
    pending_since: status === 3 ? formatTime(updated) : null
  }
}

const escapeHtml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;")

const description = (text: string): Rec => ({
  description: `<div><p>Hello,</p><p>${escapeHtml(text)}</p><p>Thanks &amp; regards</p></div>`,
  description_text: `Hello,\n${text}\nThanks & regards`
})

const people = (ctx: Ctx): Rec => {
  const contacts = ctx.pools.contacts
  const requester = contacts.length === 0 ? undefined : ctx.rng.pick(contacts)
  return {
    requester_id: requester?.id ?? 1,
    responder_id: ctx.rng.chance(0.2) ? null : pickId(ctx, ctx.pools.agents),
    group_id: ctx.rng.chance(0.25) ? null : pickId(ctx, ctx.pools.groups),
    company_id: requester?.company_id ?? null,
    product_id: ctx.rng.chance(0.6) ? null : pickId(ctx, ctx.pools.products)
  }
}

const SUPPORT = "support@landed-sim.freshdesk.com"

// tickets created at signup carry null address lists; others mostly empty ones
const addresses = (ctx: Ctx): Rec => {
  const signup = ctx.rng.chance(0.08)
  const list = () => emails(ctx, signup ? 1 : 0.1)
  return {
    support_email: ctx.rng.chance(0.5) ? null : SUPPORT,
    to_emails: signup ? null : [SUPPORT],
    cc_emails: list(),
    fwd_emails: list(),
    reply_cc_emails: list(),
    ticket_cc_emails: list(),
    ticket_bcc_emails: []
  }
}

const deadlines = (ctx: Ctx, created: number): Rec => ({
  fr_escalated: ctx.rng.chance(0.1),
  is_escalated: ctx.rng.chance(0.1),
  nr_escalated: false,
  spam: false,
  due_by: formatTime(created + ctx.rng.int(1, 5) * DAY),
  fr_due_by: formatTime(created + DAY),
  nr_due_by: ctx.rng.chance(0.7) ? null : formatTime(created + 2 * DAY)
})

export const ticket = (ctx: Ctx, id: number, created: number, updated: number): Rec => {
  const r = ctx.rng
  const status = r.pick(statuses)
  const score = () => (r.chance(0.5) ? null : r.int(0, 100))
  return {
    id,
    subject: subject(r),
    type: r.pick(types),
    status,
    priority: r.int(1, 4),
    source: r.pick(sources),
    ...people(ctx),
    email_config_id: r.chance(0.5) ? null : 50000022148,
    association_type: null,
    associated_tickets_count: r.chance(0.5) ? null : 0,
    ...addresses(ctx),
    ...deadlines(ctx, created),
    tags: r.chance(0.6) ? [] : [r.pick(tagWords)],
    custom_fields: customFields(ctx, created),
    structured_description: null,
    sentiment_score: score(),
    initial_sentiment_score: score(),
    created_at: formatTime(created),
    updated_at: formatTime(updated),
    ...description(sentence(r)),
    stats: stats(ctx, status, created, updated)
  }
}
