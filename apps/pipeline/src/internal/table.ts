// renders query results as an aligned text table, the way a terminal user reads them

const cell = (value: unknown): string => {
  if (value === null || value === undefined) return "NULL"
  if (typeof value === "string") return value
  return JSON.stringify(value)
}

const clip = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, " ")
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

const isNumeric = (type: string) => /INT|DECIMAL|DOUBLE|FLOAT|REAL|NUMERIC/.test(type)

export const render = (
  columns: ReadonlyArray<string>,
  types: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  maxWidth = 60
): string => {
  const texts = rows.map((row) => columns.map((_, i) => clip(cell(row[i]), maxWidth)))
  const widths = columns.map((c, i) => Math.max(c.length, ...texts.map((r) => r[i]?.length ?? 0)))
  const line = (cells: ReadonlyArray<string>, header: boolean) =>
    cells
      .map((c, i) => (isNumeric(types[i] ?? "") && !header ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join(" │ ")
      .trimEnd()
  const rule = widths.map((w) => "─".repeat(w)).join("─┼─")
  return [line(columns, true), rule, ...texts.map((r) => line(r, false))].join("\n")
}
