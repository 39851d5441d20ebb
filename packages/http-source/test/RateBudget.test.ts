import { fc } from "@fast-check/vitest"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Duration, Effect, Fiber, TestClock, TestContext } from "effect"
import * as RateBudget from "../src/RateBudget.ts"
import * as SharedWindow from "./support/SharedWindow.ts"

const plain: RateBudget.Ticket = { cost: 1, groups: [] }
const tickets: RateBudget.Ticket = { cost: 1, groups: ["tickets"] }
const contacts: RateBudget.Ticket = { cost: 1, groups: ["contacts"] }

const headers = (total: number, remaining: number, used = 1) => ({
  "x-ratelimit-total": String(total),
  "x-ratelimit-remaining": String(remaining),
  "x-ratelimit-used-currentrequest": String(used)
})

interface Admitted {
  readonly at: number
  readonly cost: number
}

// runs the tickets through the budget, `concurrency` at a time, holding each place for
// `hold`, and records when each was admitted (test clock time)
const admitAll = (
  budget: RateBudget.RateBudget,
  ticketsToRun: ReadonlyArray<RateBudget.Ticket>,
  options: { readonly concurrency: number; readonly hold?: Duration.DurationInput }
) => {
  const admitted: Array<Admitted> = []
  let inFlight = 0
  let peak = 0
  const one = (ticket: RateBudget.Ticket) =>
    budget.run(ticket, (admission) =>
      Effect.suspend(() => {
        admitted.push({ at: admission.admittedAt, cost: ticket.cost })
        inFlight += 1
        peak = Math.max(peak, inFlight)
        return Effect.ensuring(
          Effect.sleep(options.hold ?? Duration.zero),
          Effect.sync(() => {
            inFlight -= 1
          })
        )
      })
    )
  const run = Effect.forEach(ticketsToRun, one, { concurrency: options.concurrency, discard: true })
  return { admitted, run, peak: () => peak }
}

// four ticket readers (3 credits a page, the tickets sub-limit) and one contact reader
// (1 credit, the contacts sub-limit) sharing one budget, each reader one page at a time
const ticketsAndContacts = (
  budget: RateBudget.RateBudget,
  options: {
    readonly ticketPages: number
    readonly ticketHold: Duration.DurationInput
    readonly contactPages: number
    readonly contactHold: Duration.DurationInput
  }
) => {
  const ticketPage: RateBudget.Ticket = { cost: 3, groups: ["tickets"] }
  const readers = Array.from({ length: 4 }, () =>
    admitAll(
      budget,
      Array.from({ length: options.ticketPages }, () => ticketPage),
      { concurrency: 1, hold: options.ticketHold }
    )
  )
  const contactPages = admitAll(
    budget,
    Array.from({ length: options.contactPages }, () => contacts),
    { concurrency: 1, hold: options.contactHold }
  )
  const run = Effect.all([...readers.map((r) => r.run), contactPages.run], { concurrency: "unbounded" })
  return { readers, contactPages, run }
}

// the most units any fixed window of length `window` can see, whatever its start
// a budget of 100 a 2 s window whose first request went at 0 and was answered
// `answeredAfter` ms later, then one request sent at 2001, just past the reset the budget
// expects (it can still land in the old window, which opened on arrival), and one at 2022
const oldTailThenNewWindow = (answeredAfter: number) =>
  Effect.gen(function* () {
    const budget = yield* RateBudget.make({ window: "2 seconds", overall: { limit: 100 } })
    const admit = Effect.fork(budget.run(plain, (admission) => Effect.succeed(admission)))
    const opener = yield* Fiber.join(yield* admit)
    yield* TestClock.adjust(Duration.millis(answeredAfter))
    yield* budget.observe(plain, headers(100, 99), opener)
    yield* TestClock.adjust(Duration.millis(2001 - answeredAfter))
    const tail = yield* Fiber.join(yield* admit)
    yield* TestClock.adjust("21 millis")
    const next = yield* Fiber.join(yield* admit)
    return { budget, admit, tail, next }
  })

