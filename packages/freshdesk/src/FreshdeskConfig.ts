/**
 * Validated connection settings: the API key and the origin the API lives at.
 *
 * Users paste their subdomain in many forms (`mycompany`,
 * `mycompany.freshdesk.com`, the browser's https URL), so all of them are
 * normalised to one origin. A bad value fails here, before any request, with a
 * message that names the setting, shows what was given (never the key), says
 * what is expected and where to find it in Freshdesk.
 *
 * @since 0.1.0
 */
import { Effect, Redacted } from "effect"
import * as FreshdeskError from "./FreshdeskError.ts"

/**
 * The raw settings, as read from flags or the environment.
 *
 * @since 0.1.0
 * @category models
 */
export interface Input {
  readonly apiKey: Redacted.Redacted<string>
  /** `mycompany`, `mycompany.freshdesk.com` or `https://mycompany.freshdesk.com` */
  readonly subdomain?: string | undefined
  /** an override of the API origin (https, or http to a loopback host only) */
  readonly baseUrl?: string | undefined
}

/**
 * Validated settings: `origin` has no trailing slash and the API is at
 * `<origin>/api/v2`.
 *
 * @since 0.1.0
 * @category models
 */
export interface FreshdeskConfig {
  readonly apiKey: Redacted.Redacted<string>
  readonly origin: string
}

const credentialsHelp =
  "Find it in Freshdesk: click your profile icon (top right) > Profile Settings; " +
  "the key is shown under `Your API Key`."

const subdomainHelp =
  "Your subdomain is the company part of the address you open Freshdesk at: for " +
  "https://mycompany.freshdesk.com it is `mycompany`."

const invalid = (message: string) => Effect.fail(FreshdeskError.make("InvalidConfig", message))

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

type FdError = FreshdeskError.FreshdeskError

const checkApiKey = (apiKey: Redacted.Redacted<string>): Effect.Effect<void, FdError> => {
  const key = Redacted.value(apiKey).trim()
  if (key.length === 0) {
    return invalid(`\`apiKey\` (FRESHDESK_API_KEY) is empty; a key is required. ${credentialsHelp}`)
  }
  if (/[\s:]/.test(key)) {
    return invalid(
      "`apiKey` (FRESHDESK_API_KEY) contains spaces or a colon (value not shown); expected the " +
        `key alone, a run of letters and digits. ${credentialsHelp}`
    )
  }
  return Effect.void
}

// the host part of the subdomain setting, or undefined when it cannot be one
const subdomainHost = (given: string): string | undefined => {
  const text = given.trim().toLowerCase()
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(text)) {
    const url = URL.canParse(text) ? new URL(text) : undefined
    const plain = url?.protocol === "https:" && url.username === "" && url.port === ""
    return plain ? url.hostname : undefined
  }
  return text.split("/")[0]
}

const SUFFIX = ".freshdesk.com"

const fromSubdomain = (given: string): Effect.Effect<string, FdError> => {
  const host = subdomainHost(given)
  const label = host?.endsWith(SUFFIX) ? host.slice(0, -SUFFIX.length) : host
  if (label !== undefined && LABEL.test(label)) return Effect.succeed(`https://${label}${SUFFIX}`)
  return invalid(
    `\`subdomain\` (FRESHDESK_SUBDOMAIN) is ${JSON.stringify(given)}; expected \`mycompany\`, ` +
      `\`mycompany.freshdesk.com\` or \`https://mycompany.freshdesk.com\`. ${subdomainHelp} ` +
      "Custom helpdesk domains do not serve the API; use the freshdesk.com one."
  )
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/

const isSecure = (url: URL): boolean =>
  url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.test(url.hostname))

const isPlain = (url: URL): boolean => url.username === "" && url.search === "" && url.hash === ""

const baseUrlExpected = [
  "expected an https URL such as `https://proxy.example.com`, or plain http only to a",
  "loopback host (`http://127.0.0.1:8080`) so the key never travels in clear text,",
  "without credentials, query or fragment. Leave it unset to use your subdomain's address."
].join(" ")

const fromBaseUrl = (given: string): Effect.Effect<string, FdError> => {
  const url = URL.canParse(given.trim()) ? new URL(given.trim()) : undefined
  if (url !== undefined && isSecure(url) && isPlain(url)) {
    const path = url.pathname.replace(/\/+$/, "").replace(/\/api\/v2$/, "")
    return Effect.succeed(url.origin + path)
  }
  // shown without credentials, query or fragment
  const shown = url === undefined ? JSON.stringify(given) : `\`${url.origin}${url.pathname}\``
  return invalid(`\`baseUrl\` (FRESHDESK_BASE_URL) is ${shown}; ${baseUrlExpected}`)
}

/**
 * Validates and normalises the settings; the base URL override wins over the
 * subdomain.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (input: Input): Effect.Effect<FreshdeskConfig, FdError> =>
  Effect.gen(function* () {
    yield* checkApiKey(input.apiKey)
    const apiKey = Redacted.make(Redacted.value(input.apiKey).trim())
    if (input.baseUrl !== undefined && input.baseUrl.trim() !== "") {
      return { apiKey, origin: yield* fromBaseUrl(input.baseUrl) }
    }
    if (input.subdomain !== undefined && input.subdomain.trim() !== "") {
      return { apiKey, origin: yield* fromSubdomain(input.subdomain) }
    }
    return yield* invalid(
      `\`subdomain\` (FRESHDESK_SUBDOMAIN) is not set; expected your Freshdesk subdomain such as ` +
        `\`mycompany\`. ${subdomainHelp}`
    )
  })

/**
 * The API root for a configuration, `<origin>/api/v2`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const apiBase = (config: FreshdeskConfig): string => `${config.origin}/api/v2`
