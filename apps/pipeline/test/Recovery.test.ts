import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as DuckDb from "../src/DuckDb.ts"
import * as Recovery from "../src/Recovery.ts"
import * as Harness from "./support/Harness.ts"
import * as Synthetic from "./support/Synthetic.ts"

const tickets = Array.from({ length: 5 }, (_, i) => Synthetic.ticket(i + 1, `2026-11-0${i + 1}T00:00:00Z`))

const touch = (path: string, text = "x") =>
  Effect.promise(async () => {
    await Fs.mkdir(Path.dirname(path), { recursive: true })
    await Fs.writeFile(path, text)
  })

describe("Recovery", () => {
  it.scoped("removes files no snapshot names and empties staging", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      yield* Harness.syncOnce(Synthetic.tickets(Synthetic.account(tickets)), out)
      const before = yield* Effect.promise(() => Synthetic.listFiles(Path.join(out, "tickets")))
      yield* touch(Path.join(out, "tickets/updated_month=2026-11/part-20261203T235959Z-ffffff-00001.parquet"))
      yield* touch(Path.join(out, "_staging/tickets/20261203T235959Z-ffffff-00001.ndjson"))
      yield* touch(Path.join(out, "_state/tickets/snapshots/00000002.json.tmp-1-1"))

      const recovered = yield* Recovery.recover(out, "tickets")
      const after = yield* Effect.promise(() => Synthetic.listFiles(Path.join(out, "tickets")))
      const staging = yield* Effect.promise(() => Synthetic.listFiles(Path.join(out, "_staging")))
      const state = yield* Effect.promise(() => Synthetic.listFiles(Path.join(out, "_state/tickets")))

      expect(recovered.removed).toEqual(["tickets/updated_month=2026-11/part-20261203T235959Z-ffffff-00001.parquet"])
      expect(after).toEqual(before)
      expect(staging).toEqual([])
      expect(state).toEqual(["current.json", "snapshots/00000001.json"])
    }).pipe(Effect.provide(DuckDb.layer()))
  )

  it.scoped("rewrites a current.json that lags behind the newest snapshot", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      yield* Harness.syncOnce(Synthetic.tickets(Synthetic.account(tickets)), out)
      const current = Path.join(out, "_state/tickets/current.json")
      const good = yield* Effect.promise(() => Fs.readFile(current, "utf8"))
      yield* touch(current, "{}")

      const recovered = yield* Recovery.recover(out, "tickets")

      expect(recovered.repairedCurrent).toBe(true)
      expect(yield* Effect.promise(() => Fs.readFile(current, "utf8"))).toBe(good)
    }).pipe(Effect.provide(DuckDb.layer()))
  )

  it.scoped("fails on a snapshot it cannot read rather than deleting data", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      yield* Harness.syncOnce(Synthetic.tickets(Synthetic.account(tickets)), out)
      yield* touch(Path.join(out, "_state/tickets/snapshots/00000001.json"), "{ not json")

      const error = yield* Effect.flip(Recovery.recover(out, "tickets"))
      const files = yield* Effect.promise(() => Synthetic.listFiles(Path.join(out, "tickets")))

      expect(error.reason).toBe("CorruptState")
      expect(files).toHaveLength(1)
    }).pipe(Effect.provide(DuckDb.layer()))
  )
})
