import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Plan from "../src/Plan.ts"

describe("Plan", () => {
  describe("fromName", () => {
    it.effect("gives the published limits of a plan", () =>
      Effect.gen(function* () {
        const plan = yield* Plan.fromName("Growth")

        const limits = { overall: 200, tickets: 20, contacts: 20 }
        expect(plan).toEqual({ _tag: "Preset", name: "growth", limits })
      })
    )

    it.effect("defaults to learning the limits", () =>
      Effect.gen(function* () {
        const plan = yield* Plan.fromName(undefined)

        expect(plan._tag).toBe("Adaptive")
      })
    )

    it.effect("names the accepted plans when the name is unknown", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(Plan.fromName("estate"))

        expect(error.reason).toBe("InvalidConfig")
        expect(error.message).toContain('"estate"')
        expect(error.message).toContain("free, growth, pro, enterprise")
      })
    )
  })

  describe("fromTotal", () => {
    it("recognises a plan from its overall limit", () => {
      expect(Plan.fromTotal(400)).toBe("pro")
      expect(Plan.fromTotal(700)).toBe("enterprise")
    })

    it("recognises nothing from an unknown or missing total", () => {
      expect(Plan.fromTotal(3000)).toBeUndefined()
      expect(Plan.fromTotal(Number.NaN)).toBeUndefined()
    })
  })

  describe("ticketListCost", () => {
    it("charges two credits per embed", () => {
      expect(Plan.ticketListCost([])).toBe(1)
      expect(Plan.ticketListCost(["description", "stats"])).toBe(5)
    })
  })
})
