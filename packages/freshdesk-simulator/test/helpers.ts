// shared test helpers: a started simulator, authenticated fetches and link
// parsing
import { Simulator } from "../src/index.ts"

export type Sim = Simulator.SimulatorHandle

export const FIXED_NOW = new Date("2026-03-15T12:00:00Z")

export const startSim = (options: Simulator.SimulatorOptions = {}): Promise<Sim> =>
  Simulator.start({ now: FIXED_NOW, plan: "unlimited", ...options })

export const basic = (key: string): string => `Basic ${Buffer.from(`${key}:X`).toString("base64")}`

export const get = (sim: Sim, path: string, key: string = sim.apiKey): Promise<Response> =>
  fetch(`${sim.url}/api/v2/${path}`, { headers: { authorization: basic(key) } })

type Rows = Array<Record<string, unknown>>

export const getJson = async <A = Rows>(sim: Sim, path: string): Promise<A> => {
  const res = await get(sim, path)
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`)
  return (await res.json()) as A
}

export const nextUrl = (res: Response): string | undefined => {
  const link = res.headers.get("link")
  return link === null ? undefined : /<([^>]+)>;\s*rel="next"/.exec(link)?.[1]
}

// follows Link headers from `path`, at most `maxPages` pages
export const pageAll = async (
  sim: Sim,
  path: string,
  maxPages = 1000
): Promise<{ rows: Array<Record<string, unknown>>; pages: number }> => {
  const rows: Array<Record<string, unknown>> = []
  let url: string | undefined = `${sim.url}/api/v2/${path}`
  let pages = 0
  while (url !== undefined && pages < maxPages) {
    const res: Response = await fetch(url, { headers: { authorization: basic(sim.apiKey) } })
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`)
    rows.push(...((await res.json()) as Array<Record<string, unknown>>))
    url = nextUrl(res)
    pages++
  }
  return { rows, pages }
}

export type Row = Record<string, unknown>

// a custom plan with only the account limit
export const overallOnly = (overall: number) => ({ overall, ticketList: null, contactList: null })

export const errorsOf = async (res: Response): Promise<Array<Row>> => {
  const body = (await res.json()) as { errors: Array<Row> }
  return body.errors
}

export const idsOf = (rows: ReadonlyArray<Row>): Array<unknown> => rows.map((r) => r.id)

// a query string from an object, keeping its order
export const qs = (params: Record<string, string | number>): string =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join("&")
