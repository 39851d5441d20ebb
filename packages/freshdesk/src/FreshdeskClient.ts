/**
 * The service every Freshdesk stream reads through.
 *
 * One client per run: it holds the validated configuration and the run's settings (plan,
 * budget share, ticket embeds), and, once wired, the shared rate budget and request
 * executor of `@landed/http-source`, so every stream of a run draws on one budget.
 *
 * @since 0.1.0
 */
import { Context } from "effect"
import type { FreshdeskConfig } from "./FreshdeskConfig.ts"
import type * as Plan from "./Plan.ts"

/**
 * The embeds a ticket listing may ask for with `include=`.
 *
 * @since 0.1.0
 * @category models
 */
export type TicketInclude = "description" | "requester" | "stats" | "company"

/**
 * What a stream needs from the run.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly config: FreshdeskConfig
  readonly plan: Plan.Plan
  /** share of the account's limits this run may use, 0 < share <= 1 */
  readonly budgetShare: number
  readonly ticketInclude: ReadonlyArray<TicketInclude>
  /** length of a rate-limit window in milliseconds (Freshdesk: one minute) */
  readonly windowMs: number
}

/**
 * The Freshdesk client of a run.
 *
 * @since 0.1.0
 * @category tags
 */
export class FreshdeskClient extends Context.Tag("@landed/freshdesk/FreshdeskClient")<FreshdeskClient, Service>() {}
