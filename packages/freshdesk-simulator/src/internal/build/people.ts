// contacts and companies: 64-bit ids, org_contact_id past 2^53, addresses with
// newlines
import { formatDate, formatIndia, formatTime, type Rec } from "../../Records.ts"
import {
  address,
  companySuffixes,
  companyWords,
  industries,
  languages,
  personName,
  slug,
  tagWords,
  timeZones
} from "../text.ts"
import { type Ctx, DAY, midnight, pickId } from "./context.ts"

const ORG_CONTACT_BASE = 1847404637041218600n

const phone = (ctx: Ctx): string | null => (ctx.rng.chance(0.5) ? null : `+1 555 ${ctx.rng.int(1000000, 9999999)}`)

const uuid = (ctx: Ctx): string => {
  const digit = () => ctx.rng.int(0, 15).toString(16)
  const hex = (n: number): string => Array.from({ length: n }, digit).join("")
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`
}

const otherCompanies = (ctx: Ctx, company: number | null) =>
  company === null || ctx.rng.chance(0.8) ? [] : [{ company_id: company, view_all_tickets: false }]

const contactCore = (ctx: Ctx, id: number, name: string): Rec => {
  const r = ctx.rng
  const company = r.chance(0.4) ? null : pickId(ctx, ctx.pools.companies)
  return {
    id,
    name,
    email: r.chance(0.1) ? null : `${slug(name)}.${id % 100000}@example.com`,
    phone: phone(ctx),
    mobile: phone(ctx),
    address: address(r),
    description: r.chance(0.7) ? null : "Met at the spring trade fair",
    job_title: r.chance(0.5) ? null : r.pick(["CTO", "Buyer", "Support lead", "Founder"]),
    language: r.pick(languages),
    time_zone: r.pick(timeZones),
    twitter_id: r.chance(0.9) ? null : `@${slug(name).slice(0, 12)}`,
    facebook_id: null,
    unique_external_id: r.chance(0.7) ? null : `ext-${id}`,
    company_id: company,
    other_companies: otherCompanies(ctx, company),
    active: r.chance(0.85),
    csat_rating: r.chance(0.7) ? null : r.pick([103, 100, -103]),
    preferred_source: r.chance(0.5) ? null : r.pick(["email", "phone", "portal"]),
    twitter_profile_status: false,
    twitter_followers_count: r.chance(0.9) ? null : r.int(0, 5000)
  }
}

export const contact = (ctx: Ctx, id: number, index: number, created: number, updated: number) => {
  const r = ctx.rng
  const name = personName(r)
  const [first, ...rest] = name.split(" ")
  return {
    ...contactCore(ctx, id, name),
    custom_fields: {
      department: r.chance(0.5) ? null : r.pick(["Sales", "IT", "Finance"]),
      vip: r.chance(0.1),
      customer_since: r.chance(0.5) ? null : formatDate(created),
      loyalty_points: r.chance(0.5) ? null : r.int(0, 10000)
    },
    created_at: formatTime(created),
    updated_at: formatTime(updated),
    tags: r.chance(0.7) ? [] : [r.pick(tagWords)],
    other_emails: [],
    view_all_tickets: r.chance(0.5) ? null : false,
    avatar: null,
    first_name: first ?? name,
    last_name: rest.join(" "),
    visitor_id: uuid(ctx),
    org_contact_id: ORG_CONTACT_BASE + BigInt(index) * 7919n + BigInt(r.int(0, 7000)),
    other_phone_numbers: []
  }
}

// the API documentation's examples show +05:30 offsets; oddShapes emits some of
// them
export const stamp = (ctx: Ctx, ms: number): string =>
  ctx.odd && ctx.rng.chance(0.2) ? formatIndia(ms) : formatTime(ms)

export const company = (ctx: Ctx, id: number, created: number, updated: number): Rec => {
  const r = ctx.rng
  const name = `${r.pick(companyWords)} ${r.pick(companySuffixes)}`
  return {
    id,
    name,
    description: r.chance(0.5) ? null : `${name} buys our products`,
    note: r.chance(0.7) ? null : "Key account\nRenewal in spring",
    domains: r.chance(0.3) ? [] : [`${slug(name)}.example.com`],
    custom_fields: {
      website: r.chance(0.5) ? null : `https://${slug(name)}.example.com`,
      tier: r.pick(["gold", null])
    },
    health_score: r.chance(0.5) ? null : r.pick(["Happy", "Doing okay", "At risk"]),
    account_tier: r.chance(0.5) ? null : r.pick(["Basic", "Premium", "Enterprise"]),
    renewal_date: r.chance(0.5) ? null : formatTime(midnight(created) + 365 * DAY),
    industry: r.pick(industries),
    created_at: stamp(ctx, created),
    updated_at: stamp(ctx, updated)
  }
}
