import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as DuckDb from "../src/DuckDb.ts"
import * as ParquetWriter from "../src/ParquetWriter.ts"
import * as Verifier from "../src/Verifier.ts"
import * as Harness from "./support/Harness.ts"
import * as Synthetic from "./support/Synthetic.ts"

const runId = "20261203T181500Z-3fa2c1"

const stage = (rows: ReadonlyArray<Synthetic.Ticket>) =>
  Effect.gen(function* () {
    const out = yield* Synthetic.tempDir
    const shape = Synthetic.tickets(Synthetic.account([]))
    const writer = ParquetWriter.make(out, shape, runId)
    yield* writer.append(rows, new Date())
    const staged = yield* writer.flush
    return { shape, staged, files: staged.files.map((f) => f.path) }
  })

const rows = [Synthetic.ticket(1, "2026-11-01T00:00:00Z"), Synthetic.ticket(2, "2026-11-02T00:00:00Z")]
const cursor = { updated_at: "2026-11-02T00:00:00Z" }

describe("Verifier", () => {
  describe("checkpoint", () => {
    it.scoped("passes a checkpoint that holds what was written", () =>
      Effect.gen(function* () {
        const { shape, staged, files } = yield* stage(rows)

        const verified = yield* Verifier.checkpoint({
          shape,
          files,
          rows: 2,
          idSum: staged.idSum,
          cursor,
          committedMaxUpdatedAt: null
        })

        expect(verified.verification).toMatchObject({ rows: 2, nullIds: 0, idSum: "3", schema: "match" })
        expect(verified.maxUpdatedAt).toBe("2026-11-02T00:00:00.000Z")
        expect([...verified.fileRows.values()]).toEqual([2])
      }).pipe(Effect.provide(DuckDb.layer()))
    )

    it.scoped("refuses a row count that differs from the rows written", () =>
      Effect.gen(function* () {
        const { shape, staged, files } = yield* stage(rows)

        const error = yield* Effect.flip(
          Verifier.checkpoint({ shape, files, rows: 3, idSum: staged.idSum, cursor, committedMaxUpdatedAt: null })
        )

        expect(error.reason).toBe("VerificationFailed")
        expect(error.message).toContain("2 rows read back, 3 written")
      }).pipe(Effect.provide(DuckDb.layer()))
    )

    it.scoped("refuses rows without an id and ids that differ", () =>
      Effect.gen(function* () {
        const { shape, files } = yield* stage([
          ...rows,
          { ...Synthetic.ticket(3, "2026-11-02T00:00:00Z"), id: null as never }
        ])

        const error = yield* Effect.flip(
          Verifier.checkpoint({ shape, files, rows: 3, idSum: 6n, cursor, committedMaxUpdatedAt: null })
        )

        expect(error.message).toContain("1 rows without an id")
        expect(error.message).toContain("the ids read back do not match")
      }).pipe(Effect.provide(DuckDb.layer()))
    )

    it.scoped("refuses a cursor the data does not reach", () =>
      Effect.gen(function* () {
        const { shape, staged, files } = yield* stage(rows)

        const error = yield* Effect.flip(
          Verifier.checkpoint({
            shape,
            files,
            rows: 2,
            idSum: staged.idSum,
            cursor: { updated_at: "2026-12-01T00:00:00Z" },
            committedMaxUpdatedAt: "2026-11-15T00:00:00Z"
          })
        )

        expect(error.message).toContain("the cursor claims data up to 2026-12-01T00:00:00Z")
      }).pipe(Effect.provide(DuckDb.layer()))
    )

    it.scoped("accepts a cursor reached by data committed earlier", () =>
      Effect.gen(function* () {
        const { shape } = yield* stage([])

        const verified = yield* Verifier.checkpoint({
          shape,
          files: [],
          rows: 0,
          idSum: 0n,
          cursor: { updated_at: "2026-12-01T00:00:00Z" },
          committedMaxUpdatedAt: "2026-12-01T00:00:00Z"
        })

        expect(verified.verification.rows).toBe(0)
      }).pipe(Effect.provide(DuckDb.layer()))
    )

    it.scoped("refuses files whose columns differ from the stream's", () =>
      Effect.gen(function* () {
        const { shape, staged, files } = yield* stage(rows)
        const wider = { ...shape, columns: [...shape.columns, { name: "priority", type: "BIGINT", description: "" }] }

        const error = yield* Effect.flip(
          Verifier.checkpoint({
            shape: wider,
            files,
            rows: 2,
            idSum: staged.idSum,
            cursor,
            committedMaxUpdatedAt: null
          })
        )

        expect(error.message).toContain("expected but absent: priority BIGINT")
      }).pipe(Effect.provide(DuckDb.layer()))
    )
  })

  describe("dataset", () => {
    const committed = Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const many = Array.from({ length: 30 }, (_, i) => Synthetic.ticket(i + 1, `2026-${10 + (i % 3)}-01T00:00:00Z`))
      yield* Harness.syncOnce(Synthetic.tickets(Synthetic.account(many)), out)
      yield* Harness.syncOnce(Synthetic.agents({ agents: [{ id: 1, name: "a" }] }), out)
      const files = yield* Effect.promise(() => Synthetic.listFiles(Path.join(out, "tickets")))
      return { out, first: Path.join(out, "tickets", files[0]!) }
    })

    it.scoped("finds a consistent dataset consistent", () =>
      Effect.gen(function* () {
        const { out } = yield* committed

        const report = yield* Verifier.dataset(out)

        expect(report.ok).toBe(true)
        expect(report.streams.map((s) => [s.stream, s.rows, s.problems.length])).toEqual([
          ["agents", 1, 0],
          ["tickets", 30, 0]
        ])
      }).pipe(Effect.provide(DuckDb.layer()))
    )

    it.scoped("catches a deleted file", () =>
      Effect.gen(function* () {
        const { out, first } = yield* committed
        yield* Effect.promise(() => Fs.rm(first))

        const report = yield* Verifier.dataset(out)

        expect(report.ok).toBe(false)
        expect(report.streams[1]?.problems.join()).toContain(`missing file ${Path.relative(out, first)}`)
      }).pipe(Effect.provide(DuckDb.layer()))
    )

    it.scoped("catches an added file", () =>
      Effect.gen(function* () {
        const { out, first } = yield* committed
        yield* Effect.promise(() => Fs.copyFile(first, Path.join(Path.dirname(first), "part-extra.parquet")))

        const report = yield* Verifier.dataset(out)

        expect(report.ok).toBe(false)
        expect(report.streams[1]?.problems.join()).toContain("part-extra.parquet is named by no snapshot")
      }).pipe(Effect.provide(DuckDb.layer()))
    )

    it.scoped("catches a truncated file", () =>
      Effect.gen(function* () {
        const { out, first } = yield* committed
        const bytes = yield* Effect.promise(() => Fs.readFile(first))
        yield* Effect.promise(() => Fs.writeFile(first, bytes.subarray(0, bytes.length - 10)))

        const report = yield* Verifier.dataset(out)

        expect(report.ok).toBe(false)
        expect(report.streams[1]?.problems.join()).toMatch(/size of tickets\/.* is \d+ bytes, the snapshot says/)
      }).pipe(Effect.provide(DuckDb.layer()))
    )

    it.scoped("catches a file changed in place to the same size", () =>
      Effect.gen(function* () {
        const { out, first } = yield* committed
        const bytes = yield* Effect.promise(() => Fs.readFile(first))
        bytes.fill(0, bytes.length - 8)
        yield* Effect.promise(() => Fs.writeFile(first, bytes))

        const report = yield* Verifier.dataset(out)

        expect(report.streams[1]?.problems.join()).toContain("unreadable file")
      }).pipe(Effect.provide(DuckDb.layer()))
    )
  })
})
