/**
 * The account's ticket fields, as `GET /ticket_fields` lists them
 * (freshdesk-api.md section 9): the default fields, two custom statuses (6 and
 * 7) and one custom field of every type, matching the `cf_` keys that generated
 * tickets carry.
 *
 * @since 0.1.0
 */
import type { Rec } from "./Records.ts"
import { formatTime } from "./Records.ts"
import { dropdownChoices } from "./internal/text.ts"

const statusChoices = {
  "2": ["Open", "Being Processed"],
  "3": ["Pending", "Awaiting your Reply"],
  "4": ["Resolved", "This ticket has been Resolved"],
  "5": ["Closed", "This ticket has been Closed"],
  "6": ["Waiting on Customer", "Awaiting your Reply"],
  "7": ["Waiting on Third Party", "Being Processed"]
}

const priorityChoices = { Low: 1, Medium: 2, High: 3, Urgent: 4 }

const sourceChoices = {
  Email: 1,
  Portal: 2,
  Phone: 3,
  Forum: 4,
  Twitter: 5,
  Facebook: 6,
  Chat: 7,
  MobiHelp: 8,
  "Feedback Widget": 9,
  "Outbound Email": 10,
  Ecommerce: 11,
  Bot: 12,
  WhatsApp: 13
}

const ticketTypes = ["Question", "Incident", "Problem", "Feature Request", "Refund"]

type FieldSpec = readonly [name: string, label: string, type: string, choices?: unknown]

const specs: ReadonlyArray<FieldSpec> = [
  ["requester", "Search a requester", "default_requester"],
  ["subject", "Subject", "default_subject"],
  ["ticket_type", "Type", "default_ticket_type", ticketTypes],
  ["source", "Source", "default_source", sourceChoices],
  ["status", "Status", "default_status", statusChoices],
  ["priority", "Priority", "default_priority", priorityChoices],
  ["group", "Group", "default_group", {}],
  ["agent", "Agent", "default_agent", {}],
  ["product", "Product", "default_product", {}],
  ["description", "Description", "default_description"],
  ["company", "Company", "default_company"],
  ["cf_reference_number", "Reference number", "custom_text"],
  ["cf_notes", "Notes", "custom_paragraph"],
  ["cf_category", "Category", "custom_dropdown", dropdownChoices],
  ["cf_skip_notifications", "Skip notifications", "custom_checkbox"],
  ["cf_item_count", "Item count", "custom_number"],
  ["cf_amount", "Amount", "custom_decimal"],
  ["cf_follow_up_date", "Follow-up date", "custom_date"]
]

/**
 * The type names a `type` filter may ask for.
 *
 * @since 0.1.0
 * @category constants
 */
export const fieldTypes: ReadonlyArray<string> = [...new Set(specs.map((s) => s[2]))]

/**
 * The ticket fields of an account created at `createdAt` (epoch ms).
 *
 * @since 0.1.0
 * @category constructors
 */
export const ticketFields = (createdAt: number): ReadonlyArray<Rec> =>
  specs.map(([name, label, type, choices], i) => ({
    id: 50000001234 + i * 17,
    name,
    label,
    description: null,
    position: i + 1,
    required_for_closure: false,
    required_for_agents: name === "subject" || name === "requester",
    type,
    default: type.startsWith("default_"),
    customers_can_edit: !type.startsWith("default_") || name === "subject",
    label_for_customers: label,
    required_for_customers: false,
    displayed_to_customers: true,
    created_at: formatTime(createdAt),
    updated_at: formatTime(createdAt),
    ...(choices === undefined ? {} : { choices })
  }))
