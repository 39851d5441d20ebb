/**
 * Time windows: split a range of time into half-open windows and read them in parallel.
 *
 * A source whose API filters by a lower bound only (`updated_since`) can still be read
 * window by window: each window's reader stops at the window's end on the client side
 * (`Paginator.keyset`'s `until`). Windows are read concurrently, as many as the budget
 * keeps in flight with `concurrency: "budget"`; an event marks each completed window and
 * says up to when every window is done, which is what a checkpoint may record. A window
 * whose read fails with `PageCapReached` is split in halves and read again, down to a
 * smallest window.
 *
 * @since 0.1.0
 */
import { Duration, Effect, Option, Stream } from "effect"
import { HttpSource } from "./HttpSource.ts"
import { isHttpSourceError } from "./HttpSourceError.ts"
import { RateBudget } from "./RateBudget.ts"

/**
 * A half-open span of time: `start` included, `end` excluded.
 *
 * @since 0.1.0
 * @category models
 */
export interface Window {
  readonly start: Date
  readonly end: Date
}

/**
 * What {@link read} emits: a value read in a window, or the end of one of the windows it
 * was given, with `completedThrough`, the end of the longest run of leading windows that
 * are all complete (the first window's start while none is).
 *
 * @since 0.1.0
 * @category models
 */
export type Event<A> =
  | { readonly _tag: "Item"; readonly window: Window; readonly value: A }
  | { readonly _tag: "WindowComplete"; readonly window: Window; readonly completedThrough: Date }

/**
 * Splits `range` into consecutive windows of `step` (the last one shorter when the range
 * is not a multiple); an empty range gives none. Throws a `RangeError` on a step that is
 * not positive.
 *
 * @since 0.1.0
 * @category constructors
 */
export const split = (range: Window, step: Duration.DurationInput): ReadonlyArray<Window> => {
  const stepMillis = Duration.toMillis(Duration.decode(step))
  if (!(stepMillis > 0)) throw new RangeError(`the window step must be positive, got ${Duration.format(step)}`)
  const windows: Array<Window> = []
  const end = range.end.getTime()
  for (let start = range.start.getTime(); start < end; start += stepMillis) {
    windows.push({ start: new Date(start), end: new Date(Math.min(end, start + stepMillis)) })
  }
  return windows
}

/**
 * Splits a window at its middle (to the millisecond), or gives `None` when it is no longer
 * than `smallest`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const halve = (
  window: Window,
  smallest: Duration.DurationInput = Duration.seconds(1)
): Option.Option<readonly [Window, Window]> => {
  const start = window.start.getTime()
  const length = window.end.getTime() - start
  if (length <= Duration.toMillis(Duration.decode(smallest))) return Option.none()
  const middle = new Date(start + Math.floor(length / 2))
  return Option.some([
    { start: window.start, end: middle },
    { start: middle, end: window.end }
  ])
}

/**
 * Options of {@link read}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReadOptions<A, E, R> {
  readonly windows: ReadonlyArray<Window>
  /**
   * windows read at once; `"budget"` uses the `maxInFlight` of the rate budget in context
   * (or of the `HttpSource` in context), 4 without either
   */
  readonly concurrency: number | "budget"
  /** the reader of one window, which must stop at the window's end */
  readonly read: (window: Window) => Stream.Stream<A, E, R>
  /** split a window whose read fails with `PageCapReached` (default true) */
  readonly splitOnPageCap?: boolean
  /** windows this short are not split further (default 1 second) */
  readonly smallestWindow?: Duration.DurationInput
}

type Internal<A> =
  | { readonly _tag: "Item"; readonly window: Window; readonly value: A }
  | { readonly _tag: "Done"; readonly index: number }

const isPageCap = (e: unknown): boolean => isHttpSourceError(e) && e.reason === "PageCapReached"

const logSplit = (window: Window) =>
  Effect.logInfo("time window split after a page cap").pipe(
    Effect.annotateLogs({
      "source.window.start": window.start.toISOString(),
      "source.window.end": window.end.toISOString()
    })
  )

// items read before a split are read again by the halves; consumers deduplicate by id
const readPieces = <A, E, R>(options: ReadOptions<A, E, R>, window: Window): Stream.Stream<Internal<A>, E, R> =>
  Stream.catchAll(
    Stream.map(options.read(window), (value): Internal<A> => ({ _tag: "Item", window, value })),
    (error) => {
      const halves =
        options.splitOnPageCap === false || !isPageCap(error) ? Option.none() : halve(window, options.smallestWindow)
      if (Option.isNone(halves)) return Stream.fail(error)
      const [first, second] = halves.value
      return Stream.concat(
        Stream.drain(Stream.fromEffect(logSplit(window))),
        Stream.concat(readPieces(options, first), readPieces(options, second))
      )
    }
  )

// the budget in context, else the one the HttpSource in context uses
const budgetInFlight: Effect.Effect<number> = Effect.flatMap(Effect.serviceOption(RateBudget), (budget) =>
  Option.isSome(budget)
    ? Effect.succeed(budget.value.maxInFlight)
    : Effect.map(
        Effect.serviceOption(HttpSource),
        Option.match({ onNone: () => 4, onSome: (source) => source.budget.maxInFlight })
      )
)

const concurrencyOf = (concurrency: number | "budget"): Effect.Effect<number> =>
  concurrency === "budget" ? budgetInFlight : Effect.succeed(Math.max(1, concurrency))

interface Progress {
  readonly done: Set<number>
  prefix: number
}

const toEvent =
  (windows: ReadonlyArray<Window>) =>
  <A>(progress: Progress, event: Internal<A>): readonly [Progress, Event<A>] => {
    if (event._tag === "Item") return [progress, event]
    progress.done.add(event.index)
    while (progress.done.has(progress.prefix)) progress.prefix += 1
    const through = progress.prefix === 0 ? windows[0]!.start : windows[progress.prefix - 1]!.end
    return [progress, { _tag: "WindowComplete", window: windows[event.index]!, completedThrough: through }]
  }

/**
 * Reads every window with `read`, several at once, and emits each value with its window
 * and a `WindowComplete` event after each window's last value.
 *
 * @since 0.1.0
 * @category combinators
 */
export const read = <A, E, R>(options: ReadOptions<A, E, R>): Stream.Stream<Event<A>, E, R> =>
  Stream.unwrap(
    Effect.map(concurrencyOf(options.concurrency), (concurrency) => {
      const windows = options.windows
      const one = (window: Window, index: number): Stream.Stream<Internal<A>, E, R> =>
        Stream.concat(readPieces(options, window), Stream.succeed<Internal<A>>({ _tag: "Done", index }))
      const merged = Stream.flatMap(
        Stream.fromIterable(windows.map((window, index) => [window, index] as const)),
        ([window, index]) => one(window, index),
        { concurrency }
      )
      return Stream.mapAccum(merged, { done: new Set<number>(), prefix: 0 } as Progress, toEvent(windows))
    })
  )
