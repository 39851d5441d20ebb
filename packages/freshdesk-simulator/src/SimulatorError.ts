/**
 * The error the control API raises when asked for something that does not
 * exist.
 *
 * @since 0.1.0
 */
import { Data } from "effect"

/**
 * A control call named an unknown stream, a missing record or an unusable
 * value.
 *
 * @since 0.1.0
 * @category errors
 */
export class SimulatorError extends Data.TaggedError("SimulatorError")<{
  readonly reason: "UnknownStream" | "NotFound" | "InvalidInput"
  readonly message: string
}> {}
