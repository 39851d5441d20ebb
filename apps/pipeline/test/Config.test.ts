import * as Path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Option, Redacted } from "effect"
import * as Config from "../src/Config.ts"

const noFlags: Config.SyncFlags = {
  out: Option.none(),
  streams: Option.none(),
  startDate: Option.none(),
  fullRefresh: false,
  plan: Option.none(),
  budgetShare: Option.none(),
  ticketInclude: Option.none(),
  checkpointRows: Option.none(),
  checkpointSeconds: Option.none(),
  logFormat: Option.none()
}

const withEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("Config", () => {
  describe("sync", () => {
    it.effect("uses the spec's defaults when nothing is set", () =>
      Effect.gen(function* () {
        const config = yield* Config.sync(noFlags, false).pipe(withEnv({}))

        expect(config).toMatchObject({
          out: Path.resolve("./data"),
          startDate: null,
          fullRefresh: false,
          plan: undefined,
          budgetShare: 1,
          ticketInclude: ["description"],
          checkpointRows: 10000,
          checkpointSeconds: 60,
          logFormat: "json"
        })
        expect(config.streams).toHaveLength(8)
      })
    )

    it.effect("reads every setting from its environment variable", () =>
      Effect.gen(function* () {
        const config = yield* Config.sync(noFlags, true).pipe(
          withEnv({
            PIPELINE_OUT: "/tmp/x",
            PIPELINE_STREAMS: "tickets, agents",
            PIPELINE_START_DATE: "2024-01-01",
            PIPELINE_FULL_REFRESH: "true",
            PIPELINE_PLAN: "pro",
            PIPELINE_BUDGET_SHARE: "0.5",
            PIPELINE_TICKET_INCLUDE: "description,stats",
            PIPELINE_CHECKPOINT_ROWS: "500",
            PIPELINE_CHECKPOINT_SECONDS: "5",
            PIPELINE_LOG_FORMAT: "json"
          })
        )

        expect(config).toMatchObject({
          out: "/tmp/x",
          streams: ["tickets", "agents"],
          startDate: new Date("2024-01-01T00:00:00Z"),
          fullRefresh: true,
          plan: "pro",
          budgetShare: 0.5,
          ticketInclude: ["description", "stats"],
          checkpointRows: 500,
          checkpointSeconds: 5,
          logFormat: "json"
        })
      })
    )

    it.effect("lets a flag win over its variable", () =>
      Effect.gen(function* () {
        const flags = { ...noFlags, out: Option.some("/tmp/flag"), checkpointRows: Option.some("7") }

        const config = yield* Config.sync(flags, true).pipe(
          withEnv({ PIPELINE_OUT: "/tmp/env", PIPELINE_CHECKPOINT_ROWS: "500" })
        )

        expect(config).toMatchObject({ out: "/tmp/flag", checkpointRows: 7, logFormat: "text" })
      })
    )

    it.effect("names the flag, the variable, the value and what is expected", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(Config.sync(noFlags, true).pipe(withEnv({ PIPELINE_BUDGET_SHARE: "2" })))

        expect(error.message).toBe(
          '`--budget-share` (PIPELINE_BUDGET_SHARE) is "2"; expected a number above 0 and at most 1'
        )
      })
    )

    it.effect("refuses an unknown stream and lists the streams", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(
          Config.sync({ ...noFlags, streams: Option.some("tickets,ticket") }, true).pipe(withEnv({}))
        )

        expect(error.message).toContain("expected a comma-separated list of tickets, contacts, companies")
      })
    )

    it.effect("refuses a start date that is not a date", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(
          Config.sync({ ...noFlags, startDate: Option.some("last week") }, true).pipe(withEnv({}))
        )

        expect(error.message).toContain("`--start-date` (PIPELINE_START_DATE)")
      })
    )
  })

  describe("credentials", () => {
    it.effect("keeps the key redacted", () =>
      Effect.gen(function* () {
        const credentials = yield* Config.credentials.pipe(
          withEnv({ FRESHDESK_API_KEY: "secret-key", FRESHDESK_SUBDOMAIN: "acme" })
        )

        expect(Redacted.value(credentials.apiKey)).toBe("secret-key")
        expect(String(credentials.apiKey)).not.toContain("secret-key")
        expect(credentials.subdomain).toBe("acme")
      })
    )

    it.effect("fails without a key, saying where to find one", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(Config.credentials.pipe(withEnv({ FRESHDESK_SUBDOMAIN: "acme" })))

        expect(error.reason).toBe("Missing")
        expect(error.message).toContain("Profile Settings")
      })
    )
  })
})
