import { describe, expect, it } from "@effect/vitest"
import { Duration } from "effect"
import * as HttpSourceError from "../src/HttpSourceError.ts"

const make = (reason: HttpSourceError.Reason) =>
  new HttpSourceError.HttpSourceError({ reason, message: "m", method: "GET", url: "http://h/x" })

describe("HttpSourceError", () => {
  describe("isTransient", () => {
    it("holds for rate limits, server errors, broken connections and malformed bodies", () => {
      const transient = (["RateLimited", "ServerError", "Transport", "MalformedBody"] as const).map(make)

      expect(transient.map(HttpSourceError.isTransient)).toEqual([true, true, true, true])
    })

    it("fails for credentials, permissions, missing resources, bad requests and paging failures", () => {
      const permanent = (
        [
          "Unauthorized",
          "Forbidden",
          "NotFound",
          "BadRequest",
          "PageCapReached",
          "NoProgress",
          "RepeatedCursor"
        ] as const
      ).map(make)

      expect(permanent.some(HttpSourceError.isTransient)).toBe(false)
    })
  })

  describe("copyWith", () => {
    it("keeps the message and every field while replacing some", () => {
      const error = new HttpSourceError.HttpSourceError({
        reason: "RateLimited",
        message: "slow down",
        method: "GET",
        url: "http://h/x",
        status: 429,
        retryAfter: Duration.seconds(3)
      })

      const copy = HttpSourceError.copyWith(error, { attempt: 2 })

      expect(copy.message).toBe("slow down")
      expect(copy.status).toBe(429)
      expect(copy.retryAfter).toEqual(Duration.seconds(3))
      expect(copy.attempt).toBe(2)
      expect(HttpSourceError.isHttpSourceError(copy)).toBe(true)
    })
  })

  describe("stripQuery", () => {
    it("drops the query and fragment of a URL", () => {
      expect(HttpSourceError.stripQuery("https://h/a/b?key=s3cret&page=2#x")).toBe("https://h/a/b")
      expect(HttpSourceError.stripQuery("https://h/a")).toBe("https://h/a")
    })
  })

  describe("clipBody", () => {
    it("keeps at most a few hundred characters", () => {
      expect(HttpSourceError.clipBody("x".repeat(5000)).length).toBeLessThanOrEqual(HttpSourceError.maxBodyChars + 1)
    })
  })
})
