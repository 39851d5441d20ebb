/**
 * Saved cursors of the incremental streams: one UTC timestamp (or null) per pass.
 */
import { Effect } from "effect"
import * as FreshdeskError from "../FreshdeskError.ts"
import * as Time from "./time.ts"

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const unreadable = (stream: string, detail: string) =>
  FreshdeskError.make(
    "InvalidConfig",
    `the saved cursor of stream \`${stream}\` is unreadable (${detail}); it was not written by this ` +
      `connector version. Sync the stream with \`--full-refresh\` to start it again.`,
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
export const parse = <P extends string>(
  stream: string,
  cursor: unknown,
  passes: ReadonlyArray<P>
): Effect.Effect<{ readonly [K in P]: string | null }, FreshdeskError.FreshdeskError> => {
  if (cursor === null || cursor === undefined) {
    return Effect.succeed(Object.fromEntries(passes.map((p) => [p, null])) as { [K in P]: string | null })
  }
  if (!isRecord(cursor)) return Effect.fail(unreadable(stream, "not an object"))
  return Effect.map(
    Effect.forEach(passes, (pass) => timestamp(stream, cursor[pass], pass)),
    (values) => Object.fromEntries(passes.map((p, i) => [p, values[i]])) as { [K in P]: string | null }
  )
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

/** The largest timestamp a cursor claims across its passes. */
export const watermark = (cursor: unknown, passes: ReadonlyArray<string>): string | null =>
  isRecord(cursor) ? latest(passes.map((pass) => cursor[pass] as string | null | undefined)) : null
