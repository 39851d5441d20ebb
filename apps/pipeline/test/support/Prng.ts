// a small seeded generator for tests that draw a point at random (a kill, a fault): same
// seed, same draws, on every machine
export interface Prng {
  /** a number in [0, 1) */
  readonly next: () => number
  /** an integer in [min, max] */
  readonly int: (min: number, max: number) => number
}

export const make = (seed: number): Prng => {
  // xorshift32 over a state mixed from the seed; zero would be a fixed point
  let state = Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) >>> 0 || 1
  const next = () => {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state / 4294967296
  }
  return { next, int: (min, max) => min + Math.floor(next() * (max - min + 1)) }
}
