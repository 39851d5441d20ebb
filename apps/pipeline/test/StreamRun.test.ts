import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber } from "effect"
import * as DuckDb from "../src/DuckDb.ts"
import * as Lock from "../src/Lock.ts"
import * as State from "../src/State.ts"
import * as Harness from "./support/Harness.ts"
import * as Synthetic from "./support/Synthetic.ts"

const day = (n: number) => `2026-11-${String(n).padStart(2, "0")}T00:00:00Z`
const someTickets = (n: number) => Array.from({ length: n }, (_, i) => Synthetic.ticket(i + 1, day(1 + (i % 20))))

describe("StreamRun", () => {
  it.scoped("commits a checkpoint every checkpointRows rows", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const source = Synthetic.tickets(Synthetic.account(someTickets(25)), { pageSize: 5 })

      const { outcome, counters } = yield* Harness.syncOnce(source, out, { checkpointRows: 10 })
      const state = yield* State.load(out, "tickets")
      const current = yield* Effect.promise(() => Fs.readFile(Path.join(out, "_state/tickets/current.json"), "utf8"))

      expect(outcome.status).toBe("committed")
      expect(state.snapshots.map((s) => s.rows)).toEqual([10, 10, 5])
      expect(state.latest?.complete).toBe(true)
      expect(state.latest?.totalRows).toBe(25)
      expect(JSON.parse(current).seq).toBe(3)
      expect(counters).toMatchObject({ records: 25, pages: 5, commits: 3 })
    }).pipe(Effect.provide(DuckDb.layer()))
  )

  it.scoped("resumes from the saved cursor and keeps one current row per id", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const acct = Synthetic.account(someTickets(12))
      const source = Synthetic.tickets(acct, { pageSize: 5 })
      yield* Harness.syncOnce(source, out)
      acct.tickets[0] = Synthetic.ticket(1, day(25), { subject: "edited" })

      const second = yield* Harness.syncOnce(source, out)
      const current = yield* Harness.query(out, "SELECT count(*) AS n, count(DISTINCT id) AS ids FROM tickets")
      const edited = yield* Harness.query(out, "SELECT subject FROM tickets WHERE id = 1")
      const history = yield* Harness.query(out, "SELECT count(*) AS n FROM tickets_history WHERE id = 1")

      // the keyset is inclusive, so the second run refetches the last second's tickets too
      expect(second.counters.records).toBeLessThan(12)
      expect(current).toEqual([{ n: "12", ids: "12" }])
      expect(edited).toEqual([{ subject: "edited" }])
      expect(history).toEqual([{ n: "2" }])
    }).pipe(Effect.provide(DuckDb.layer()))
  )

  it.live("commits what it stored when stopped, and resumes from there", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const acct = Synthetic.account(someTickets(40))
      const source = Synthetic.tickets(acct, { pageSize: 5, pageDelay: "40 millis" })
      const stop = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(Harness.syncOnce(source, out, { stop, checkpointRows: 1000 }))
      yield* Effect.sleep("130 millis")

      yield* Deferred.succeed(stop, undefined)
      const stopped = yield* Fiber.join(fiber)
      const afterStop = yield* State.load(out, "tickets")
      yield* Harness.syncOnce(Synthetic.tickets(acct, { pageSize: 5 }), out)
      const current = yield* Harness.query(out, "SELECT count(*) AS n, count(DISTINCT id) AS ids FROM tickets")

      expect(stopped.outcome.status).toBe("interrupted")
      expect(afterStop.snapshots).toHaveLength(1)
      expect(afterStop.latest?.rows).toBe(stopped.counters.records)
      expect(afterStop.latest?.complete).toBe(false)
      expect(current).toEqual([{ n: "40", ids: "40" }])
    }).pipe(Effect.provide(DuckDb.layer()), Effect.scoped)
  )

  it.scoped("commits what it stored when the source fails, and reports the failure", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const error = { _tag: "FreshdeskError", reason: "AccessDenied", message: "use an admin key" }
      const source = Synthetic.tickets(Synthetic.account(someTickets(30)), {
        pageSize: 5,
        failAfterPages: { pages: 3, error }
      })

      const { outcome } = yield* Harness.syncOnce(source, out, { checkpointRows: 1000 })
      const state = yield* State.load(out, "tickets")

      expect(outcome.status).toBe("failed")
      expect(outcome.error).toEqual({ reason: "AccessDenied", message: "use an admin key" })
      expect(state.latest?.rows).toBe(15)
    }).pipe(Effect.provide(DuckDb.layer()))
  )

  it.scoped("commits a full-refresh stream once, and keeps the previous run when a read fails", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const acct = { agents: Array.from({ length: 23 }, (_, i) => ({ id: 1000 + i, name: `agent ${i}` })) }
      const first = yield* Harness.syncOnce(Synthetic.agents(acct, { pageSize: 5 }), out, { checkpointRows: 10 })
      acct.agents.pop()
      const failing = Synthetic.agents(acct, { pageSize: 5, failAfterPages: { pages: 2, error: new Error("boom") } })

      const second = yield* Harness.syncOnce(failing, out, { checkpointRows: 10 })
      const state = yield* State.load(out, "agents")
      const current = yield* Harness.query(out, "SELECT count(*) AS n, min(_run_id) AS run FROM agents")
      const staging = yield* Effect.promise(() => Synthetic.listFiles(Path.join(out, "_staging")))

      expect(first.outcome.status).toBe("committed")
      expect(second.outcome.status).toBe("failed")
      expect(state.snapshots).toHaveLength(1)
      expect(state.latest?.files.length).toBe(3)
      expect(current).toEqual([{ n: "23", run: first.runId }])
      expect(staging).toEqual([])
    }).pipe(Effect.provide(DuckDb.layer()))
  )

  it.scoped("shows only the latest full-refresh run in the current view", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const acct = {
        agents: [
          { id: 1, name: "a" },
          { id: 2, name: "b" }
        ]
      }
      yield* Harness.syncOnce(Synthetic.agents(acct), out)
      acct.agents.pop()

      const second = yield* Harness.syncOnce(Synthetic.agents(acct), out)
      const current = yield* Harness.query(out, "SELECT id, _run_id AS run, run AS folder FROM agents")
      const history = yield* Harness.query(out, "SELECT count(*) AS n FROM agents_history")

      expect(current).toEqual([{ id: "1", run: second.runId, folder: second.runId }])
      expect(history).toEqual([{ n: "3" }])
    }).pipe(Effect.provide(DuckDb.layer()))
  )

  it.scoped("makes a completed full refresh of an incremental stream its baseline", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const acct = Synthetic.account(someTickets(6))
      yield* Harness.syncOnce(Synthetic.tickets(acct), out)
      acct.tickets.splice(1, 1)

      const refresh = yield* Harness.syncOnce(Synthetic.tickets(acct), out, { fullRefresh: true })
      const state = yield* State.load(out, "tickets")
      const current = yield* Harness.query(out, "SELECT list(id ORDER BY id) AS ids FROM tickets")
      const history = yield* Harness.query(out, "SELECT count(DISTINCT id) AS n FROM tickets_history")

      expect(state.latest?.baselineRun).toBe(refresh.runId)
      expect(current).toEqual([{ ids: ["1", "3", "4", "5", "6"] }])
      expect(history).toEqual([{ n: "6" }])
    }).pipe(Effect.provide(DuckDb.layer()))
  )

  it.scoped("keeps the old baseline until an interrupted full refresh is finished", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const acct = Synthetic.account(someTickets(20))
      yield* Harness.syncOnce(Synthetic.tickets(acct), out)
      acct.tickets.splice(0, 1)
      const failing = Synthetic.tickets(acct, { pageSize: 5, failAfterPages: { pages: 2, error: new Error("cut") } })
      const refresh = yield* Harness.syncOnce(failing, out, { fullRefresh: true, checkpointRows: 5 })
      const midway = yield* State.load(out, "tickets")

      yield* Harness.syncOnce(Synthetic.tickets(acct), out)
      const state = yield* State.load(out, "tickets")
      const current = yield* Harness.query(out, "SELECT count(*) AS n, min(id) AS first FROM tickets")

      expect(midway.latest).toMatchObject({ baselineRun: null, pendingBaselineRun: refresh.runId })
      expect(state.latest).toMatchObject({ baselineRun: refresh.runId, pendingBaselineRun: null })
      expect(current).toEqual([{ n: "19", first: "2" }])
    }).pipe(Effect.provide(DuckDb.layer()))
  )

  it.scoped("publishes nothing when a checkpoint fails its verification", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const source = Synthetic.tickets(Synthetic.account(someTickets(5)), { watermark: () => "2030-01-01T00:00:00Z" })

      const { outcome } = yield* Harness.syncOnce(source, out)
      const published = yield* Effect.promise(() => Synthetic.listFiles(Path.join(out, "tickets")))
      const state = yield* State.load(out, "tickets")

      expect(outcome).toMatchObject({ status: "failed", verification: "failed" })
      expect(outcome.error?.message).toContain("the cursor claims data up to 2030-01-01T00:00:00Z")
      expect(published).toEqual([])
      expect(state.snapshots).toEqual([])
    }).pipe(Effect.provide(DuckDb.layer()))
  )

  it.scoped("reports a stream whose lock another process holds as locked", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      yield* Lock.acquire(out, "tickets", "20261203T000000Z-aaaaaa")

      const { outcome } = yield* Harness.syncOnce(Synthetic.tickets(Synthetic.account(someTickets(3))), out)

      expect(outcome.status).toBe("locked")
      expect(outcome.error?.message).toContain("run 20261203T000000Z-aaaaaa")
    }).pipe(Effect.provide(DuckDb.layer()))
  )
})
