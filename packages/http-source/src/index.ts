/**
 * @landed/http-source: an Effect toolkit for HTTP data sources.
 *
 * @since 0.1.0
 */
export * as Json from "./Json.ts"
