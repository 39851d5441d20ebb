import { describe, expect, it } from "@effect/vitest"
import { fc, test } from "@fast-check/vitest"
import { Either } from "effect"
import * as Snapshot from "../src/Snapshot.ts"

const base: Snapshot.Snapshot = {
  format: 1,
  stream: "tickets",
  seq: 3,
  runId: "20261203T181500Z-3fa2c1",
  mode: "incremental",
  schemaVersion: 1,
  cursor: null,
  maxUpdatedAt: "2026-12-03T18:00:00.000Z",
  baselineRun: null,
  pendingBaselineRun: null,
  complete: true,
  files: [{ path: "tickets/updated_month=2026-12/part-20261203T181500Z-3fa2c1-00001.parquet", rows: 10, bytes: 2048 }],
  rows: 10,
  totalRows: 30,
  verification: {
    rows: 10,
    nullIds: 0,
    idSum: "55",
    schema: "match",
    watermark: "2026-12-03T18:00:00Z",
    maxUpdatedAt: "2026-12-03T18:00:00.000Z",
    checkedAt: "2026-12-03T18:15:09.000Z"
  },
  runStartedAt: "2026-12-03T18:15:00.000Z",
  committedAt: "2026-12-03T18:15:10.000Z"
}

const cursor = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n }),
    fc.string(),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.string({ minLength: 1 }), tie("value"), { maxKeys: 3 })
  )
})).value

describe("Snapshot", () => {
  test.prop([cursor])("reads back what it writes, cursor digits included", (value) => {
    const snapshot = { ...base, cursor: value }

    const parsed = Snapshot.parse(Snapshot.encode(snapshot))

    expect(parsed).toEqual(Either.right(snapshot))
  })

  it("says which field of a snapshot is wrong", () => {
    const text = Snapshot.encode(base).replace('"seq": 3', '"seq": "three"')

    const parsed = Snapshot.parse(text)

    expect(Either.isLeft(parsed) && parsed.left).toContain("seq")
  })
})
