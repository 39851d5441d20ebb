/**
 * Request statistics of the API routes (the control API is not counted), so
 * tests can assert how a client behaved: how many requests, to which endpoints,
 * with what outcome, how many credits, how many 429s and how many requests were
 * in flight at once.
 *
 * @since 0.1.0
 */

/**
 * A snapshot of the counters.
 *
 * @since 0.1.0
 * @category models
 */
export interface SimulatorStats {
  readonly total: number
  readonly byEndpoint: Readonly<Record<string, number>>
  readonly byStatus: Readonly<Record<string, number>>
  readonly credits: number
  readonly rateLimited: number
  readonly faults: number
  readonly inFlight: number
  readonly peakInFlight: number
}

/**
 * Mutable counters behind {@link SimulatorStats}.
 *
 * @since 0.1.0
 * @category models
 */
export class StatsCollector {
  private total = 0
  private byEndpoint: Record<string, number> = {}
  private byStatus: Record<string, number> = {}
  private credits = 0
  private rateLimited = 0
  private faults = 0
  private inFlight = 0
  private peakInFlight = 0

  /** counts a request arriving */
  begin(endpoint: string): void {
    this.total++
    this.byEndpoint[endpoint] = (this.byEndpoint[endpoint] ?? 0) + 1
    this.inFlight++
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight)
  }

  /** counts a request answered (status 0 for a connection dropped on purpose) */
  end(status: number, credits: number, fault: boolean): void {
    this.inFlight--
    const key = String(status)
    this.byStatus[key] = (this.byStatus[key] ?? 0) + 1
    this.credits += credits
    if (status === 429) this.rateLimited++
    if (fault) this.faults++
  }

  /** the counters now */
  snapshot(): SimulatorStats {
    return {
      total: this.total,
      byEndpoint: { ...this.byEndpoint },
      byStatus: { ...this.byStatus },
      credits: this.credits,
      rateLimited: this.rateLimited,
      faults: this.faults,
      inFlight: this.inFlight,
      peakInFlight: this.peakInFlight
    }
  }

  /** zeroes every counter except requests still in flight */
  reset(): void {
    this.total = 0
    this.byEndpoint = {}
    this.byStatus = {}
    this.credits = 0
    this.rateLimited = 0
    this.faults = 0
    this.peakInFlight = this.inFlight
  }
}
