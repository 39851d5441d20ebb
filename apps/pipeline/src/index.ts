/**
 * @landed/pipeline: the Landed Freshdesk pipeline, from streams to verified Parquet.
 *
 * @since 0.1.0
 */
export * as Commit from "./Commit.ts"
export * as Dataset from "./Dataset.ts"
export * as DuckDb from "./DuckDb.ts"
export * as Lock from "./Lock.ts"
export * as ParquetWriter from "./ParquetWriter.ts"
export * as Recovery from "./Recovery.ts"
export * as Rejected from "./Rejected.ts"
export * as RunId from "./RunId.ts"
export * as RunReport from "./RunReport.ts"
export * as Snapshot from "./Snapshot.ts"
export * as State from "./State.ts"
export * as StorageError from "./StorageError.ts"
export * as StreamRun from "./StreamRun.ts"
export * as Verifier from "./Verifier.ts"
export * as Views from "./Views.ts"
