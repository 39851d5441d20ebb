/**
 * Where the time of a sync goes, from a V8 CPU profile of the CLI bundle.
 *
 * The bundle is one file, so a frame's source module is found from the `// <path>`
 * marker comments esbuild writes before each module. Every sample is walked from its
 * leaf to the root: the first frame of a *deciding* module names the category (the
 * Parquet writer, the verifier, the record decoders); failing that, the first frame of a
 * *suggesting* module does (HTTP client, JSON parser, Schema, DuckDB binding); failing
 * that, it is Effect's runtime. So `Json.stringify` called by the Parquet writer counts
 * as Parquet writing, and `Json.parse` called by the HTTP executor as JSON parsing.
 *
 * @since 0.1.0
 */

/**
 * The categories time is split into.
 *
 * @since 0.1.0
 * @category models
 */
export const categories = [
  "fetch",
  "json",
  "schema",
  "parquet",
  "verification",
  "commit",
  "duckdb",
  "runtime",
  "gc",
  "startup",
  "other",
  "idle"
] as const

/**
 * One of {@link categories}.
 *
 * @since 0.1.0
 * @category models
 */
export type Category = (typeof categories)[number]

/**
 * The parts of a `.cpuprofile` the attribution reads.
 *
 * @since 0.1.0
 * @category models
 */
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number
    readonly callFrame: {
      readonly functionName: string
      readonly url: string
      readonly lineNumber: number
    }
    readonly children?: ReadonlyArray<number>
  }>
  /** microseconds */
  readonly startTime: number
  readonly endTime: number
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

type Rule = readonly [pattern: RegExp, category: Category, deciding: boolean]

