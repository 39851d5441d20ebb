// builds request URLs and the query text a log line may show

export type QueryValue = string | number | boolean | undefined

const joinPath = (baseUrl: string, path: string): string => {
  if (path === "") return baseUrl
  const base = baseUrl.endsWith("/") ? baseUrl.slice(0, -1) : baseUrl
  return path.startsWith("/") ? base + path : `${base}/${path}`
}

/** the absolute URL of a request: `url` when given, else `baseUrl` + `path`, with `query` set on it */
export const build = (
  baseUrl: string,
  request: { readonly path?: string; readonly url?: string; readonly query?: Readonly<Record<string, QueryValue>> }
): string => {
  const target = request.url ?? joinPath(baseUrl, request.path ?? "")
  const query = request.query
  if (query === undefined) return target
  // a URL without a query of its own takes the parameters as they are, without parsing
  if (!target.includes("?") && !target.includes("#")) return target + queryString(query)
  const url = new URL(target)
  for (const key in query) {
    const value = query[key]
    if (value !== undefined) url.searchParams.set(key, String(value))
  }
  return url.href
}

const queryString = (query: Readonly<Record<string, QueryValue>>): string => {
  let text = ""
  for (const key in query) {
    const value = query[key]
    if (value === undefined) continue
    text += `${text === "" ? "?" : "&"}${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`
  }
  return text
}

const secretName = /key|token|secret|passw|auth|signature|sig$|credential|session/i

/** the query of a URL with the values of secret-looking (or named) parameters hidden */
export const safeQuery = (url: string, secretNames: ReadonlySet<string>): string => {
  const at = url.indexOf("?")
  if (at === -1) return ""
  const params = new URLSearchParams(url.slice(at + 1).split("#")[0])
  const shown: Array<string> = []
  for (const [name, value] of params) {
    const hide = secretName.test(name) || secretNames.has(name.toLowerCase())
    shown.push(`${name}=${hide ? "<redacted>" : value}`)
  }
  return shown.join("&")
}
