/**
 * Freshdesk's rate limits per plan, and the adaptive default.
 *
 * Freshdesk counts per account and per minute (a fixed window that starts at
 * the window's first request): an overall limit in credits (1 per call plus 2
 * per ticket-list embed), and two sub-limits in calls, one for listing tickets
 * and one for listing contacts. Knowing the plan seeds the rate budget so a run
 * paces itself from its first request; without it the client asks once and
 * reads `X-RateLimit-Total`: a total that matches a plan names it, otherwise
 * the budget learns each limit from the answers (a sub-limit from its first
 * 429).
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import * as FreshdeskError from "./FreshdeskError.ts"

/**
 * The plans with published limits.
 *
 * @since 0.1.0
 * @category models
 */
export type Name = "free" | "growth" | "pro" | "enterprise"

/**
 * Limits per window: `overall` in credits, `tickets` and `contacts` in list
 * calls.
 *
 * @since 0.1.0
 * @category models
 */
export interface Limits {
  readonly overall: number
  readonly tickets: number
  readonly contacts: number
}

/**
 * A plan preset, or `adaptive` (learn the limits from the response headers).
 *
 * @since 0.1.0
 * @category models
 */
export type Plan =
  | { readonly _tag: "Preset"; readonly name: Name | "custom"; readonly limits: Limits }
  | { readonly _tag: "Adaptive" }

/**
 * Published per-minute limits of the current plans (freshdesk-api.md section
 * 4).
 *
 * @since 0.1.0
 * @category constants
 */
export const presets: Readonly<Record<Name, Limits>> = {
  free: { overall: 50, tickets: 50, contacts: 50 },
  growth: { overall: 200, tickets: 20, contacts: 20 },
  pro: { overall: 400, tickets: 100, contacts: 100 },
  enterprise: { overall: 700, tickets: 200, contacts: 200 }
}

/**
 * The names accepted by {@link fromName}, in price order.
 *
 * @since 0.1.0
 * @category constants
 */
export const names: ReadonlyArray<Name> = ["free", "growth", "pro", "enterprise"]

/**
 * The default plan: every limit is learned from the answers.
 *
 * @since 0.1.0
 * @category constants
 */
export const adaptive: Plan = { _tag: "Adaptive" }

/**
 * The rate-budget group of ticket list calls.
 *
 * @since 0.1.0
 * @category constants
 */
export const ticketsGroup = "tickets_list"

/**
 * The rate-budget group of contact list calls.
 *
 * @since 0.1.0
 * @category constants
 */
export const contactsGroup = "contacts_list"

/**
 * The preset of a plan name.
 *
 * @since 0.1.0
 * @category constructors
 */
export const preset = (name: Name): Plan => ({ _tag: "Preset", name, limits: presets[name] })

/**
 * A plan with limits of its own, for accounts whose limits differ from the
 * published ones.
 *
 * @since 0.1.0
 * @category constructors
 */
export const custom = (limits: Limits): Plan => ({ _tag: "Preset", name: "custom", limits })

type FdError = FreshdeskError.FreshdeskError

const isName = (text: string): text is Name => (names as ReadonlyArray<string>).includes(text)

/**
 * Parses `--plan`: a preset's name, or nothing for the adaptive default.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromName = (name: string | undefined): Effect.Effect<Plan, FdError> => {
  const text = name?.trim().toLowerCase() ?? ""
  if (text === "" || text === "adaptive") return Effect.succeed(adaptive)
  if (isName(text)) return Effect.succeed(preset(text))
  return Effect.fail(
    FreshdeskError.make(
      "InvalidConfig",
      `\`plan\` (PIPELINE_PLAN) is ${JSON.stringify(name)}; expected one of ${names.join(", ")}, ` +
        "or leave it unset to learn the limits from Freshdesk's answers. Your plan is shown in " +
        "Freshdesk under Admin > Account > Plans & Billing."
    )
  )
}

/**
 * The plan whose overall limit equals an observed `X-RateLimit-Total`, if any.
 *
 * @since 0.1.0
 * @category utils
 */
export const fromTotal = (total: number): Name | undefined => {
  const matches = (name: Name) => presets[name].overall === total
  return names.find(matches)
}

/**
 * Credits of one ticket list call with the given embeds (1 plus 2 per embed).
 *
 * @since 0.1.0
 * @category utils
 */
export const ticketListCost = (includes: ReadonlyArray<string>): number => 1 + 2 * includes.length
