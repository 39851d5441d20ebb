/**
 * Run ids: the UTC start time to the second and a random suffix
 * (`20261203T181500Z-3fa2c1`), so ids sort by time and two runs started in the same second
 * still differ. Every invocation of `sync` is a new run.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Random } from "effect"

/**
 * A run id such as `20261203T181500Z-3fa2c1`.
 *
 * @since 0.1.0
 * @category models
 */
export type RunId = string

const PATTERN = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/

/**
 * Formats a run id from its start time and a 24-bit suffix.
 *
 * @since 0.1.0
 * @category constructors
 */
export const format = (startedAt: Date, suffix: number): RunId => {
  const stamp = startedAt.toISOString().slice(0, 19).replace(/[-:]/g, "")
  return `${stamp}Z-${(suffix & 0xffffff).toString(16).padStart(6, "0")}`
}

/**
 * Makes a new run id from the current time and a random suffix.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<RunId> = Effect.gen(function* () {
  const millis = yield* Clock.currentTimeMillis
  const suffix = yield* Random.nextIntBetween(0, 0x1000000)
  return format(new Date(millis), suffix)
})

/**
 * Tells whether a text is a well-formed run id.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isRunId = (text: string): boolean => PATTERN.test(text)

/**
 * The UTC time a run id was started at, to the second.
 *
 * @since 0.1.0
 * @category getters
 */
export const startedAt = (runId: RunId): Date => {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(runId) ?? []
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`)
}
