import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Profile from "../src/Profile.ts"

const bundle = [
  "#!/usr/bin/env node",
  "var __helper = 1;",
  "// ../../node_modules/.pnpm/lossless-json@4.3.3/node_modules/lossless-json/lib/esm/parse.js",
  "function parseObject() {}",
  "// ../../packages/http-source/src/Json.ts",
  "var parse11 = () => 1;",
  "// src/ParquetWriter.ts",
  "var make = () => 1;"
].join("\n")

const json = "packages/http-source/src/Json.ts"

describe("Profile", () => {
  describe("moduleLocator", () => {
    it("names the module whose marker precedes a line, pipeline modules under apps/pipeline", () => {
      const locate = Profile.moduleLocator(bundle)

      const names = [1, 3, 5, 7].map(locate)

      assert.deepEqual(names, [
        "(bundle runtime)",
        "node_modules/.pnpm/lossless-json@4.3.3/node_modules/lossless-json/lib/esm/parse.js",
        json,
        "apps/pipeline/src/ParquetWriter.ts"
      ])
    })
  })

  describe("categorize", () => {
    it("counts serialising for the Parquet writer as Parquet writing", () => {
      const stack = [`${json}#replacer`, `${json}#stringify5`, "apps/pipeline/src/ParquetWriter.ts#toLine"]

      assert.equal(Profile.categorize(stack), "parquet")
    })

    it("counts the lossless parser under the HTTP executor as JSON parsing", () => {
      const stack = [
        "node_modules/lossless-json/lib/esm/parse.js#parseObject",
        `${json}#parse11`,
        "packages/http-source/src/HttpSource.ts#decode"
      ]

      assert.equal(Profile.categorize(stack), "json")
    })

    it("counts record decoding under a stream as schema decoding", () => {
      const stack = [
        "node_modules/effect/dist/esm/ParseResult.js#go",
        "packages/freshdesk/src/Records.ts#decode",
        "packages/freshdesk/src/internal/tickets.ts#toBatch"
      ]

      assert.equal(Profile.categorize(stack), "schema")
    })

    it("leaves frames of Effect's core alone to the runtime", () => {
      const stack = ["node_modules/effect/dist/esm/internal/fiberRuntime.js#runLoop"]

      assert.equal(Profile.categorize(stack), "runtime")
    })

    it("keeps idle and garbage collection apart", () => {
      assert.deepEqual([Profile.categorize(["#(idle)"]), Profile.categorize(["#(garbage collector)"])], ["idle", "gc"])
    })
  })

  describe("attribute", () => {
    it("gives each sample the time until the next one", () => {
      const profile: Profile.CpuProfile = {
        nodes: [
          { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1 }, children: [2, 3] },
          { id: 2, callFrame: { functionName: "(idle)", url: "", lineNumber: -1 } },
          { id: 3, callFrame: { functionName: "parse11", url: "file:///b.js", lineNumber: 5 } }
        ],
        startTime: 0,
        endTime: 4000,
        samples: [2, 3, 3, 2],
        timeDeltas: [0, 1000, 1000, 2000]
      }
      const locate = Profile.moduleLocator(bundle)

      const result = Profile.attribute(profile, (frame) => Profile.sourceOf(frame, "file:///b.js", locate))

      assert.equal(result.byCategory.idle, 1)
      assert.equal(result.byCategory.json, 3)
      assert.equal(result.totalMillis, 4)
    })
  })
})
