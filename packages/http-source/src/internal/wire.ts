// one exchange on the wire: send a request through the platform client, read its whole
// body, give up at a deadline, and abort the socket on a timeout or an interruption. It
// runs once per attempt, so it is written for few Effect steps: what costs more than the
// rest of an attempt is named where it is avoided.
import { HttpClient, type HttpClientError, type HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { Cause, Context, Effect, Exit, type FiberId, FiberRef, FiberRefs, Scope } from "effect"
import * as LongNumbers from "./longNumbers.ts"

export interface Wire {
  readonly status: number
  /** names in lower case */
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  /**
   * `false` when the body's bytes hold no run of digits and dots long enough for a number
   * a double cannot hold, so `JSON.parse` reads it exactly; `undefined` when the body came
   * as text and was not tested
   */
  readonly mayHoldLongNumbers: boolean | undefined
}

/** what each way an exchange can go wrong becomes */
export interface Failures<E> {
  /** no answer came (the connection failed or was refused) */
  readonly transport: (cause: unknown) => E
  /** the answer's body broke off before its end */
  readonly cutOff: () => E
  /** the deadline passed first */
  readonly timedOut: () => E
}

export type Client = HttpClient.HttpClient.With<HttpClientError.HttpClientError, Scope.Scope>

/** the platform client with a scope per request, through which a request is aborted */
export const client = (base: HttpClient.HttpClient): Client => HttpClient.withScope(base)

// platform-node's undici response keeps undici's answer as `source`, whose body reads
// itself to bytes in one promise (failing when the socket closes before the declared
// length, or when the request is aborted). The response's own `text` memoises the read
// with `Effect.cached` run through `Effect.runSync`: a fiber and a synchronized ref per
// response, more Effect steps than the rest of the attempt. The bytes are tested for long
// numbers before they are decoded, twice as fast as the same test on the text (see
// `LongNumbers.hasLongRunInBytes`). Other clients take `text`.
// Known gap: `source` is no part of platform-node's API; should a release rename it,
// bodies are read through `text` again (slower, same behaviour). A body reader in the
// platform's API would remove this.
interface BytesBody {
  readonly bytes: () => Promise<Uint8Array>
}

const directBody = (response: HttpClientResponse.HttpClientResponse): BytesBody | undefined => {
  const source: unknown = (response as { readonly source?: unknown }).source
  if (typeof source !== "object" || source === null || !("body" in source)) return undefined
  const body: unknown = source.body
  return typeof body === "object" && body !== null && "bytes" in body && typeof body.bytes === "function"
    ? (body as BytesBody)
    : undefined
}

// UTF-8 text as undici's own `text()` decodes it: a byte order mark dropped, invalid
// sequences replaced
const utf8 = (bytes: Uint8Array): string => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const bom = buffer.length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf
  return buffer.toString("utf8", bom ? 3 : 0)
}

const readBody = <E>(response: HttpClientResponse.HttpClientResponse, onFailure: () => E): Effect.Effect<Wire, E> => {
  const status = response.status
  const headers = response.headers
  const body = directBody(response)
  if (body === undefined) {
    return Effect.mapBoth(response.text, {
      onFailure,
      onSuccess: (text): Wire => ({ status, headers, text, mayHoldLongNumbers: undefined })
    })
  }
  return Effect.async<Wire, E>((resume) => {
    body.bytes().then(
      (bytes) => {
        // decoding fails only past V8's longest string, which undici's own `text()` also
        // refused; caught here, since nothing else would resume the fiber
        let text: string
        try {
          text = utf8(bytes)
        } catch {
          resume(Effect.fail(onFailure()))
          return
        }
        resume(Effect.succeed({ status, headers, text, mayHoldLongNumbers: LongNumbers.hasLongRunInBytes(bytes) }))
      },
      () => resume(Effect.fail(onFailure()))
    )
  })
}

const tracerOff = () => true

const setRef = <A>(refs: FiberRefs.FiberRefs, fiberId: FiberId.Runtime, fiberRef: FiberRef.FiberRef<A>, value: A) =>
  FiberRefs.updateAs(refs, { fiberId, fiberRef, value })

const copyRef = <A>(
  refs: FiberRefs.FiberRefs,
  fiberId: FiberId.Runtime,
  from: FiberRefs.FiberRefs,
  ref: FiberRef.FiberRef<A>
) => setRef(refs, fiberId, ref, FiberRefs.getOrDefault(from, ref))

// the client reads two fiber refs: the context (for the request's scope) and the tracer
// switch, off because the platform's spans record the full URL and headers. Each
// `Effect.locally` is an acquire-use-release of its own; here both refs are set in one
// step and put back in the finalizer that ends the exchange
const withScopeAndNoTracer = <A, E>(scope: Scope.Scope, use: Effect.Effect<A, E, Scope.Scope>) => {
  let before = FiberRefs.empty()
  const enter = Effect.updateFiberRefs((fiberId, refs) => {
    before = refs
    const context = Context.add(FiberRefs.getOrDefault(refs, FiberRef.currentContext), Scope.Scope, scope)
    const scoped = setRef(refs, fiberId, FiberRef.currentContext, context)
    return setRef(scoped, fiberId, HttpClient.currentTracerDisabledWhen, tracerOff)
  })
  const leave = Effect.updateFiberRefs((fiberId, refs) =>
    copyRef(
      copyRef(refs, fiberId, before, FiberRef.currentContext),
      fiberId,
      before,
      HttpClient.currentTracerDisabledWhen
    )
  )
  // the scope is in context while `use` runs, so its requirement is met
  return { enter, use: use as Effect.Effect<A, E>, leave }
}

/**
 * Sends `request` and reads its body. The deadline aborts the request through its scope
 * from a plain timer: racing a sleep (`Effect.timeout`) forks fibers on every attempt.
 * The scope is closed (aborting the socket) only on a timeout or an interruption; after
 * an answer it is left to the garbage collector, since an abort then only costs time.
 */
export const exchange = <E>(
  http: Client,
  request: HttpClientRequest.HttpClientRequest,
  timeoutMillis: number,
  failures: Failures<E>
): Effect.Effect<Wire, E> =>
  Effect.flatMap(Scope.make(), (scope) => {
    let expired = false
    const timer = setTimeout(() => {
      expired = true
      Effect.runFork(Scope.close(scope, Exit.void))
    }, timeoutMillis)
    const cutOff = () => (expired ? failures.timedOut() : failures.cutOff())
    const refs = withScopeAndNoTracer(
      scope,
      Effect.matchEffect(http.execute(request), {
        onFailure: (error) => Effect.fail(expired ? failures.timedOut() : failures.transport(error.cause ?? error)),
        onSuccess: (response) => readBody(response, cutOff)
      })
    )
    // the end runs in the mask, after success and failure alike; `onExit` would mask again
    const end = (interrupted: boolean) => {
      clearTimeout(timer)
      return interrupted ? Effect.zipRight(refs.leave, Scope.close(scope, Exit.void)) : refs.leave
    }
    return Effect.uninterruptibleMask((restore) =>
      Effect.zipRight(
        refs.enter,
        Effect.matchCauseEffect(restore(refs.use), {
          onFailure: (cause) => Effect.zipRight(end(Cause.isInterrupted(cause)), Effect.failCause(cause)),
          onSuccess: (wire) => Effect.as(end(false), wire)
        })
      )
    )
  })
