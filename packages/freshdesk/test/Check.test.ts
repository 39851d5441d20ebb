import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Check from "../src/Check.ts"
import * as Sim from "./support/sim.ts"

describe("Check", () => {
  describe("run", () => {
    it.scopedLive("reports every readable stream ok and names the fix for each 403", () =>
      Effect.gen(function* () {
        const forbidden = { products: "require_feature", time_entries: "access_denied" } as const
        const sim = yield* Sim.simulator({ forbidden })

        const report = yield* Check.run().pipe(Effect.provide(Sim.client(sim)))

        const status = Object.fromEntries(report.streams.map((s) => [s.stream, s.status]))
        expect(status).toEqual({
          tickets: "ok",
          contacts: "ok",
          companies: "ok",
          agents: "ok",
          groups: "ok",
          roles: "ok",
          products: "require_feature",
          time_entries: "access_denied"
        })
        const message = (name: string) => report.streams.find((s) => s.stream === name)?.message
        expect(message("time_entries")).toContain("Admin account")
        expect(message("products")).toContain("plan")
        expect(report.agentId).toMatch(/^\d+$/)
        expect(Check.exitCode(report)).toBe(1)
      })
    )

    it.scopedLive("costs one request per stream after the credentials check", () =>
      Effect.gen(function* () {
        const sim = yield* Sim.simulator()
        const layer = Sim.client(sim, { plan: "pro" })

        const report = yield* Check.run(["tickets", "groups"]).pipe(Effect.provide(layer))

        expect(Check.exitCode(report)).toBe(0)
        expect(sim.stats().byEndpoint).toEqual({ "agents/me": 1, tickets: 1, groups: 1 })
      })
    )

    it.scopedLive("fails with InvalidCredentials when the key is wrong", () =>
      Effect.gen(function* () {
        const sim = yield* Sim.simulator()
        const wrong = Sim.client({ ...sim, apiKey: "wrong-key" })

        const error = yield* Effect.flip(Effect.provide(Check.run(), wrong))

        expect(error.reason).toBe("InvalidCredentials")
        expect(error.message).toContain("Profile Settings")
        expect(error.message).not.toContain("wrong-key")
      })
    )
  })
})
