// reads a dataset the way an analyst does: DuckDB over views.sql, from the test process
import { Effect } from "effect"
import * as DuckDb from "../../src/DuckDb.ts"
import * as Views from "../../src/Views.ts"

export const query = (out: string, sql: string) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const duck = yield* DuckDb.DuckDb
      return yield* duck.session((session) =>
        Effect.zipRight(Views.install(out, session), session.rows(sql, "run the test query"))
      )
    }).pipe(Effect.provide(DuckDb.layer({ memoryLimit: "256MB", threads: 1 })))
  )
