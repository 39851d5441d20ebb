// the http-source bench: (1) the client's overhead against plain fetch on the same pages
// of a local server with no limit, (2) the share of a configured budget a run uses against
// a server with a Freshdesk-like fixed window, and how many of its requests get a 429
//
// run: pnpm --filter @landed/http-source bench
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer, ManagedRuntime, Stream } from "effect"
import * as HttpSource from "../src/HttpSource.ts"
import * as Paginator from "../src/Paginator.ts"
import * as RateBudget from "../src/RateBudget.ts"
import * as TimeWindow from "../src/TimeWindow.ts"
import * as Servers from "./servers.ts"

const PAGES = 200
const PER_PAGE = 100
const ROUNDS = 11

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

const plainFetch = async (url: string): Promise<number> => {
  let records = 0
  for (let page = 1; page <= PAGES; page++) {
    const response = await fetch(`${url}/items?page=${page}&per_page=${PER_PAGE}`)
    const text = await response.text()
    records += (JSON.parse(text) as ReadonlyArray<unknown>).length
  }
  return records
}

const viaSource = Stream.runFold(
  Paginator.pageNumber({ request: { stream: "bench", path: "/items" }, perPage: PER_PAGE, link: "required" }),
  0,
  (records, page) => records + page.items.length
)

const timed = async (run: () => Promise<number>): Promise<{ millis: number; records: number }> => {
  const started = performance.now()
  const records = await run()
  return { millis: performance.now() - started, records }
}

// rounds alternate which side goes first, and the figure is the median of the rounds'
// ratios, so that load from other processes on a shared machine hits both sides alike
const overhead = async () => {
  const server = await Servers.pagedList(PAGES, PER_PAGE)
  const layer = HttpSource.layer({ baseUrl: server.url }).pipe(
    Layer.provide(RateBudget.layerUnlimited),
    Layer.provide(NodeHttpClient.layerUndici)
  )
  const runtime = ManagedRuntime.make(layer)
  const fetchTimes: Array<number> = []
  const sourceTimes: Array<number> = []
  const ratios: Array<number> = []
  try {
    await plainFetch(server.url)
    await runtime.runPromise(viaSource)
    for (let round = 0; round < ROUNDS; round++) {
      const plain = () => timed(() => plainFetch(server.url))
      const source = () => timed(() => runtime.runPromise(viaSource))
      const first = round % 2 === 0 ? await plain() : await source()
      const second = round % 2 === 0 ? await source() : await plain()
      const [a, b] = round % 2 === 0 ? [first, second] : [second, first]
      if (a.records !== b.records) throw new Error(`record counts differ: ${a.records} vs ${b.records}`)
      fetchTimes.push(a.millis)
      sourceTimes.push(b.millis)
      ratios.push(b.millis / a.millis)
    }
  } finally {
    await runtime.dispose()
    await server.close()
  }
  return { fetch: median(fetchTimes), source: median(sourceTimes), ratio: median(ratios) }
}

interface Scenario {
  readonly name: string
  readonly limit: number
  readonly windowMillis: number
  readonly latencyMillis: number
  readonly configured: boolean
  readonly windows: number
}

const scenarios: ReadonlyArray<Scenario> = [
  {
    name: "known limit, 20 ms answers",
    limit: 100,
    windowMillis: 2000,
    latencyMillis: 20,
    configured: true,
    windows: 5
  },
  {
    name: "known limit, 1 s answers",
    limit: 30,
    windowMillis: 2000,
    latencyMillis: 1000,
    configured: true,
    windows: 5
  },
  {
    name: "limit learned, 100 ms answers",
    limit: 100,
    windowMillis: 2000,
    latencyMillis: 100,
    configured: false,
    windows: 5
  }
]

// one request per (1 ms) time window, read as many at once as the budget allows
const requests = (count: number) =>
  Effect.flatMap(HttpSource.HttpSource, (source) =>
    Stream.runDrain(
      TimeWindow.read({
        windows: TimeWindow.split({ start: new Date(0), end: new Date(count) }, 1),
        concurrency: "budget",
        read: (w) =>
          Stream.fromEffect(source.request({ stream: "bench", path: "/list", query: { w: w.start.getTime() } }))
      })
    )
  )

const share = async (scenario: Scenario) => {
  const server = await Servers.limitedList(scenario)
  const budget = RateBudget.layer({
    window: scenario.windowMillis,
    ...(scenario.configured ? { overall: { limit: scenario.limit } } : {})
  })
  const layer = HttpSource.layer({ baseUrl: server.url }).pipe(
    Layer.provideMerge(budget),
    Layer.provide(NodeHttpClient.layerUndici)
  )
  const started = performance.now()
  try {
    await Effect.runPromise(Effect.provide(requests(scenario.limit * scenario.windows), layer))
  } finally {
    await server.close()
  }
  const full = server.windows.slice(0, -1)
  const used = full.reduce((a, b) => a + b, 0) / (full.length * scenario.limit)
  const total = server.accepted() + server.refused()
  return { used, refused: server.refused(), total, seconds: (performance.now() - started) / 1000 }
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`

const main = async () => {
  console.log(`overhead: ${PAGES} pages of ${PER_PAGE} records (~1 kB each), sequential, median of ${ROUNDS} rounds`)
  const o = await overhead()
  console.log(`  plain fetch + JSON.parse    ${o.fetch.toFixed(0)} ms`)
  console.log(`  HttpSource + Paginator      ${o.source.toFixed(0)} ms`)
  console.log(`  ratio (median of rounds)    ${o.ratio.toFixed(3)}x (goal <= 1.1x)`)
  console.log("budget share: fixed server window, one request per time window, concurrency from the budget")
  for (const scenario of process.argv.includes("--overhead-only") ? [] : scenarios) {
    const s = await share(scenario)
    const rate = `${scenario.limit} per ${scenario.windowMillis / 1000} s`
    console.log(
      `  ${scenario.name.padEnd(31)} ${rate}: used ${percent(s.used)} of the limit (goal >= 95%), ` +
        `429s ${s.refused}/${s.total} = ${percent(s.refused / s.total)} (goal < 1%, <= 10), ${s.seconds.toFixed(1)} s`
    )
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
