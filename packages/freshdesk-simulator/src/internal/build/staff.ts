// agents, groups, roles, products and time entries
import { formatTime, type Rec } from "../../Records.ts"
import { personName, slug, timeZones } from "../text.ts"
import { between, type Ctx, DAY, midnight, pickId } from "./context.ts"
import { stamp } from "./people.ts"

// doc examples carry phone numbers as JSON numbers; real data uses strings
const phoneValue = (ctx: Ctx): string | number | null => {
  if (ctx.rng.chance(0.4)) return null
  const digits = ctx.rng.int(1000000000, 9999999999)
  return ctx.odd && ctx.rng.chance(0.5) ? digits : String(digits)
}

export const agent = (ctx: Ctx, id: number, created: number, updated: number): Rec => {
  const r = ctx.rng
  const name = personName(r)
  const seen = r.chance(0.8) ? formatTime(between(ctx, created, updated)) : null
  return {
    id,
    available: r.chance(0.6),
    occasional: r.chance(0.2),
    ticket_scope: r.pick([1, 1, 2, 3]),
    signature: r.chance(0.5) ? null : `<div>${name}<br>Support team</div>`,
    type: r.chance(0.9) ? "support_agent" : "collaborator",
    available_since: r.chance(0.5) ? null : seen,
    last_active_at: seen,
    created_at: formatTime(created),
    updated_at: formatTime(updated),
    contact: {
      active: true,
      email: `${slug(name)}.${id % 1000}@landed-sim.example.com`,
      job_title: r.chance(0.5) ? null : "Support engineer",
      language: "en",
      last_login_at: seen,
      mobile: phoneValue(ctx),
      name,
      phone: phoneValue(ctx),
      time_zone: r.pick(timeZones),
      created_at: formatTime(created),
      updated_at: formatTime(updated)
    },
    group_ids: [],
    role_ids: []
  }
}

export const group = (ctx: Ctx, id: number, created: number, updated: number): Rec => {
  const r = ctx.rng
  const auto = r.int(0, 1)
  return {
    id,
    name: r.pick(["Billing", "Escalations", "Tier 1", "Tier 2", "Sales", "Returns"]),
    description: r.chance(0.3) ? null : "Handles a queue of tickets",
    escalate_to: r.chance(0.6) ? null : pickId(ctx, ctx.pools.agents),
    unassigned_for: r.chance(0.5) ? null : r.pick(["30m", "1h", "2h", "1d"]),
    business_hour_id: r.chance(0.5) ? null : 50000012345,
    group_type: "support_agent_group",
    auto_ticket_assign: ctx.odd && r.chance(0.5) ? auto === 1 : auto,
    agent_ids: [],
    created_at: stamp(ctx, created),
    updated_at: stamp(ctx, updated)
  }
}

const roleNames = ["Account Administrator", "Administrator", "Supervisor", "Agent", "Collaborator"]

export const role = (ctx: Ctx, id: number, index: number, created: number): Rec => ({
  id,
  name: roleNames[index] ?? `Custom role ${index}`,
  description: index < roleNames.length ? `Default role ${index + 1}` : "",
  default: index < 4,
  agent_type: index === 4 ? 3 : 1,
  created_at: formatTime(created),
  updated_at: formatTime(created + ctx.rng.int(0, 10) * DAY)
})

export const product = (ctx: Ctx, id: number, created: number, updated: number): Rec => ({
  id,
  name: ctx.rng.pick(["Widgets", "Gadgets", "Cloud", "Mobile app", "Hardware"]),
  description: ctx.rng.chance(0.3) ? null : "A product line with its own portal",
  created_at: formatTime(created),
  updated_at: formatTime(updated)
})

const hhmm = (seconds: number): string => {
  const minutes = Math.floor(seconds / 60)
  const two = (n: number) => String(n).padStart(2, "0")
  return `${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`
}

export const timeEntry = (ctx: Ctx, id: number, created: number, updated: number) => {
  const r = ctx.rng
  const ticket = ctx.pools.tickets.length === 0 ? undefined : r.pick(ctx.pools.tickets)
  const executed = midnight(created)
  const seconds = r.int(30, 4 * 3600)
  return {
    id,
    ticket_id: ticket?.id ?? 1,
    agent_id: pickId(ctx, ctx.pools.agents) ?? 1,
    company_id: ticket?.company_id ?? null,
    billable: r.chance(0.6),
    note: r.chance(0.3) ? "" : "Investigated the logs",
    time_spent: hhmm(seconds),
    time_spent_in_seconds: seconds,
    timer_running: false,
    executed_at: formatTime(executed),
    start_time: formatTime(created),
    created_at: formatTime(created),
    updated_at: formatTime(updated)
  }
}
