// an in-memory list served the way list APIs serve one: filtered by an inclusive lower
// bound on a cursor field, sorted by it (ties in a stable hidden order), paged by number
// with a Link header while more follow, refusing pages past a cap; it can change between
// requests the way a live list does
import type * as TestServer from "../../src/TestServer.ts"

export interface Row {
  readonly id: number
  updated: number
  /** the hidden order of ties, fixed per row */
  readonly rank: number
}

export type Change =
  | { readonly _tag: "None" }
  | { readonly _tag: "Insert"; readonly ahead: 0 | 1 }
  | { readonly _tag: "Update"; readonly pick: number; readonly ahead: 0 | 1 }
  | { readonly _tag: "Delete"; readonly pick: number }

export interface FakeList {
  readonly rows: Array<Row>
  readonly handler: TestServer.Handler
}

const toJson = (row: Row) => ({ id: row.id, updated_at: row.updated })

const byCursor = (a: Row, b: Row) => a.updated - b.updated || a.rank - b.rank

export const make = (
  initial: ReadonlyArray<number>,
  options: { readonly pageCap?: number; readonly changes?: ReadonlyArray<Change>; readonly ignoreSince?: boolean } = {}
): FakeList => {
  const rows: Array<Row> = initial.map((updated, i) => ({ id: i + 1, updated, rank: (i * 7919) % 1009 }))
  let nextId = rows.length + 1
  const apply = (change: Change | undefined) => {
    if (change === undefined || change._tag === "None") return
    const now = rows.reduce((max, row) => Math.max(max, row.updated), 0)
    if (change._tag === "Insert") {
      rows.push({ id: nextId, updated: now + change.ahead, rank: (nextId * 7919) % 1009 })
      nextId += 1
      return
    }
    if (rows.length === 0) return
    const index = change.pick % rows.length
    if (change._tag === "Delete") rows.splice(index, 1)
    else rows[index]!.updated = now + change.ahead
  }
  const handler: TestServer.Handler = (request, index) => {
    apply(options.changes?.[index])
    const since = request.query.since === undefined || options.ignoreSince ? -Infinity : Number(request.query.since)
    const page = Number(request.query.page ?? "1")
    const perPage = Number(request.query.per_page ?? "30")
    if (options.pageCap !== undefined && page > options.pageCap) {
      const errors = [{ field: "page", message: "beyond the page cap", code: "invalid_value" }]
      return { status: 400, body: { description: "Validation failed", errors } }
    }
    const sorted = rows.filter((row) => row.updated >= since).sort(byCursor)
    const body = sorted.slice((page - 1) * perPage, page * perPage).map(toJson)
    const more = sorted.length > page * perPage
    const next = `http://${request.headers.host}${request.path}?since=${request.query.since ?? ""}&page=${page + 1}`
    return { body, headers: more ? { link: `<${next}>; rel="next"` } : {} }
  }
  return { rows, handler }
}
