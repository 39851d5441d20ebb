import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { Simulator } from "../src/index.ts"

describe("Simulator", () => {
  it("runs for the life of a layer and stops when it is released", async () => {
    const url = await Effect.runPromise(
      Effect.gen(function* () {
        const sim = yield* Simulator.Handle
        const res = yield* Effect.promise(() => fetch(`${sim.url}/_simulator/info`))
        expect(res.status).toBe(200)
        return sim.url
      }).pipe(Effect.provide(Simulator.layer({ plan: "unlimited" })))
    )

    await expect(fetch(`${url}/_simulator/info`)).rejects.toThrow()
  })

  it("derives the key from the seed unless one is given", async () => {
    const a = await Simulator.start({ seed: 9 })
    const b = await Simulator.start({ seed: 9, apiKey: "my-key" })

    expect(a.apiKey).toMatch(/^[a-z0-9]{8,}$/)
    expect(b.apiKey).toBe("my-key")
    await Promise.all([a.stop(), b.stop()])
  })
})