const busiestWindow = (admitted: ReadonlyArray<Admitted>, window: number): number => {
  const sorted = [...admitted].sort((a, b) => a.at - b.at)
  let best = 0
  for (const first of sorted) {
    const sum = sorted.filter((a) => a.at >= first.at && a.at < first.at + window).reduce((n, a) => n + a.cost, 0)
    best = Math.max(best, sum)
  }
  return best
}

describe("RateBudget", () => {
  describe("make", () => {
    it.effect("paces evenly so that no window of the server sees more than the limit", () =>
      Effect.gen(function* () {
        const budget = yield* RateBudget.make({ window: "1 second", overall: { limit: 20 } })
        const { admitted, run } = admitAll(
          budget,
          Array.from({ length: 60 }, () => plain),
          { concurrency: 16 }
        )

        const fiber = yield* Effect.fork(run)
        yield* TestClock.adjust("10 seconds")
        yield* Fiber.join(fiber)

        expect(busiestWindow(admitted, 1000)).toBeLessThanOrEqual(20)
        expect(admitted.filter((a) => a.at < 3000).length).toBeGreaterThanOrEqual(50)
      })
    )

    it("never lets a window of any start see more credits than the limit", async () => {
      const property = fc.asyncProperty(
        fc.integer({ min: 3, max: 120 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 150 }),
        fc.double({ min: 0.2, max: 1, noNaN: true }),
        async (limit, costs, share) => {
          // below twice the dearest request plus one, even pacing cannot stay under a limit
          fc.pre(limit * share >= 8)
          const program = Effect.gen(function* () {
            const budget = yield* RateBudget.make({ window: "1 second", overall: { limit }, share })
            const list = costs.map((cost) => ({ cost, groups: [] }))
            const { admitted, run } = admitAll(budget, list, { concurrency: 8 })
            const fiber = yield* Effect.fork(run)
            yield* TestClock.adjust("10 minutes")
            yield* Fiber.join(fiber)
            return busiestWindow(admitted, 1000)
          })

          const busiest = await Effect.runPromise(Effect.provide(program, TestContext.TestContext))

          expect(busiest).toBeLessThanOrEqual(limit * share)
        }
      )
      await fc.assert(property, { numRuns: 40 })
    })

    it.effect("keeps as many requests in flight as the pace needs when answers are slow", () =>
      Effect.gen(function* () {
        const budget = yield* RateBudget.make({ window: "1 second", overall: { limit: 60 }, maxInFlight: 64 })
        const many = Array.from({ length: 200 }, () => plain)
        const { admitted, run, peak } = admitAll(budget, many, { concurrency: 64, hold: "500 millis" })

        const fiber = yield* Effect.fork(run)
        yield* TestClock.adjust("2 seconds")
        const inTwoSeconds = admitted.length
        yield* TestClock.adjust("10 seconds")
        yield* Fiber.join(fiber)

        expect(inTwoSeconds).toBeGreaterThanOrEqual(110)
        expect(peak()).toBeGreaterThanOrEqual(25)
      })
    )

    it.effect("lets requests of one sub-limit use what requests held by another leave", () =>
      Effect.gen(function* () {
        // Freshdesk Pro: tickets cost 3 credits (description embedded) and wait on their
        // list's 100 calls; contacts cost 1. Together they fit the 400 credits exactly.
        const budget = yield* RateBudget.make({
          window: "1 minute",
          overall: { limit: 400 },
          groups: { tickets: { limit: 100 }, contacts: { limit: 100 } }
        })
        const { readers, contactPages, run } = ticketsAndContacts(budget, {
          ticketPages: 25,
          ticketHold: "10 millis",
          contactPages: 100,
          contactHold: "10 millis"
        })

        const fiber = yield* Effect.fork(run)
        yield* TestClock.adjust("5 minutes")
        yield* Fiber.join(fiber)

        // each list's 100 calls a minute is the bound: both finish within the first minute
        // and a few paces, although four ticket readers wait on their sub-limit at once
        const lastContact = Math.max(...contactPages.admitted.map((a) => a.at))
        const lastTicket = Math.max(...readers.flatMap((r) => r.admitted.map((a) => a.at)))
        expect(lastContact).toBeLessThan(65_000)
        expect(lastTicket).toBeLessThan(65_000)
        const all = [...contactPages.admitted, ...readers.flatMap((r) => r.admitted)]
        expect(busiestWindow(all, 60_000)).toBeLessThanOrEqual(400)
      })
    )

    it.effect("keeps a sub-limit's pace while another stream takes turns on the overall limit", () =>
      Effect.gen(function* () {
        // Enterprise limits with 500 ms answers: ticket pages (3 credits, their list's 200
        // calls a minute) and one contact reader (1 credit, a page every 650 ms) together
        // need 683 of the 690 credits a minute the overall limit paces at
        const budget = yield* RateBudget.make({
          overall: { limit: 700 },
          groups: { tickets: { limit: 200 }, contacts: { limit: 200 } }
        })
        const { readers, contactPages, run } = ticketsAndContacts(budget, {
          ticketPages: 80,
          ticketHold: "500 millis",
          contactPages: 120,
          contactHold: "650 millis"
        })

        const fiber = yield* Effect.fork(run)
        yield* TestClock.adjust("5 minutes")
        yield* Fiber.join(fiber)

        // the ticket list's own pace allows 197 calls in the first minute; waiting for the
        // later of two slots each time a contact had just taken the overall one gave 186
        const [, tickets] = yield* budget.limits
        const firstMinute = readers.flatMap((r) => r.admitted).filter((a) => a.at < 60_000).length
        expect(firstMinute).toBeGreaterThanOrEqual(Math.floor(tickets!.effectiveLimit!) - 2)
        const ticketCalls = readers.flatMap((r) => r.admitted.map((a) => ({ at: a.at, cost: 1 })))
        expect(busiestWindow(ticketCalls, 60_000)).toBeLessThanOrEqual(200)
        const all = [...contactPages.admitted, ...readers.flatMap((r) => r.admitted)]
        expect(busiestWindow(all, 60_000)).toBeLessThanOrEqual(700)
      })
    )

    it.effect("sends again as soon as a window it opened resets, however slow the answers", () =>
      Effect.gen(function* () {
        // answers take a second of a two-second window: waiting for the latest the window
        // could end (an answer's arrival plus a window) would idle half of every window
        const budget = yield* RateBudget.make({ window: "2 seconds", overall: { limit: 30 } })
        const acct = SharedWindow.account(30, 2000)
        const client: SharedWindow.Client = { budget, requests: 150, cost: 1, concurrency: 16, latency: "500 millis" }

        const fiber = yield* Effect.fork(SharedWindow.runClient(acct, client))
        yield* TestClock.adjust("1 minute")
        yield* Fiber.join(fiber)

        const seen = SharedWindow.summary(acct)
        expect(seen.refused).toBe(0)
        expect(seen.share).toBeGreaterThanOrEqual(0.9)
      })
    )

    it.effect("goes back to its pace when a new window follows an answer from the old one's tail", () =>
      Effect.gen(function* () {
        // the first request opened the window when it arrived, a little after it was sent
        // (a new connection), so a request sent just after the reset the budget expects
        // can still land in the old window and answer with its last few credits
        const { budget, admit, tail, next: fresh } = yield* oldTailThenNewWindow(100)
        yield* TestClock.adjust("79 millis")
        yield* budget.observe(plain, headers(100, 7), tail)
        // sent while only the old window's tail was known
        const during = yield* admit
        yield* TestClock.adjust("1 millis")
        yield* Fiber.join(during)
        // this one waits for the slot the old tail set when the fresh answer comes
        const next = yield* admit
        yield* TestClock.adjust("21 millis")
        yield* budget.observe(plain, headers(100, 99), fresh)
        yield* TestClock.adjust("2 seconds")
        const { admittedAt } = yield* Fiber.join(next)

        // the new window is known from the fresh answer at 2122: the waiting request goes
        // at the pace (a step of about 20 ms), not at the old tail's seven credits spread
        // over the window (a step of about 300 ms)
        const [overall] = yield* budget.limits
        const step = 2000 / overall!.effectiveLimit!
        expect(tail.admittedAt).toBe(2001)
        expect(admittedAt).toBeLessThanOrEqual(2122 + step)
      })
    )

    it.effect("lets a request held for a spent window go when an answer shows the new one", () =>
      Effect.gen(function* () {
        // the window's first request reached the server later than it went (a new
        // connection), so one sent just after the reset the budget expects lands in the old
        // window and answers that it is spent, while the next one opens the new window
        const { budget, admit, tail: late, next: opening } = yield* oldTailThenNewWindow(20)
        yield* TestClock.adjust("1 millis")
        yield* budget.observe(plain, headers(100, 0), late)
        // held: by the spent answer, the window ends at the latest two seconds from now
        const held = yield* admit
        yield* TestClock.adjust("27 millis")
        yield* budget.observe(plain, headers(100, 99), opening)
        yield* TestClock.adjust("3 seconds")
        const { admittedAt } = yield* Fiber.join(held)

        expect([late.admittedAt, opening.admittedAt]).toEqual([2001, 2022])
        // the answer that opened the new window came at 2050: the held request goes then
        expect(admittedAt).toBe(2050)
      })
    )

    it.effect("counts the time a request waits behind others of its limits as pace", () =>
      Effect.gen(function* () {
        const budget = yield* RateBudget.make({ window: "1 second", overall: { limit: 10 } })
        const waits: Array<number> = []
        const one = budget.run(plain, (admission) =>
          Effect.sync(() => {
            waits.push(admission.paceMillis)
          })
        )

        const fiber = yield* Effect.fork(Effect.all([one, one, one], { concurrency: "unbounded" }))
        yield* TestClock.adjust("5 seconds")
        yield* Fiber.join(fiber)

        // the third waited out two of the pace's steps, one of them behind the second
        // (each let in ahead of the pace by the tolerance: 0.5% of the limit, in time)
        const [overall] = yield* budget.limits
        const step = 1000 / overall!.effectiveLimit!
        const early = 0.005 * 10 * step
        expect(waits.map((w) => Math.round(w))).toEqual([0, Math.round(step - early), Math.round(2 * step - early)])
      })
    )

    it.effect("keeps at most maxInFlight requests in flight", () =>
      Effect.gen(function* () {
        const budget = yield* RateBudget.make({ maxInFlight: 3, overall: { limit: 1_000_000 } })
        const { run, peak } = admitAll(
          budget,
          Array.from({ length: 20 }, () => plain),
          {
            concurrency: 20,
            hold: "1 second"
          }
        )

        const fiber = yield* Effect.fork(run)
        yield* TestClock.adjust("1 minute")
        yield* Fiber.join(fiber)

        expect(peak()).toBe(3)
      })
    )

    it.effect("lets one request go first to learn an unknown limit from its headers", () =>
      Effect.gen(function* () {
        const budget = yield* RateBudget.make({ window: "1 second" })
        const admitted: Array<number> = []
        const one = budget.run(plain, (admission) =>
          Effect.gen(function* () {
            admitted.push(admission.admittedAt)
            yield* Effect.sleep("300 millis")
            yield* budget.observe(plain, headers(10, 9))
          })
        )

        const fiber = yield* Effect.fork(
          Effect.all(
            Array.from({ length: 5 }, () => one),
            { concurrency: 5 }
          )
        )
        yield* TestClock.adjust("5 seconds")
        yield* Fiber.join(fiber)
        const [overall] = yield* budget.limits

        expect(admitted[0]).toBe(0)
        expect(admitted[1]).toBeGreaterThanOrEqual(300)
        expect(overall).toMatchObject({ name: "overall", limit: 10, effectiveLimit: 8.9 })
      })
    )

    it.effect("stops learning when the first answer carries no limit headers", () =>
      Effect.gen(function* () {
        const budget = yield* RateBudget.make({ window: "1 second", maxInFlight: 8 })
        const { admitted, run } = admitAll(
          budget,
          Array.from({ length: 8 }, () => plain),
          { concurrency: 8 }
        )

        const fiber = yield* Effect.fork(Effect.zipRight(budget.observe(plain, {}), run))
        yield* TestClock.adjust("1 second")
        yield* Fiber.join(fiber)

        expect(admitted.every((a) => a.at === 0)).toBe(true)
      })
    )

    it.effect("pauses only the sub-limit a 429 hit while the overall limit had room", () =>
      Effect.gen(function* () {
        const budget = yield* RateBudget.make({ groups: { tickets: {}, contacts: {} } })
        yield* budget.observe(tickets, headers(200, 150))

        const hit = yield* budget.rateLimited(tickets, Duration.seconds(30))
        const times: Record<string, number> = {}
        const record = (name: string, ticket: RateBudget.Ticket) =>
          budget.run(ticket, (a) => Effect.sync(() => (times[name] = a.admittedAt)))
        const fiber = yield* Effect.fork(Effect.all([record("contacts", contacts), record("tickets", tickets)]))
        yield* TestClock.adjust("1 minute")
        yield* Fiber.join(fiber)

        expect(hit).toBe("tickets")
        expect(times.contacts).toBe(0)
        expect(times.tickets).toBe(30_000)
      })
    )

    it.effect("pauses the overall limit when the last headers said it was spent", () =>
      Effect.gen(function* () {
        const budget = yield* RateBudget.make({ overall: { limit: 200 }, groups: { tickets: {}, contacts: {} } })
        // two requests in flight: the first's answer says the window is spent, the second is refused
        const answered = budget.run(tickets, (a) =>
          Effect.delay(budget.observe(tickets, headers(200, 0), a), "1 second")
        )
        const refused = budget.run(tickets, () =>
          Effect.delay(
            Effect.zip(Clock.currentTimeMillis, budget.rateLimited(tickets, Duration.seconds(20))),
            "2 seconds"
          )
        )
        const both = yield* Effect.fork(Effect.all([answered, refused], { concurrency: 2 }))
        yield* TestClock.adjust("3 seconds")
        const [, [refusedAt, hit]] = yield* Fiber.join(both)

        const next = yield* Effect.fork(budget.run(contacts, (a) => Effect.succeed(a.admittedAt)))
        yield* TestClock.adjust("1 minute")

        expect(hit).toBe("overall")
        expect(yield* Fiber.join(next)).toBe(refusedAt + 20_000)
      })
    )

    it.effect("learns a sub-limit from the calls that led to its first 429", () =>
      Effect.gen(function* () {
        const budget = yield* RateBudget.make({ window: "1 minute", overall: { limit: 1000 } })
        const { run } = admitAll(
          budget,
          Array.from({ length: 7 }, () => tickets),
          { concurrency: 1 }
        )
        const fiber = yield* Effect.fork(run)
        yield* TestClock.adjust("10 seconds")
        yield* Fiber.join(fiber)

        yield* budget.rateLimited(tickets, Duration.seconds(50))
        const limits = yield* budget.limits

        expect(limits.find((l) => l.name === "tickets")).toMatchObject({ limit: 7, unit: "calls" })
      })
    )

    it.effect("waits for the window to reset once the headers say it is spent", () =>
      Effect.gen(function* () {
        const budget = yield* RateBudget.make({ window: "1 minute", overall: { limit: 1000 } })
        const first = budget.run(plain, () => budget.observe(plain, headers(1000, 999)))
        const spent = budget.run(plain, () => budget.observe(plain, headers(1000, 0)))
        const next = budget.run(plain, (a) => Effect.succeed(a.admittedAt))

        const fiber = yield* Effect.fork(Effect.zipRight(Effect.zipRight(first, spent), next))
        yield* TestClock.adjust("2 minutes")

        expect(yield* Fiber.join(fiber)).toBe(60_000)
      })
    )

    it.effect("scales every limit by the share", () =>
      Effect.gen(function* () {
        const budget = yield* RateBudget.make({
          overall: { limit: 200 },
          groups: { tickets: { limit: 40 } },
          share: 0.5
        })

        const limits = yield* budget.limits

        expect(limits.map((l) => [l.name, l.effectiveLimit])).toEqual([
          ["overall", 98],
          ["tickets", 18.8]
        ])
      })
    )

    it.effect("refuses a share outside (0, 1]", () =>
      Effect.gen(function* () {
        const exit = yield* Effect.exit(RateBudget.make({ share: 1.5 }))

        expect(exit._tag).toBe("Failure")
      })
    )
  })
})
