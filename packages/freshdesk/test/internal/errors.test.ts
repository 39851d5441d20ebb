import { HttpSourceError } from "@landed/http-source"
import { describe, expect, it } from "@effect/vitest"
import { Duration } from "effect"
import * as Errors from "../../src/internal/errors.ts"

const error = (fields: Partial<HttpSourceError.Fields>) =>
  new HttpSourceError.HttpSourceError({
    reason: "BadRequest",
    message: "GET https://acme.freshdesk.com/api/v2/tickets answered 400",
    method: "GET",
    url: "https://acme.freshdesk.com/api/v2/tickets",
    ...fields
  })

describe("errors", () => {
  describe("fromSource", () => {
    it("turns 401 and the two 403 codes into their reasons", () => {
      const reasonOf = (fields: Partial<HttpSourceError.Fields>) => {
        return Errors.fromSource(error(fields), "roles").reason
      }

      expect(reasonOf({ reason: "Unauthorized", status: 401 })).toBe("InvalidCredentials")
      expect(reasonOf({ reason: "Forbidden", code: "access_denied" })).toBe("AccessDenied")
      expect(reasonOf({ reason: "Forbidden", code: "require_feature" })).toBe("RequireFeature")
      expect(reasonOf({ reason: "Forbidden", code: "ssl_required" })).toBe("Http")
    })

    it("names a Retry-After longer than the run allows", () => {
      const limited = error({ reason: "RateLimited", status: 429, retryAfter: Duration.hours(2) })

      const mapped = Errors.fromSource(limited, "tickets", Duration.hours(1))

      expect(mapped.reason).toBe("RateLimitTooLong")
      expect(mapped.message).toContain("`--budget-share`")
      const short = error({ reason: "RateLimited", retryAfter: Duration.seconds(30) })
      expect(Errors.fromSource(short, "x").reason).toBe("Http")
    })

    it("keeps the stream and the source error", () => {
      const source = error({ reason: "ServerError", status: 503 })

      const mapped = Errors.fromSource(source, "groups")

      expect(mapped.stream).toBe("groups")
      expect(mapped.cause).toBe(source)
      expect(mapped.message).toContain("stream `groups`")
    })
  })

  describe("isPageCapAnswer", () => {
    it("recognises only the 400 on `page`", () => {
      const capped = error({
        fieldErrors: [{ field: "page", message: "beyond the 300th page", code: "invalid_value" }]
      })
      const fieldErrors = [{ field: "order_by", message: "bad", code: "invalid_value" }]
      const other = error({ fieldErrors })

      expect(Errors.isPageCapAnswer(capped)).toBe(true)
      expect(Errors.isPageCapAnswer(other)).toBe(false)
    })
  })
})
