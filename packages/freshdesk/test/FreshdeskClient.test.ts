import { describe, expect, it } from "@effect/vitest"
import { Json } from "@landed/http-source"
import { Effect, Layer, Logger, LogLevel, Redacted } from "effect"
import * as FreshdeskClient from "../src/FreshdeskClient.ts"
import * as Plan from "../src/Plan.ts"
import * as Streams from "../src/Streams.ts"
import * as Sim from "./support/sim.ts"

const planOf = Effect.map(FreshdeskClient.FreshdeskClient, (client) => client.plan)

// every log line of the effect, as text, at Debug level
const captureLogs = <A, E, R>(effect: Effect.Effect<A, E, R>) => {
  const lines: Array<string> = []
  const logger = Logger.make(({ message, annotations }) => {
    lines.push(Json.stringify({ message, annotations: Object.fromEntries(annotations) }))
  })
  return effect.pipe(
    Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
    Logger.withMinimumLogLevel(LogLevel.All),
    Effect.either,
    Effect.map((result) => ({ result, lines }))
  )
}

describe("FreshdeskClient", () => {
  describe("layer", () => {
    it.scopedLive("recognises the plan from X-RateLimit-Total when none is given", () =>
      Effect.gen(function* () {
        const sim = yield* Sim.simulator({ plan: "growth" })

        const plan = yield* planOf.pipe(Effect.provide(Sim.client(sim)))

        expect(plan).toEqual(Plan.preset("growth"))
      })
    )

    it.scopedLive("keeps learning when the total matches no plan", () =>
      Effect.gen(function* () {
        const odd = { overall: 333, ticketList: 33, contactList: 33 }
        const sim = yield* Sim.simulator({ plan: odd })

        const plan = yield* planOf.pipe(Effect.provide(Sim.client(sim)))

        expect(plan).toEqual(Plan.adaptive)
      })
    )

    it.scopedLive("stays within a plan's list limits without a 429", () =>
      Effect.gen(function* () {
        const sim = yield* Sim.simulator({
          counts: { tickets: 1_200 },
          plan: { overall: 60, ticketList: 8, contactList: 8 }
        })
        const plan = Plan.custom({ overall: 60, tickets: 8, contacts: 8 })

        yield* Sim.syncWith(Sim.client(sim, { plan }))(Streams.tickets)

        expect(sim.stats().rateLimited).toBe(0)
        expect(sim.stats().byEndpoint.tickets).toBeGreaterThanOrEqual(14)
      })
    )

    it.scopedLive("never writes the key to a log line or an error", () =>
      Effect.gen(function* () {
        const sim = yield* Sim.simulator()
        const secrets = [sim.apiKey, Buffer.from(`${sim.apiKey}:X`).toString("base64")]
        const wrong = { ...sim, apiKey: `${sim.apiKey}-old` }

        const good = yield* captureLogs(Sim.syncWith(Sim.client(sim))(Streams.groups))
        const bad = yield* captureLogs(Sim.syncWith(Sim.client(wrong))(Streams.groups))

        expect(good.result._tag).toBe("Right")
        expect(bad.result._tag === "Left" && bad.result.left.reason).toBe("InvalidCredentials")
        expect(good.lines.some((line) => line.includes("http request"))).toBe(true)
        const text = [...good.lines, ...bad.lines, JSON.stringify(bad.result)].join("\n")
        for (const secret of secrets) expect(text).not.toContain(secret)
      })
    )

    it.scopedLive("fails a bad configuration before any request", () =>
      Effect.gen(function* () {
        const sim = yield* Sim.simulator()
        const layer = FreshdeskClient.layer({
          config: { apiKey: Redacted.make(sim.apiKey), baseUrl: `ftp://127.0.0.1:${sim.port}` }
        })

        const error = yield* Effect.flip(Layer.build(layer))

        expect(error.reason).toBe("InvalidConfig")
        expect(sim.stats().total).toBe(0)
      })
    )

    it.scopedLive("refuses a budget share outside (0, 1]", () =>
      Effect.gen(function* () {
        const sim = yield* Sim.simulator()

        const error = yield* Effect.flip(Layer.build(Sim.client(sim, { budgetShare: 1.5 })))

        expect(error.message).toContain("`budget-share`")
      })
    )
  })

  describe("budgetOptions", () => {
    it("seeds the overall limit and the two list sub-limits from a preset", () => {
      const settings = { share: 0.5, windowMs: 1000, maxInFlight: 8 }

      const options = FreshdeskClient.budgetOptions(Plan.preset("pro"), settings)

      expect(options).toMatchObject({
        share: 0.5,
        maxInFlight: 8,
        overall: { limit: 400 },
        groups: { [Plan.ticketsGroup]: { limit: 100 }, [Plan.contactsGroup]: { limit: 100 } }
      })
    })

    it("leaves every limit to be learned for the adaptive plan", () => {
      const settings = { share: 1, windowMs: 60_000, maxInFlight: 16 }

      const options = FreshdeskClient.budgetOptions(Plan.adaptive, settings)

      expect(options.overall).toEqual({})
      expect(options.groups).toEqual({ [Plan.ticketsGroup]: {}, [Plan.contactsGroup]: {} })
    })
  })

  describe("parseTicketInclude", () => {
    it.effect("reads a comma list and none", () =>
      Effect.gen(function* () {
        const list = yield* FreshdeskClient.parseTicketInclude(" stats, description,stats ")
        const none = yield* FreshdeskClient.parseTicketInclude("none")

        expect(list).toEqual(["stats", "description"])
        expect(none).toEqual([])
      })
    )

    it.effect("names an unknown embed and the allowed ones", () =>
      Effect.gen(function* () {
        const parsed = FreshdeskClient.parseTicketInclude("description,conversations")

        const error = yield* Effect.flip(parsed)

        expect(error.message).toContain("`conversations`")
        expect(error.message).toContain("description, requester, stats, company")
      })
    )
  })
})
