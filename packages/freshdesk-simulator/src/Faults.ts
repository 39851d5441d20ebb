/**
 * Seeded fault and latency draws. Each API request that reaches its handler
 * draws once per applicable rule, in rule order; the first hit decides the
 * fault. With the same seed and the same request order the same requests fail,
 * so a fault test is repeatable.
 *
 * @since 0.1.0
 */
import type { Endpoint, FaultKind, FaultRule, Latency } from "./Options.ts"
import { derive, make, type Rng } from "./internal/prng.ts"

/**
 * Draws faults and latencies from one seed.
 *
 * @since 0.1.0
 * @category models
 */
export class FaultPicker {
  private readonly rng: Rng
  private readonly jitter: Rng
  private used = new Map<FaultRule, number>()

  constructor(
    seed: number,
    private rules: ReadonlyArray<FaultRule>
  ) {
    this.rng = make(derive(seed, "faults"))
    this.jitter = make(derive(seed, "latency"))
  }

  /** replaces the rules and forgets how often each fired */
  configure(rules: ReadonlyArray<FaultRule>): void {
    this.rules = rules
    this.used = new Map()
  }

  /** the fault for this request, if any */
  pick(endpoint: Endpoint): FaultKind | undefined {
    for (const rule of this.rules) {
      if (rule.endpoints !== undefined && !rule.endpoints.includes(endpoint)) continue
      const used = this.used.get(rule) ?? 0
      if (rule.times !== undefined && used >= rule.times) continue
      if (this.rng.next() < rule.rate) {
        this.used.set(rule, used + 1)
        return rule.kind
      }
    }
    return undefined
  }

  /** this response's delay in milliseconds */
  delay(latency: Latency): number {
    const jitter = latency.jitterMs ?? 0
    return latency.ms + (jitter > 0 ? Math.floor(this.jitter.next() * (jitter + 1)) : 0)
  }
}
