// the mutable state one running simulator shares between its API and control
// routes
import type { FaultPicker } from "../Faults.ts"
import type { Account } from "../Generator.ts"
import type { Runtime } from "../Options.ts"
import type { RateLimiter } from "../RateLimiter.ts"
import type { PagingMutator } from "../Scenarios.ts"
import type { StatsCollector } from "../Stats.ts"

export interface State {
  readonly account: Account
  readonly apiKey: string
  runtime: Runtime
  url: string
  readonly limiter: RateLimiter
  readonly faults: FaultPicker
  readonly stats: StatsCollector
  readonly mutator: PagingMutator
}

export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly credits: number
  readonly drop?: "reset" | "truncate" | "truncate-reset"
}
