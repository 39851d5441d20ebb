/**
 * One stream's records with lazily built sorted indices.
 *
 * A listing of 60,000 tickets must not sort per request: each (view, order key,
 * direction) gets a sorted array the first time it is asked for, kept in order
 * by binary-search insertion and removal on every later mutation, so a page
 * costs O(log n + per_page) when no extra filter applies. Ties on the order key
 * are broken by id ascending in both directions.
 *
 * @since 0.1.0
 */

/**
 * A record plus the keys it is listed by; records are immutable, a mutation
 * replaces them.
 *
 * @since 0.1.0
 * @category models
 */
export interface Entry {
  readonly id: number
  readonly rec: Readonly<Record<string, unknown>>
  readonly created: number
  readonly updated: number
  readonly due: number
  readonly status: number
  readonly name: string
  readonly deleted: boolean
  readonly blocked: boolean
  readonly spam: boolean
}

/**
 * Which records a listing can see: `normal` hides deleted, spam and blocked
 * records.
 *
 * @since 0.1.0
 * @category models
 */
export type View = "normal" | "spam" | "deleted" | "blocked"

/**
 * A key records are ordered by.
 *
 * @since 0.1.0
 * @category models
 */
export type SortKey = "created_at" | "updated_at" | "due_by" | "status" | "name" | "id"

/**
 * A lower bound on an order key, inclusive (`>=`) or strict (`>`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Bound {
  readonly value: number
  readonly inclusive: boolean
}

/**
 * A page request against one index.
 *
 * @since 0.1.0
 * @category models
 */
export interface Select {
  readonly view: View
  readonly key: SortKey
  readonly dir: "asc" | "desc"
  readonly from?: Bound | undefined
  readonly where?: ((entry: Entry) => boolean) | undefined
  readonly offset: number
  readonly limit: number
}

interface Index {
  readonly view: View
  readonly key: SortKey
  readonly sign: 1 | -1
  readonly rows: Array<Entry>
}

const inView = (view: View, e: Entry): boolean => {
  switch (view) {
    case "normal":
      return !e.deleted && !e.spam && !e.blocked
    case "spam":
      return e.spam && !e.deleted
    case "deleted":
      return e.deleted
    case "blocked":
      return e.blocked && !e.deleted
  }
}

const keyOf = (e: Entry, key: SortKey): number | string => {
  switch (key) {
    case "created_at":
      return e.created
    case "updated_at":
      return e.updated
    case "due_by":
      return e.due
    case "status":
      return e.status
    case "name":
      return e.name
    case "id":
      return e.id
  }
}

const compare = (index: Index, a: Entry, b: Entry): number => {
  const ka = keyOf(a, index.key)
  const kb = keyOf(b, index.key)
  if (ka !== kb) return (ka < kb ? -1 : 1) * index.sign
  return a.id - b.id
}

// the first position whose row is no longer `before`; rows are sorted, so
// `before` holds for a prefix and a binary search finds where it ends
const lowerBound = (index: Index, before: (row: Entry) => boolean): number => {
  let lo = 0
  let hi = index.rows.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (before(index.rows[mid]!)) lo = mid + 1
    else hi = mid
  }
  return lo
}

const insert = (index: Index, e: Entry): void => {
  index.rows.splice(
    lowerBound(index, (row) => compare(index, row, e) < 0),
    0,
    e
  )
}

const remove = (index: Index, e: Entry): void => {
  const at = lowerBound(index, (row) => compare(index, row, e) < 0)
  if (index.rows[at] === e) index.rows.splice(at, 1)
}

// the [lo, hi) slice of rows whose key passes the bound (numeric keys only)
const bounded = (index: Index, from: Bound | undefined): readonly [number, number] => {
  if (from === undefined) return [0, index.rows.length]
  const passes = (row: Entry): boolean => {
    const k = keyOf(row, index.key) as number
    return from.inclusive ? k >= from.value : k > from.value
  }
  if (index.sign === 1) return [lowerBound(index, (row) => !passes(row)), index.rows.length]
  return [0, lowerBound(index, passes)]
}

/**
 * A stream's records by id, with sorted indices built on first use.
 *
 * @since 0.1.0
 * @category models
 */
export class Table {
  private readonly byId = new Map<number, Entry>()
  private readonly indices = new Map<string, Index>()

  /** the record with this id, if any */
  get(id: number): Entry | undefined {
    return this.byId.get(id)
  }

  /** every record, in insertion order */
  all(): ReadonlyArray<Entry> {
    return [...this.byId.values()]
  }

  /** how many records the table holds, hidden ones included */
  get size(): number {
    return this.byId.size
  }

  /** the largest id in the table, or 0 */
  maxId(): number {
    let max = 0
    for (const id of this.byId.keys()) if (id > max) max = id
    return max
  }

  /** stores a record, replacing the one with the same id and keeping built indices sorted */
  put(next: Entry): void {
    const old = this.byId.get(next.id)
    this.byId.set(next.id, next)
    this.reindex(old, next)
  }

  /** removes a record for good */
  delete(id: number): void {
    const old = this.byId.get(id)
    if (old === undefined) return
    this.byId.delete(id)
    this.reindex(old, undefined)
  }

  /** rows of one page: skip `offset` matches, then take up to `limit` */
  select(q: Select): ReadonlyArray<Entry> {
    const index = this.index(q.view, q.key, q.dir)
    const [lo, hi] = bounded(index, q.from)
    if (q.where === undefined)
      return index.rows.slice(Math.min(lo + q.offset, hi), Math.min(lo + q.offset + q.limit, hi))
    const out: Array<Entry> = []
    let skipped = 0
    for (let i = lo; i < hi && out.length < q.limit; i++) {
      const row = index.rows[i]!
      if (!q.where(row)) continue
      if (skipped < q.offset) skipped++
      else out.push(row)
    }
    return out
  }

  private index(view: View, key: SortKey, dir: "asc" | "desc"): Index {
    const name = `${view}|${key}|${dir}`
    const found = this.indices.get(name)
    if (found !== undefined) return found
    const index: Index = { view, key, sign: dir === "asc" ? 1 : -1, rows: [] }
    for (const e of this.byId.values()) if (inView(view, e)) index.rows.push(e)
    index.rows.sort((a, b) => compare(index, a, b))
    this.indices.set(name, index)
    return index
  }

  private reindex(old: Entry | undefined, next: Entry | undefined): void {
    for (const index of this.indices.values()) {
      if (old !== undefined && inView(index.view, old)) remove(index, old)
      if (next !== undefined && inView(index.view, next)) insert(index, next)
    }
  }
}
