/**
 * The one error of the bench: a child process or a measurement that did not go as
 * planned, with what to look at.
 *
 * @since 0.1.0
 */

/**
 * Why a bench step failed.
 *
 * @since 0.1.0
 * @category errors
 */
export type Reason = "SimulatorFailed" | "SyncFailed" | "FloorFailed" | "BuildFailed" | "InvalidArguments"

/**
 * A bench step that failed, with its reason.
 *
 * @since 0.1.0
 * @category errors
 */
export class BenchError extends Error {
  readonly _tag = "BenchError"
  readonly reason: Reason

  constructor(reason: Reason, message: string) {
    super(message)
    this.name = "BenchError"
    this.reason = reason
  }
}
