/**
 * Signals as a service. The first SIGTERM or SIGINT completes `requested`: a sync then
 * commits what it has verified, releases its locks and exits 143 (130 for SIGINT); other
 * commands stop at once. A second signal exits immediately, for an operator who will not
 * wait for the last checkpoint.
 *
 * @since 0.1.0
 */
import { Context, Deferred, Effect, Layer } from "effect"

/**
 * The signals that stop a run.
 *
 * @since 0.1.0
 * @category models
 */
export type Signal = "SIGTERM" | "SIGINT"

/**
 * Whether and how the process was asked to stop.
 *
 * @since 0.1.0
 * @category services
 */
export class Shutdown extends Context.Tag("@landed/pipeline/Shutdown")<
  Shutdown,
  {
    readonly requested: Deferred.Deferred<void>
    readonly signal: () => Signal | null
  }
>() {}

/**
 * The exit code of a process stopped by a signal (128 plus its number).
 *
 * @since 0.1.0
 * @category exit codes
 */
export const exitCodeOf = (signal: Signal): number => (signal === "SIGTERM" ? 143 : 130)

/**
 * Listens to SIGTERM and SIGINT for the life of the layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Shutdown> = Layer.scoped(
  Shutdown,
  Effect.gen(function* () {
    const requested = yield* Deferred.make<void>()
    let received: Signal | null = null
    const on = (signal: Signal) => () => {
      if (received !== null) process.exit(exitCodeOf(signal))
      received = signal
      Deferred.unsafeDone(requested, Effect.void)
    }
    const handlers = { SIGTERM: on("SIGTERM"), SIGINT: on("SIGINT") }
    yield* Effect.acquireRelease(
      Effect.sync(() => {
        process.on("SIGTERM", handlers.SIGTERM)
        process.on("SIGINT", handlers.SIGINT)
      }),
      () =>
        Effect.sync(() => {
          process.off("SIGTERM", handlers.SIGTERM)
          process.off("SIGINT", handlers.SIGINT)
        })
    )
    return { requested, signal: () => received }
  })
)

/**
 * A shutdown that never comes, for tests and embedding.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNever: Layer.Layer<Shutdown> = Layer.effect(
  Shutdown,
  Effect.map(Deferred.make<void>(), (requested) => ({ requested, signal: () => null }))
)
