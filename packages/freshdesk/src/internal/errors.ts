/**
 * Maps http-source failures to Freshdesk errors with the product page's causes
 * and fixes.
 */
import type { HttpSourceError as Source } from "@landed/http-source"
import { Duration } from "effect"
import * as FreshdeskError from "../FreshdeskError.ts"

type HttpSourceError = Source.HttpSourceError

// the 400 Freshdesk answers for `page` > 300 on the ticket list
// (freshdesk-api.md section 2)
export const isPageCapAnswer = (error: HttpSourceError): boolean =>
  error.reason === "BadRequest" &&
  (error.fieldErrors ?? []).some((e) => e.field === "page" && e.code === "invalid_value")

const tooLong = (error: HttpSourceError, longest: Duration.Duration): boolean => {
  const wait = error.retryAfter
  return error.reason === "RateLimited" && wait !== undefined && Duration.greaterThan(wait, longest)
}

const httpMessage = (error: HttpSourceError, stream: string | undefined): string =>
  `${stream === undefined ? "Freshdesk" : `stream \`${stream}\``}: ${error.message}`

/** The Freshdesk error for a request or paginator failure of a stream. */
export const fromSource = (
  error: HttpSourceError,
  stream: string | undefined,
  longestRetryAfter: Duration.Duration = Duration.hours(1)
): FreshdeskError.FreshdeskError => {
  if (error.reason === "Unauthorized") return FreshdeskError.invalidCredentials(stream, error)
  if (error.reason === "Forbidden" && stream !== undefined) {
    if (error.code === "access_denied") return FreshdeskError.accessDenied(stream, error)
    if (error.code === "require_feature") return FreshdeskError.requireFeature(stream, error)
  }
  if (tooLong(error, longestRetryAfter)) {
    const message = [
      `${httpMessage(error, stream)}. Freshdesk asked to wait longer than this run allows,`,
      "which happens on legacy hourly plans or when other apps use up the account's limit;",
      "run again later or lower their usage (see `--budget-share`)."
    ].join(" ")
    return FreshdeskError.make("RateLimitTooLong", message, { stream, cause: error })
  }
  return FreshdeskError.make("Http", httpMessage(error, stream), { stream, cause: error })
}
