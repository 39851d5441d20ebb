/**
 * Counters per stream that a run shows as progress.
 *
 * One `SourceStats` is created per run. `HttpSource` counts requests, bytes, credits,
 * retries, rate-limit waits and 429 answers; the paginators count pages, records and
 * the duplicates they dropped. The counters are plain numbers bumped synchronously, so
 * counting costs next to nothing on the request path; `snapshot` copies them for a
 * progress reporter.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"

/**
 * The counters of one stream.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamCounters {
  /** attempts sent, retries included */
  readonly requests: number
  /** bytes of response bodies received */
  readonly bytes: number
  /** attempts repeated after a transient failure */
  readonly retries: number
  /** waits for a `Retry-After` or a window the headers said was spent */
  readonly rateLimitWaits: number
  readonly rateLimitWaitMillis: number
  /** time spent waiting for the budget's even pace */
  readonly paceWaitMillis: number
  /** credits the requests cost */
  readonly credits: number
  readonly pages: number
  readonly records: number
  /** records a paginator dropped because it had emitted them already */
  readonly duplicates: number
  readonly responses429: number
}

/**
 * The name of one counter.
 *
 * @since 0.1.0
 * @category models
 */
export type Counter = keyof StreamCounters

/**
 * Counters that are all zero.
 *
 * @since 0.1.0
 * @category constructors
 */
export const empty: StreamCounters = {
  requests: 0,
  bytes: 0,
  retries: 0,
  rateLimitWaits: 0,
  rateLimitWaitMillis: 0,
  paceWaitMillis: 0,
  credits: 0,
  pages: 0,
  records: 0,
  duplicates: 0,
  responses429: 0
}

/**
 * The counters of a run.
 *
 * @since 0.1.0
 * @category models
 */
export interface SourceStats {
  /** a copy of every stream's counters */
  readonly snapshot: Effect.Effect<ReadonlyMap<string, StreamCounters>>
  /** adds to some counters of a stream */
  readonly add: (stream: string, counts: Partial<Record<Counter, number>>) => Effect.Effect<void>
  /** adds to one counter at once, for code already inside an Effect step */
  readonly unsafeAdd: (stream: string, counter: Counter, n: number) => void
}

/**
 * The service tag of the run's {@link SourceStats}.
 *
 * @since 0.1.0
 * @category tags
 */
export const SourceStats: Context.Tag<SourceStats, SourceStats> = Context.GenericTag<SourceStats>(
  "@landed/http-source/SourceStats"
)

type Mutable = { -readonly [K in Counter]: number }

/**
 * Builds an empty set of counters.
 *
 * @since 0.1.0
 * @category constructors
 */
export const unsafeMake = (): SourceStats => {
  const streams = new Map<string, Mutable>()
  const of = (stream: string): Mutable => {
    let counters = streams.get(stream)
    if (counters === undefined) {
      counters = { ...empty }
      streams.set(stream, counters)
    }
    return counters
  }
  const unsafeAdd = (stream: string, counter: Counter, n: number) => {
    of(stream)[counter] += n
  }
  return {
    snapshot: Effect.sync(() => new Map([...streams].map(([name, counters]) => [name, { ...counters }]))),
    add: (stream, counts) =>
      Effect.sync(() => {
        for (const [counter, n] of Object.entries(counts)) unsafeAdd(stream, counter as Counter, n)
      }),
    unsafeAdd
  }
}

/**
 * Builds an empty set of counters.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<SourceStats> = Effect.sync(unsafeMake)

/**
 * A layer with fresh counters for one run.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<SourceStats> = Layer.effect(SourceStats, make)

/**
 * Sums the counters of every stream.
 *
 * @since 0.1.0
 * @category combinators
 */
export const total = (snapshot: ReadonlyMap<string, StreamCounters>): StreamCounters => {
  const sum: Mutable = { ...empty }
  for (const counters of snapshot.values()) {
    for (const counter of Object.keys(sum) as Array<Counter>) sum[counter] += counters[counter]
  }
  return sum
}
