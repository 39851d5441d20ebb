/**
 * @landed/freshdesk: typed Freshdesk schemas and the eight streams on @landed/http-source.
 *
 * @since 0.1.0
 */
export * as Catalog from "./Catalog.ts"
export * as Check from "./Check.ts"
export * as Columns from "./Columns.ts"
export * as FreshdeskClient from "./FreshdeskClient.ts"
export * as FreshdeskConfig from "./FreshdeskConfig.ts"
export * as FreshdeskError from "./FreshdeskError.ts"
export * as Labels from "./Labels.ts"
export * as Plan from "./Plan.ts"
export * as Records from "./Records.ts"
export * as Schemas from "./Schemas.ts"
export * as Streams from "./Streams.ts"
export * as SyncStream from "./SyncStream.ts"
