/**
 * Effect schemas of the eight Freshdesk records and their nested objects.
 *
 * Field inventories follow freshdesk-api.md section 6.5. `id`, `created_at` and
 * `updated_at` are required; every other field may be absent or null (it
 * becomes a null column), because Freshdesk omits fields by account age and
 * endpoint. Ids are 64-bit integers kept exact, timestamps are validated and
 * normalised to UTC. Fields the schemas do not know are not dropped: the
 * decoder keeps them in `_extra`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as F from "./internal/fields.ts"

const customFieldsDoc = "custom fields, each value with its JSON type and digits"

const customFields = F.optional(F.JsonObject, customFieldsDoc)

const timestamps = {
  created_at: F.required(F.Timestamp, "when the record was created (UTC)"),
  updated_at: F.required(F.Timestamp, "when the record last changed (UTC); the incremental cursor")
}

/**
 * A ticket's requester, embedded with `include=requester`.
 *
 * @since 0.1.0
 * @category nested
 */
export const Requester = Schema.Struct({
  id: F.optional(F.Id),
  name: F.optional(F.Text),
  email: F.optional(F.Text),
  mobile: F.optional(F.LenientText),
  phone: F.optional(F.LenientText)
})

/**
 * A ticket's response timeline, embedded with `include=stats`.
 *
 * @since 0.1.0
 * @category nested
 */
export const TicketStats = Schema.Struct({
  agent_responded_at: F.optional(F.Timestamp),
  requester_responded_at: F.optional(F.Timestamp),
  first_responded_at: F.optional(F.Timestamp),
  status_updated_at: F.optional(F.Timestamp),
  reopened_at: F.optional(F.Timestamp),
  resolved_at: F.optional(F.Timestamp),
  closed_at: F.optional(F.Timestamp),
  pending_since: F.optional(F.Timestamp)
})

/**
 * A ticket's company, embedded with `include=company`.
 *
 * @since 0.1.0
 * @category nested
 */
export const TicketCompany = Schema.Struct({
  id: F.optional(F.Id),
  name: F.optional(F.Text)
})

/**
 * A ticket as listed by `GET /tickets`.
 *
 * @since 0.1.0
 * @category entities
 */
export const Ticket = Schema.Struct({
  id: F.required(F.Id, "ticket display id (small, per account)"),
  subject: F.optional(F.Text),
  type: F.optional(F.Text, "ticket type name"),
  status: F.optional(F.Integer, "status code (2 Open, 3 Pending, 4 Resolved, 5 Closed, 6+ custom)"),
  priority: F.optional(F.Integer, "priority code (1 Low, 2 Medium, 3 High, 4 Urgent)"),
  source: F.optional(F.Integer, "source code (1 Email, 2 Portal, 3 Phone, ...)"),
  requester_id: F.optional(F.Id),
  responder_id: F.optional(F.Id, "id of the assigned agent"),
  group_id: F.optional(F.Id),
  company_id: F.optional(F.Id),
  product_id: F.optional(F.Id),
  email_config_id: F.optional(F.Id),
  association_type: F.optional(F.Integer),
  associated_tickets_count: F.optional(F.Integer),
  support_email: F.optional(F.Text),
  to_emails: F.optional(F.TextList),
  cc_emails: F.optional(F.TextList),
  fwd_emails: F.optional(F.TextList),
  reply_cc_emails: F.optional(F.TextList),
  ticket_cc_emails: F.optional(F.TextList),
  ticket_bcc_emails: F.optional(F.TextList),
  fr_escalated: F.optional(F.Bool),
  is_escalated: F.optional(F.Bool),
  nr_escalated: F.optional(F.Bool),
  spam: F.optional(F.Bool, "true for tickets marked as spam"),
  due_by: F.optional(F.Timestamp),
  fr_due_by: F.optional(F.Timestamp),
  nr_due_by: F.optional(F.Timestamp),
  tags: F.optional(F.TextList),
  custom_fields: customFields,
  structured_description: F.optional(F.AnyJson),
  sentiment_score: F.optional(F.Integer),
  initial_sentiment_score: F.optional(F.Integer),
  description: F.optional(F.Text, "HTML description (with include=description)"),
  description_text: F.optional(F.Text, "plain-text description (with include=description)"),
  requester: F.optional(Requester, "the requester (with include=requester)"),
  stats: F.optional(TicketStats, "response timeline (with include=stats)"),
  company: F.optional(TicketCompany, "the company (with include=company)"),
  form_id: F.optional(F.Id),
  source_additional_info: F.optional(F.AnyJson),
  internal_agent_id: F.optional(F.Id),
  internal_group_id: F.optional(F.Id),
  ...timestamps
})

