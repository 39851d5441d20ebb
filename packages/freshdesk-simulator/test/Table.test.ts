import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Entry, type SortKey, Table, type View } from "../src/Table.ts"

const entry = (id: number, updated: number, status: number, deleted = false, spam = false): Entry => ({
  id,
  rec: { id },
  created: id * 10,
  updated,
  due: 0,
  status,
  name: `n${status}`,
  deleted,
  blocked: false,
  spam
})

const arbEntry = fc
  .record({
    id: fc.integer({ min: 1, max: 60 }),
    updated: fc.integer({ min: 0, max: 8 }),
    status: fc.integer({ min: 2, max: 5 }),
    deleted: fc.boolean(),
    spam: fc.boolean()
  })
  .map((r) => entry(r.id, r.updated, r.status, r.deleted, r.spam))

const visible = (view: View, e: Entry): boolean =>
  view === "normal" ? !e.deleted && !e.spam : view === "spam" ? e.spam && !e.deleted : e.deleted

const naive = (table: Table, view: View, key: SortKey, dir: "asc" | "desc") => {
  const k = (e: Entry) => (key === "updated_at" ? e.updated : e.status)
  const sign = dir === "asc" ? 1 : -1
  return table
    .all()
    .filter((e) => visible(view, e))
    .sort((a, b) => sign * (k(a) - k(b)) || a.id - b.id)
}

describe("Table", () => {
  it("keeps every index in order through puts and deletes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(arbEntry, fc.integer({ min: 1, max: 60 })), { maxLength: 80 }),
        fc.constantFrom<View>("normal", "spam", "deleted"),
        fc.constantFrom<SortKey>("updated_at", "status"),
        fc.constantFrom<"asc" | "desc">("asc", "desc"),
        (ops, view, key, dir) => {
          const table = new Table()
          // build the index early so the mutations below must maintain it
          table.select({ view, key, dir, offset: 0, limit: 1 })
          for (const op of ops) typeof op === "number" ? table.delete(op) : table.put(op)

          const rows = table.select({ view, key, dir, offset: 0, limit: 1000 })

          expect(rows.map((e) => e.id)).toEqual(naive(table, view, key, dir).map((e) => e.id))
        }
      ),
      { numRuns: 200 }
    )
  })

  it("finds the same rows by binary search as by scanning", () => {
    fc.assert(
      fc.property(
        fc.array(arbEntry, { maxLength: 60 }),
        fc.integer({ min: 0, max: 9 }),
        fc.boolean(),
        fc.constantFrom<"asc" | "desc">("asc", "desc"),
        (entries, value, inclusive, dir) => {
          const table = new Table()
          for (const e of entries) table.put(e)
          const passes = (e: Entry) => (inclusive ? e.updated >= value : e.updated > value)

          const bounded = table.select({
            view: "normal",
            key: "updated_at",
            dir,
            from: { value, inclusive },
            offset: 0,
            limit: 1000
          })
          const scanned = table.select({
            view: "normal",
            key: "updated_at",
            dir,
            where: passes,
            offset: 0,
            limit: 1000
          })

          expect(bounded.map((e) => e.id)).toEqual(scanned.map((e) => e.id))
        }
      ),
      { numRuns: 200 }
    )
  })

  it("pages a filtered index by skipping matches, not rows", () => {
    const table = new Table()
    for (let id = 1; id <= 10; id++) table.put(entry(id, id, id % 2 === 0 ? 2 : 3, false, false))

    const page = table.select({
      view: "normal",
      key: "id",
      dir: "asc",
      where: (e) => e.status === 2,
      offset: 2,
      limit: 2
    })

    expect(page.map((e) => e.id)).toEqual([6, 8])
  })
})
