import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import * as FreshdeskConfig from "../src/FreshdeskConfig.ts"

const apiKey = Redacted.make("abcDEF123secret")

const origin = (input: Omit<FreshdeskConfig.Input, "apiKey">) =>
  FreshdeskConfig.make({ apiKey, ...input }).pipe(Effect.map((config) => config.origin))

const failure = (input: FreshdeskConfig.Input) => Effect.flip(FreshdeskConfig.make(input))

describe("FreshdeskConfig", () => {
  describe("make", () => {
    it.effect("normalises every accepted form of the subdomain to one origin", () =>
      Effect.gen(function* () {
        const forms = [
          "mycompany",
          "MyCompany",
          " mycompany.freshdesk.com ",
          "https://mycompany.freshdesk.com",
          "https://mycompany.freshdesk.com/",
          "https://mycompany.freshdesk.com/a/tickets/1"
        ]

        const origins = yield* Effect.forEach(forms, (subdomain) => origin({ subdomain }))

        expect(new Set(origins)).toEqual(new Set(["https://mycompany.freshdesk.com"]))
      })
    )

    it.effect("keeps the key redacted and trims it", () =>
      Effect.gen(function* () {
        const input = { apiKey: Redacted.make(" key123 "), subdomain: "acme" }

        const config = yield* FreshdeskConfig.make(input)

        expect(Redacted.value(config.apiKey)).toBe("key123")
        expect(String(config.apiKey)).not.toContain("key123")
      })
    )

    it.effect("prefers the base URL and accepts plain http only to loopback", () =>
      Effect.gen(function* () {
        const local = yield* origin({ subdomain: "acme", baseUrl: "http://127.0.0.1:4010/" })
        const proxy = yield* origin({ baseUrl: "https://proxy.example.com/freshdesk/api/v2" })
        const remote = yield* failure({ apiKey, baseUrl: "http://proxy.example.com" })

        expect(local).toBe("http://127.0.0.1:4010")
        expect(proxy).toBe("https://proxy.example.com/freshdesk")
        expect(remote.reason).toBe("InvalidConfig")
        expect(remote.message).toContain("`http://proxy.example.com/`")
        expect(remote.message).toContain("loopback")
      })
    )

    it.effect("names the given subdomain, the expected forms and where to find it", () =>
      Effect.gen(function* () {
        const error = yield* failure({ apiKey, subdomain: "help.acme.com" })

        expect(error.reason).toBe("InvalidConfig")
        expect(error.message).toContain('"help.acme.com"')
        expect(error.message).toContain("`mycompany.freshdesk.com`")
        expect(error.message).toContain("https://mycompany.freshdesk.com")
      })
    )

    it.effect("refuses an http freshdesk address", () =>
      Effect.gen(function* () {
        const error = yield* failure({ apiKey, subdomain: "http://acme.freshdesk.com" })

        expect(error.reason).toBe("InvalidConfig")
      })
    )

    it.effect("asks for a subdomain when neither origin setting is given", () =>
      Effect.gen(function* () {
        const error = yield* failure({ apiKey, subdomain: "  " })

        expect(error.message).toContain("is not set")
      })
    )

    it.effect("refuses an empty or malformed key without showing it", () =>
      Effect.gen(function* () {
        const empty = yield* failure({ apiKey: Redacted.make(""), subdomain: "acme" })
        const spacedKey = Redacted.make("secret part:two")
        const spaced = yield* failure({ apiKey: spacedKey, subdomain: "acme" })

        expect(empty.message).toContain("Profile Settings")
        expect(spaced.message).not.toContain("secret")
        expect(spaced.message).not.toContain("two")
      })
    )
  })

  describe("apiBase", () => {
    it("appends the API path to the origin", () => {
      expect(FreshdeskConfig.apiBase({ apiKey, origin: "https://acme.freshdesk.com" })).toBe(
        "https://acme.freshdesk.com/api/v2"
      )
    })
  })
})