const OtherCompanyObject = Schema.Struct({
  company_id: F.optional(F.Id),
  view_all_tickets: F.optional(F.Bool)
})

/**
 * One of a contact's other companies; old payloads list bare company ids
 * instead.
 *
 * @since 0.1.0
 * @category nested
 */
export const OtherCompany = Schema.Union(
  OtherCompanyObject,
  Schema.transform(F.Id, Schema.typeSchema(OtherCompanyObject), {
    strict: true,
    decode: (id) => ({ company_id: id, view_all_tickets: null }),
    encode: (other) => other.company_id ?? 0
  })
).annotations({ title: "a company object or a company id" })

/**
 * A contact as listed by `GET /contacts`.
 *
 * @since 0.1.0
 * @category entities
 */
export const Contact = Schema.Struct({
  id: F.required(F.Id, "contact id"),
  name: F.optional(F.Text),
  first_name: F.optional(F.Text),
  last_name: F.optional(F.Text),
  email: F.optional(F.Text),
  phone: F.optional(F.LenientText),
  mobile: F.optional(F.LenientText),
  address: F.optional(F.Text),
  description: F.optional(F.Text),
  job_title: F.optional(F.Text),
  language: F.optional(F.Text),
  time_zone: F.optional(F.Text),
  twitter_id: F.optional(F.Text),
  facebook_id: F.optional(F.Text),
  unique_external_id: F.optional(F.Text),
  company_id: F.optional(F.Id),
  other_companies: F.optional(Schema.Array(OtherCompany), "other companies of the contact"),
  view_all_tickets: F.optional(F.Bool),
  active: F.optional(F.Bool),
  csat_rating: F.optional(F.Integer),
  preferred_source: F.optional(F.Text),
  twitter_profile_status: F.optional(F.Bool),
  twitter_followers_count: F.optional(F.Integer),
  tags: F.optional(F.TextList),
  other_emails: F.optional(F.TextList),
  other_phone_numbers: F.optional(F.AnyJson),
  avatar: F.optional(F.AnyJson),
  visitor_id: F.optional(F.Text),
  org_contact_id: F.optional(F.Id, "organisation-wide contact id (above 2^53)"),
  custom_fields: customFields,
  ...timestamps
})

/**
 * A company as listed by `GET /companies`.
 *
 * @since 0.1.0
 * @category entities
 */
export const Company = Schema.Struct({
  id: F.required(F.Id, "company id"),
  name: F.optional(F.Text),
  description: F.optional(F.Text),
  note: F.optional(F.Text),
  domains: F.optional(F.TextList),
  health_score: F.optional(F.Text),
  account_tier: F.optional(F.Text),
  renewal_date: F.optional(F.TimestampOrDate),
  industry: F.optional(F.Text),
  custom_fields: customFields,
  ...timestamps
})

/**
 * The contact record embedded in an agent.
 *
 * @since 0.1.0
 * @category nested
 */
export const AgentContact = Schema.Struct({
  active: F.optional(F.Bool),
  email: F.optional(F.Text),
  job_title: F.optional(F.Text),
  language: F.optional(F.Text),
  last_login_at: F.optional(F.Timestamp),
  mobile: F.optional(F.LenientText),
  name: F.optional(F.Text),
  phone: F.optional(F.LenientText),
  time_zone: F.optional(F.Text),
  created_at: F.optional(F.Timestamp),
  updated_at: F.optional(F.Timestamp)
})

/**
 * An agent as listed by `GET /agents` (and `GET /agents/me`).
 *
 * @since 0.1.0
 * @category entities
 */
