/**
 * @landed/http-source: an Effect toolkit for HTTP data sources.
 *
 * @since 0.1.0
 */
export * as HttpSourceError from "./HttpSourceError.ts"
export * as Json from "./Json.ts"
export * as Retry from "./Retry.ts"
export * as RateBudget from "./RateBudget.ts"
export * as SourceStats from "./SourceStats.ts"
export * as HttpSource from "./HttpSource.ts"
export * as Paginator from "./Paginator.ts"
export * as TimeWindow from "./TimeWindow.ts"
export * as TestServer from "./TestServer.ts"