// first match wins; a source matching no rule is transparent (Effect's core, the sync's
// orchestration, the bench's own profiling hooks), so the frames around it decide
const rules: ReadonlyArray<Rule> = [
  [/apps\/pipeline\/src\/(ParquetWriter|Rejected|internal\/ndjson)\.ts$/i, "parquet", true],
  [/apps\/pipeline\/src\/Verifier\.ts$/, "verification", true],
  [/apps\/pipeline\/src\/(Commit|State|Snapshot|Views|Lock|Recovery|Dataset|internal\/fs)\.ts$/, "commit", true],
  [/packages\/freshdesk\/src\/(Records|Schemas|Columns|Labels)\.ts$/, "schema", true],
  [/packages\/freshdesk\/src\/internal\/(compile|fields|issues|strings)\.ts$/, "schema", true],
  [/packages\/freshdesk\/src\/internal\/entities\.ts$/, "schema", false],
  [/effect\/dist\/esm\/(Schema|ParseResult|SchemaAST)\.js$|effect\/dist\/esm\/internal\/schema\//, "schema", false],
  [/lossless-json\/lib\/esm\/(parse|utils|numberParsers|revive)\.js$/, "json", false],
  [/packages\/http-source\/src\/Json\.ts#(parse|parseNumber)\d*$/, "json", false],
  [/packages\/http-source\/src\/Json\.ts#/, "other", false],
  [/@duckdb\/node-api|apps\/pipeline\/src\/DuckDb\.ts$/, "duckdb", false],
  [
    /undici|@effect\/platform|^node:(net|_http|http|dns|internal\/(stream|streams|net|dns|http|deps\/undici))/,
    "fetch",
    false
  ],
  [/packages\/http-source\/src\/(HttpSource|RateBudget|Retry|Paginator|TimeWindow|SourceStats)\.ts$/, "fetch", false],
  [/packages\/http-source\/src\/internal\//, "fetch", false],
  [/packages\/freshdesk\/src\//, "fetch", false],
  [/@effect\/cli|@effect\/printer|\/(yaml|toml|ini)@|freshdesk-simulator|^node:internal\/modules/, "startup", false],
  [/apps\/pipeline\/src\/(Logging|Progress|RunReport)\.ts$/, "other", false],
  [/^node:internal\/fs|^node:fs$/, "other", false],
  [/apps\/pipeline\/src\//, "other", false]
]

const special: Readonly<Record<string, Category>> = {
  "(idle)": "idle",
  "(garbage collector)": "gc",
  "(program)": "other",
  "(root)": "other"
}

/**
 * Finds the source module of a line of a bundle from esbuild's `// <path>` markers.
 *
 * @since 0.1.0
 * @category reading
 */
export const moduleLocator = (bundleText: string): ((line: number) => string) => {
  const starts: Array<number> = []
  const names: Array<string> = []
  bundleText.split("\n").forEach((text, line) => {
    if (/^\/\/ (\.\.\/|src\/|packages\/|apps\/)\S+\.(ts|js|mjs|cjs)$/.test(text)) {
      starts.push(line)
      names.push(text.slice(3).replace(/^(\.\.\/)+/, ""))
    }
  })
  return (line) => {
    let lo = 0
    let hi = starts.length - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (starts[mid]! <= line) {
        found = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    // the pipeline's own modules are written relative to apps/pipeline
    const name = found < 0 ? "(bundle runtime)" : names[found]!
    return name.startsWith("src/") ? `apps/pipeline/${name}` : name
  }
}

/**
 * The source of a frame: its module (in a bundle, via the locator) and function.
 *
 * @since 0.1.0
 * @category reading
 */
export const sourceOf = (
  frame: CpuProfile["nodes"][number]["callFrame"],
  bundleUrl: string,
  locate: (line: number) => string
): string => {
  if (frame.url === bundleUrl) return `${locate(frame.lineNumber)}#${frame.functionName}`
  return frame.url === "" ? `#${frame.functionName}` : `${frame.url}#${frame.functionName}`
}

const ruleOf = (source: string): Rule | undefined => {
  const module = source.slice(0, source.lastIndexOf("#"))
  return rules.find(([pattern]) => pattern.test(pattern.source.includes("#") ? source : module))
}

/**
 * The category of a stack, given its sources from leaf to root.
 *
 * @since 0.1.0
 * @category attributing
 */
export const categorize = (stack: ReadonlyArray<string>): Category => {
  const leaf = stack[0] ?? ""
  const fixed = special[leaf.slice(leaf.lastIndexOf("#") + 1)]
  if (fixed !== undefined && leaf.startsWith("#")) return fixed
  let suggested: Category | undefined
  for (const source of stack) {
    const rule = ruleOf(source)
    if (rule === undefined) continue
    if (rule[2]) return rule[1]
    suggested ??= rule[1]
  }
  return suggested ?? "runtime"
}

/**
 * A profile's time by category, with the heaviest leaf frames.
 *
 * @since 0.1.0
 * @category models
 */
export interface Attribution {
  readonly totalMillis: number
  readonly byCategory: Readonly<Record<Category, number>>
  /** the leaf frames with the most self time: source, category, milliseconds */
  readonly topFrames: ReadonlyArray<{ readonly source: string; readonly category: Category; readonly millis: number }>
  /** per sample: its time (microseconds since the profile's clock origin) and category */
  readonly timeline: ReadonlyArray<{ readonly at: number; readonly millis: number; readonly category: Category }>
}

const stacksOf = (profile: CpuProfile, source: (frame: CpuProfile["nodes"][number]["callFrame"]) => string) => {
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const memo = new Map<number, { stack: ReadonlyArray<string>; category: Category }>()
  return (id: number) => {
    const known = memo.get(id)
    if (known !== undefined) return known
    const stack: Array<string> = []
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at)
      if (node !== undefined) stack.push(source(node.callFrame))
    }
    const entry = { stack, category: categorize(stack) }
    memo.set(id, entry)
    return entry
  }
}

/**
 * Splits a profile's samples into categories.
 *
 * @since 0.1.0
 * @category attributing
 */
export const attribute = (
  profile: CpuProfile,
  source: (frame: CpuProfile["nodes"][number]["callFrame"]) => string
): Attribution => {
  const stackOf = stacksOf(profile, source)
  const byCategory = Object.fromEntries(categories.map((c) => [c, 0])) as Record<Category, number>
  const frames = new Map<string, { category: Category; millis: number }>()
  const timeline: Array<{ at: number; millis: number; category: Category }> = []
  let at = profile.startTime
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0
    // a sample stands for the time until the next one
    const millis = Math.max(0, profile.timeDeltas[i + 1] ?? 0) / 1000
    const { stack, category } = stackOf(id)
    byCategory[category] += millis
    const key = `${category}|${stack[0] ?? "?"}`
    const frame = frames.get(key) ?? { category, millis: 0 }
    frame.millis += millis
    frames.set(key, frame)
    timeline.push({ at, millis, category })
  })
  const topFrames = [...frames]
    .map(([key, f]) => ({ source: key.slice(key.indexOf("|") + 1), category: f.category, millis: f.millis }))
    .sort((a, b) => b.millis - a.millis)
    .slice(0, 40)
  return { totalMillis: (profile.endTime - profile.startTime) / 1000, byCategory, topFrames, timeline }
}