export const Agent = Schema.Struct({
  id: F.required(F.Id, "agent id (the agent's user id)"),
  available: F.optional(F.Bool),
  occasional: F.optional(F.Bool),
  ticket_scope: F.optional(F.Integer, "ticket scope (1 Global, 2 Group, 3 Restricted)"),
  signature: F.optional(F.Text),
  type: F.optional(F.Text),
  available_since: F.optional(F.Timestamp),
  last_active_at: F.optional(F.Timestamp),
  group_ids: F.optional(F.IdList),
  role_ids: F.optional(F.IdList),
  skill_ids: F.optional(F.IdList),
  contact: F.optional(AgentContact, "the agent's contact details"),
  ...timestamps
})

/**
 * A group as listed by `GET /groups`.
 *
 * @since 0.1.0
 * @category entities
 */
export const Group = Schema.Struct({
  id: F.required(F.Id, "group id"),
  name: F.optional(F.Text),
  description: F.optional(F.Text),
  escalate_to: F.optional(F.Id),
  unassigned_for: F.optional(F.Text),
  business_hour_id: F.optional(F.Id),
  group_type: F.optional(F.Text),
  auto_ticket_assign: F.optional(F.LenientBool, "automatic assignment (sent as 0/1 or boolean)"),
  agent_ids: F.optional(F.IdList),
  ...timestamps
})

/**
 * A role as listed by `GET /roles`.
 *
 * @since 0.1.0
 * @category entities
 */
export const Role = Schema.Struct({
  id: F.required(F.Id, "role id"),
  name: F.optional(F.Text),
  description: F.optional(F.Text),
  default: F.optional(F.Bool),
  agent_type: F.optional(F.Integer),
  ...timestamps
})

/**
 * A product as listed by `GET /products`.
 *
 * @since 0.1.0
 * @category entities
 */
export const Product = Schema.Struct({
  id: F.required(F.Id, "product id"),
  name: F.optional(F.Text),
  description: F.optional(F.Text),
  ...timestamps
})

/**
 * A time entry as listed by `GET /time_entries`.
 *
 * @since 0.1.0
 * @category entities
 */
export const TimeEntry = Schema.Struct({
  id: F.required(F.Id, "time entry id"),
  ticket_id: F.optional(F.Id, "display id of the ticket"),
  agent_id: F.optional(F.Id),
  company_id: F.optional(F.Id),
  billable: F.optional(F.Bool),
  note: F.optional(F.Text),
  time_spent: F.optional(F.Text, "time spent as Freshdesk's `hh:mm` text"),
  time_spent_in_seconds: F.optional(F.Integer),
  timer_running: F.optional(F.Bool),
  executed_at: F.optional(F.TimestampOrDate, "the day the work was done (midnight UTC)"),
  start_time: F.optional(F.Timestamp),
  ...timestamps
})

const extra = {
  _extra: F.optional(F.AnyJson, "fields the schema does not know yet, as JSON (null when none)")
}

/**
 * Columns the connector adds to a ticket: readable labels and the deleted flag.
 *
 * @since 0.1.0
 * @category derived
 */
export const TicketDerived = Schema.Struct({
  status_label: F.optional(F.Text, "name of the status (custom ones from ticket_fields)"),
  priority_label: F.optional(F.Text, "name of the priority"),
  source_label: F.optional(F.Text, "name of the source"),
  deleted: F.required(F.Bool, "true when the row comes from the deleted-tickets listing"),
  ...extra
})

/**
 * Columns the connector adds to a contact: the deleted and blocked flags.
 *
 * @since 0.1.0
 * @category derived
 */
export const ContactDerived = Schema.Struct({
  deleted: F.required(F.Bool, "true when the row comes from the deleted-contacts listing"),
  blocked: F.required(F.Bool, "true when the row comes from the blocked-contacts listing"),
  ...extra
})

/**
 * Columns the connector adds to a company (Freshdesk lists no deleted
 * companies).
 *
 * @since 0.1.0
 * @category derived
 */
export const CompanyDerived = Schema.Struct({
  deleted: F.required(F.Bool, "always false: Freshdesk lists no deleted companies"),
  ...extra
})

/**
 * Columns the connector adds to a time entry: the time spent in minutes.
 *
 * @since 0.1.0
 * @category derived
 */
export const TimeEntryDerived = Schema.Struct({
  time_spent_minutes: F.optional(F.Integer, "time_spent as a number of minutes"),
  ...extra
})

/**
 * The column every stream adds: `_extra`.
 *
 * @since 0.1.0
 * @category derived
 */
export const ExtraDerived = Schema.Struct(extra)
