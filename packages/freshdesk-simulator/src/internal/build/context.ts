// what a record builder needs: randomness, the shape switch and the records it
// may refer to
import type { Rec } from "../../Records.ts"
import type { Rng } from "../prng.ts"

export interface Pools {
  readonly contacts: ReadonlyArray<Rec>
  readonly companies: ReadonlyArray<Rec>
  readonly agents: ReadonlyArray<Rec>
  readonly groups: ReadonlyArray<Rec>
  readonly products: ReadonlyArray<Rec>
  readonly tickets: ReadonlyArray<Rec>
}

export interface Ctx {
  readonly rng: Rng
  readonly odd: boolean
  readonly pools: Pools
}

export const DAY = 86_400_000

export const midnight = (ms: number): number => Math.floor(ms / DAY) * DAY

// a value from the pool's `id`, or null when the pool is empty
export const pickId = (ctx: Ctx, pool: ReadonlyArray<Rec>): number | null =>
  pool.length === 0 ? null : (ctx.rng.pick(pool).id as number)

// a time between `from` and `to`, whole seconds
export const between = (ctx: Ctx, from: number, to: number): number =>
  Math.floor((from + ctx.rng.next() * Math.max(0, to - from)) / 1000) * 1000

// an array field that is sometimes null and sometimes empty, as in real
// listings
export const emails = (ctx: Ctx, nullShare: number): Array<string> | null => {
  if (ctx.rng.chance(nullShare)) return null
  return ctx.rng.chance(0.8) ? [] : [`cc${ctx.rng.int(1, 999)}@example.com`]
}
