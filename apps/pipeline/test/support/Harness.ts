// runs the storage engine on synthetic streams in a temporary dataset
import { Deferred, Effect } from "effect"
import * as DuckDb from "../../src/DuckDb.ts"
import type { StreamSource } from "../../src/internal/contract.ts"
import * as RunReport from "../../src/RunReport.ts"
import * as StreamRun from "../../src/StreamRun.ts"
import * as Views from "../../src/Views.ts"

let runs = 0

/** run ids in increasing time order, as real runs would get them */
export const nextRunId = () =>
  `20261203T${String(100000 + ++runs)
    .slice(1)
    .padStart(6, "0")}Z-00000${runs % 10}`

export const syncOnce = <E>(source: StreamSource<E, never>, out: string, overrides: Partial<StreamRun.Options> = {}) =>
  Effect.gen(function* () {
    const stop = overrides.stop ?? (yield* Deferred.make<void>())
    const counters = RunReport.counters()
    const runId = overrides.runId ?? nextRunId()
    const outcome = yield* StreamRun.run(
      source,
      {
        out,
        runId,
        runStartedAt: new Date(),
        catalog: [source],
        startDate: null,
        fullRefresh: false,
        checkpointRows: 10,
        checkpointSeconds: 3600,
        ...overrides,
        stop
      },
      counters
    )
    return { outcome, counters, runId }
  })

export const query = (out: string, sql: string) =>
  Effect.gen(function* () {
    const duck = yield* DuckDb.DuckDb
    return yield* duck.session((session) =>
      Effect.zipRight(Views.install(out, session), session.rows(sql, "run the test query"))
    )
  })
