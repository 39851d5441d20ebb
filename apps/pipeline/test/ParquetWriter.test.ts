import { describe, expect, it } from "@effect/vitest"
import { Json } from "@landed/http-source"
import { Effect } from "effect"
import * as DuckDb from "../src/DuckDb.ts"
import * as ParquetWriter from "../src/ParquetWriter.ts"
import * as Synthetic from "./support/Synthetic.ts"

const decimal = "1.23456789012345678901234"

describe("ParquetWriter", () => {
  it.scoped("keeps ids past 2^53 and JSON decimals exact", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const shape = Synthetic.tickets(Synthetic.account([]))
      const writer = ParquetWriter.make(out, shape, "20261203T181500Z-3fa2c1")
      const custom = Json.parse(`{"cf_amount": ${decimal}, "cf_big": 123456789012345678901}`)
      const row = Synthetic.ticket(9007199254740993n, "2026-11-02T10:00:00Z", { custom_fields: custom })

      yield* writer.append([row], new Date("2026-12-03T18:15:00Z"))
      const staged = yield* writer.flush
      const duck = yield* DuckDb.DuckDb
      const rows = yield* duck.rows(
        `SELECT id::VARCHAR AS id, custom_fields::VARCHAR AS cf, _run_id FROM read_parquet(${DuckDb.list(staged.files.map((f) => f.path))})`,
        "read"
      )

      expect(staged.rows).toBe(1)
      expect(staged.idSum).toBe(9007199254740993n)
      expect(rows).toEqual([
        {
          id: "9007199254740993",
          cf: `{"cf_amount":${decimal},"cf_big":123456789012345678901}`,
          _run_id: "20261203T181500Z-3fa2c1"
        }
      ])
    }).pipe(Effect.provide(DuckDb.layer()))
  )

  it.scoped("partitions incremental rows by the UTC month of updated_at", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const shape = Synthetic.tickets(Synthetic.account([]))
      const writer = ParquetWriter.make(out, shape, "20261203T181500Z-3fa2c1")
      const rows = [
        Synthetic.ticket(1, "2026-10-31T23:30:00-05:00"),
        Synthetic.ticket(2, "2026-10-31T20:00:00Z"),
        Synthetic.ticket(3, "2026-11-01T03:00:00+05:30")
      ]

      yield* writer.append(rows, new Date())
      const staged = yield* writer.flush

      expect(staged.files.map((f) => f.partition).sort()).toEqual(["updated_month=2026-10", "updated_month=2026-11"])
      expect(staged.files.every((f) => f.path.includes("_staging/tickets/"))).toBe(true)
    }).pipe(Effect.provide(DuckDb.layer()))
  )

  it.scoped("stages nothing when no rows were appended", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const writer = ParquetWriter.make(out, Synthetic.agents({ agents: [] }), "20261203T181500Z-3fa2c1")

      const staged = yield* writer.flush

      expect(staged).toEqual({ files: [], rows: 0, idSum: 0n, nullIds: 0 })
    }).pipe(Effect.provide(DuckDb.layer()))
  )

  it.scoped("keeps null and empty lists apart and writes one run folder for full refresh", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const shape = Synthetic.tickets(Synthetic.account([]))
      const writer = ParquetWriter.make(out, { ...shape, mode: "full_refresh" }, "20261203T181500Z-3fa2c1")

      yield* writer.append(
        [Synthetic.ticket(1, "2026-11-01T00:00:00Z", { tags: null }), Synthetic.ticket(2, "2026-11-01T00:00:00Z")],
        new Date()
      )
      const staged = yield* writer.flush
      const duck = yield* DuckDb.DuckDb
      const rows = yield* duck.rows(
        `SELECT id, tags IS NULL AS is_null, len(tags) AS n FROM read_parquet(${DuckDb.list(staged.files.map((f) => f.path))}) ORDER BY id`,
        "read"
      )

      expect(staged.files.map((f) => f.partition)).toEqual(["run=20261203T181500Z-3fa2c1"])
      expect(rows).toEqual([
        { id: "1", is_null: true, n: null },
        { id: "2", is_null: false, n: "0" }
      ])
    }).pipe(Effect.provide(DuckDb.layer()))
  )
})
