/**
 * Saved cursors of the incremental streams: one UTC timestamp (or null) per
 * pass.
 */
import type { HttpSource } from "@landed/http-source"
import { Effect } from "effect"
import * as FreshdeskError from "../FreshdeskError.ts"
import * as Time from "./time.ts"

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const unreadable = (stream: string, detail: string) =>
  FreshdeskError.make(
    "InvalidConfig",
    `the saved cursor of stream \`${stream}\` is unreadable (${detail}); this connector ` +
      "version did not write it. Sync the stream with `--full-refresh` to start it again.",
    { stream }
  )

/** A timestamp field of a saved cursor: null, or a valid timestamp normalised to UTC. */
export const timestamp = (stream: string, value: unknown, name: string) => {
  if (value === null || value === undefined) return Effect.succeed(null)
  const normalized = typeof value === "string" ? Time.normalize(value, false) : undefined
  return normalized === undefined
    ? Effect.fail(unreadable(stream, `\`${name}\` is not a timestamp`))
    : Effect.succeed(normalized)
}

/** A cursor with one timestamp per pass; null (a first sync) gives every pass null. */
type PerPass<P extends string> = { readonly [K in P]: string | null }

const perPass = <P extends string>(passes: ReadonlyArray<P>, values: ReadonlyArray<Stamp>) => {
  const entries = passes.map((pass, i) => [pass, values[i] ?? null])
  return Object.fromEntries(entries) as PerPass<P>
}

export const parse = <P extends string>(
  stream: string,
  cursor: unknown,
  passes: ReadonlyArray<P>
): Effect.Effect<PerPass<P>, FreshdeskError.FreshdeskError> => {
  if (cursor === null || cursor === undefined) return Effect.succeed(perPass(passes, []))
  if (!isRecord(cursor)) return Effect.fail(unreadable(stream, "not an object"))
  const read = (pass: P) => timestamp(stream, cursor[pass], pass)
  return Effect.map(Effect.forEach(passes, read), (values) => perPass(passes, values))
}

/** The latest of some timestamps, or null when none is given. */
export const latest = (values: ReadonlyArray<string | null | undefined>): string | null => {
  let best: string | null = null
  let bestMillis = Number.NEGATIVE_INFINITY
  for (const value of values) {
    const normalized = typeof value === "string" ? Time.normalize(value, false) : undefined
    if (normalized === undefined) continue
    const millis = Time.millis(normalized)
    if (millis > bestMillis) [best, bestMillis] = [normalized, millis]
  }
  return best
}

type Stamp = string | null

/** The earlier of two timestamps; null when either is null. */
export const earliest = (a: string | null, b: string | null): string | null => {
  if (a === null || b === null) return null
  return Time.millis(a) <= Time.millis(b) ? a : b
}

// without the server's Date header, a change this long before our clock's
// reading may still count as during a pass (clock skew)
const SKEW_MILLIS = 5 * 60_000

/**
 * When a listing started by the server's clock, from its first answer's `Date`
 * header (whole seconds, so one second earlier: a change in the same second
 * counts as during it).
 */
export const serverStart = (response: HttpSource.SourceResponse): string => {
  const date = Date.parse(response.headers.date ?? "")
  const start = Number.isNaN(date) ? response.receivedAt.getTime() - SKEW_MILLIS : date - 1000
  return Time.toSeconds(new Date(start))
}

/**
 * Where a listing read in no particular order may resume: the latest
 * `updated_at` it saw, but no later than its start, since a record changed
 * while it was read may have been passed already.
 */
export const resumeAt = (since: Stamp, max: Stamp, startedAt: Stamp): Stamp =>
  latest([since, startedAt === null ? max : earliest(max, startedAt)])

/** Whether an answer's `Link` header names a next page. */
export const hasNextPage = (response: HttpSource.SourceResponse): boolean =>
  /rel="?next"?/.test(response.headers.link ?? "")

/** The largest timestamp a cursor claims across its passes. */
export const watermark = (cursor: unknown, passes: ReadonlyArray<string>): string | null =>
  isRecord(cursor) ? latest(passes.map((pass) => cursor[pass] as string | null | undefined)) : null
