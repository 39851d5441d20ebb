/**
 * Scenarios played on top of the generated account while it is served: records
 * that change while a client pages through a listing, and malformed values in
 * chosen records or pages.
 *
 * @since 0.1.0
 */
import type { Account } from "./Generator.ts"
import * as Mutations from "./Mutations.ts"
import type { Corruption, FieldFlip, PagingMutation, StreamName } from "./Options.ts"
import type { Rec } from "./Records.ts"
import { RawJson } from "./WireJson.ts"

/**
 * Counts successful listing requests and plays the configured mutations.
 *
 * @since 0.1.0
 * @category models
 */
export class PagingMutator {
  private counts = new Map<PagingMutation, number>()

  constructor(private rules: ReadonlyArray<PagingMutation>) {}

  /** replaces the rules and restarts their counts */
  configure(rules: ReadonlyArray<PagingMutation>): void {
    this.rules = rules
    this.counts = new Map()
  }

  /** notes one listing request of `stream` answered 200, mutating when a rule is due */
  listed(account: Account, stream: StreamName, now: number): void {
    for (const rule of this.rules) {
      if (rule.stream !== stream || rule.everyNRequests <= 0) continue
      const n = (this.counts.get(rule) ?? 0) + 1
      this.counts.set(rule, n)
      if (n % rule.everyNRequests === 0) play(account, rule, now)
    }
  }
}

const visibleIds = (account: Account, stream: StreamName): Array<number> =>
  account.tables[stream]
    .all()
    .filter((e) => !e.deleted)
    .map((e) => e.id)

// tickets get a visible change; other records are only re-stamped
const editOf = (stream: StreamName, i: number): Rec =>
  stream === "tickets" ? { subject: `Edited while paging ${i + 1}` } : {}

const play = (account: Account, rule: PagingMutation, now: number): void => {
  for (let i = 0; i < rule.count; i++) {
    if (rule.action === "create") {
      Mutations.create(account, rule.stream, {}, now)
      continue
    }
    const ids = visibleIds(account, rule.stream)
    if (ids.length === 0) return
    const id = account.rng.pick(ids)
    if (rule.action === "delete") Mutations.remove(account, rule.stream, id, now)
    else Mutations.update(account, rule.stream, id, editOf(rule.stream, i), now)
  }
}

// sets a dotted path in a copy of `row`, copying each object on the way
const setPath = (row: Rec, path: ReadonlyArray<string>, value: unknown): Rec => {
  const [head, ...rest] = path
  if (head === undefined) return row
  if (rest.length === 0) return { ...row, [head]: value }
  const inner = row[head]
  const child = typeof inner === "object" && inner !== null ? (inner as Rec) : {}
  return { ...row, [head]: setPath(child, rest, value) }
}

const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null

const getPath = (row: Rec, path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>((v, k) => (isRec(v) ? v[k] : undefined), row)

type Injection = { readonly value?: unknown; readonly raw?: string }

const injected = (c: Injection, fallback: unknown): unknown =>
  c.raw !== undefined ? new RawJson(c.raw) : "value" in c ? c.value : fallback

const flipped = (row: Rec, flip: FieldFlip): Rec => {
  const path = flip.field.split(".")
  const old = getPath(row, path)
  return setPath(row, path, injected(flip, old === null || old === undefined ? "" : String(old)))
}

/**
 * Applies the corruptions and field flips that concern these rows of one page.
 *
 * @since 0.1.0
 * @category scenarios
 */
export const corrupt = (
  stream: StreamName,
  page: number,
  rows: ReadonlyArray<Rec>,
  corruptions: ReadonlyArray<Corruption>,
  flips: ReadonlyArray<FieldFlip>
): ReadonlyArray<Rec> => {
  const mine = corruptions.filter((c) => c.stream === stream)
  const pageFlips = flips.filter((f) => f.stream === stream && f.pages.includes(page))
  if (mine.length === 0 && pageFlips.length === 0) return rows
  return rows.map((row) => {
    let out = row
    for (const c of mine) {
      if (c.id === Number(row.id)) out = setPath(out, c.field.split("."), injected(c, null))
    }
    for (const f of pageFlips) out = flipped(out, f)
    return out
  })
}
