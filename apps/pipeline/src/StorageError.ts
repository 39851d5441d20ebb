/**
 * The failure area of the dataset on disk: file system calls, DuckDB statements, state that
 * cannot be read, and checkpoints that fail their verification.
 *
 * @since 0.1.0
 */
import { Data } from "effect"

/**
 * Why a storage step failed.
 *
 * @since 0.1.0
 * @category models
 */
export type Reason = "Io" | "DuckDb" | "VerificationFailed" | "CorruptState"

/**
 * A storage step failed; `message` says what, where and what to do.
 *
 * @since 0.1.0
 * @category errors
 */
export class StorageError extends Data.TaggedError("StorageError")<{
  readonly reason: Reason
  readonly message: string
  readonly stream?: string
  readonly path?: string
  readonly cause?: unknown
}> {}

/**
 * Builds an `Io` error for a failed file system call on `path`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const io = (operation: string, path: string, cause: unknown): StorageError =>
  new StorageError({
    reason: "Io",
    message: `could not ${operation} \`${path}\`: ${describe(cause)}`,
    path,
    cause
  })

/**
 * Builds a `DuckDb` error for a failed statement, naming what the statement was for.
 *
 * @since 0.1.0
 * @category constructors
 */
export const duckDb = (purpose: string, cause: unknown): StorageError =>
  new StorageError({ reason: "DuckDb", message: `DuckDB failed to ${purpose}: ${describe(cause)}`, cause })

const describe = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))
