/**
 * `check`: can this key read each stream?
 *
 * `GET /agents/me` goes first: any valid key may read it, so a 401 there means
 * the key or the subdomain is wrong (exit 3) rather than a missing role. Then
 * one cheap request per stream (`per_page=1`) tells `ok` from `access_denied`
 * (use an admin's key) and `require_feature` (not in this plan), with the
 * product page's fixes as messages.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { FreshdeskClient } from "./FreshdeskClient.ts"
import type * as FreshdeskError from "./FreshdeskError.ts"
import * as Streams from "./Streams.ts"
import type { StreamName } from "./SyncStream.ts"

/**
 * What a stream's check found.
 *
 * @since 0.1.0
 * @category models
 */
export type Status = "ok" | "access_denied" | "require_feature" | "error"

/**
 * One stream's line of the report.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamCheck {
  readonly stream: StreamName
  readonly status: Status
  readonly message: string
}

/**
 * The result of a check: the key's agent and one line per stream.
 *
 * @since 0.1.0
 * @category models
 */
export interface CheckReport {
  /** the id of the agent who owns the key, as text */
  readonly agentId: string | null
  readonly streams: ReadonlyArray<StreamCheck>
}

const paths: Readonly<Record<StreamName, string>> = {
  tickets: "/tickets",
  contacts: "/contacts",
  companies: "/companies",
  agents: "/agents",
  groups: "/groups",
  roles: "/roles",
  products: "/products",
  time_entries: "/time_entries"
}

const statusOf = (error: FreshdeskError.FreshdeskError): Status => {
  if (error.reason === "AccessDenied") return "access_denied"
  if (error.reason === "RequireFeature") return "require_feature"
  return "error"
}

const checkStream = (client: FreshdeskClient["Type"], stream: StreamName) =>
  client.request({ stream, path: paths[stream], query: { per_page: 1 } }).pipe(
    Effect.as<StreamCheck>({ stream, status: "ok", message: `stream \`${stream}\` is readable` }),
    Effect.catchAll((error) =>
      error.reason === "InvalidCredentials"
        ? Effect.fail(error)
        : Effect.succeed<StreamCheck>({ stream, status: statusOf(error), message: error.message })
    )
  )

const agentIdOf = (body: unknown): string | null => {
  if (typeof body !== "object" || body === null) return null
  const id = (body as { readonly id?: unknown }).id
  return typeof id === "number" || typeof id === "bigint" ? String(id) : null
}

/**
 * Checks the credentials, then each named stream (default: all eight); fails
 * with `InvalidCredentials` on a 401.
 *
 * @since 0.1.0
 * @category checks
 */
export const run = (
  names: ReadonlyArray<StreamName> = Streams.all.map((stream) => stream.name)
): Effect.Effect<CheckReport, FreshdeskError.FreshdeskError, FreshdeskClient> =>
  Effect.gen(function* () {
    const client = yield* FreshdeskClient
    const me = yield* client.request({ stream: "agents", path: "/agents/me" })
    const check = (name: StreamName) => checkStream(client, name)
    const streams = yield* Effect.forEach(names, check, { concurrency: 4 })
    return { agentId: agentIdOf(me.body), streams }
  })

/**
 * The exit code of `check` for a report: 0 when every stream is readable, else
 * 1.
 *
 * @since 0.1.0
 * @category checks
 */
export const exitCode = (report: CheckReport): 0 | 1 => {
  const readable = report.streams.every((s) => s.status === "ok")
  return readable ? 0 : 1
}
