import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { get, type Sim, startSim } from "./helpers.ts"

describe("Server", () => {
  let sim: Sim
  beforeAll(async () => {
    sim = await startSim({ counts: { tickets: 200 } })
  })
  afterAll(() => sim.stop())

  it("answers 401 with the documented body without the key", async () => {
    const res = await get(sim, "tickets", "wrong-key")

    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({
      code: "invalid_credentials",
      message: "You have to be logged in to perform this action."
    })
  })

  it("answers unknown routes with 404 and an empty body", async () => {
    const res = await get(sim, "tickets/1/nothing")

    expect(res.status).toBe(404)
    expect(await res.text()).toBe("")
    expect(res.headers.get("x-freshdesk-api-version")).toBeNull()
  })

  it("sends the version and cache headers on every other response", async () => {
    const res = await get(sim, "groups")

    expect(res.headers.get("x-freshdesk-api-version")).toBe("latest=v2; requested=v2")
    expect(res.headers.get("cache-control")).toBe("no-cache, no-store, max-age=0, must-revalidate")
    expect(res.headers.get("pragma")).toBe("no-cache")
  })
})
