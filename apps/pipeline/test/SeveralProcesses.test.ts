// two CLI processes on one account, started together as a scheduler starts two stream
// tasks: they share the account's limit only through its answers (X-RateLimit-Remaining
// and 429s), so what is asserted is what the account saw of them
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Cli from "./support/Cli.ts"
import * as SharedAccount from "./support/SharedAccount.ts"
import * as Simulated from "./support/Simulated.ts"

let cli = ""
beforeAll(() => {
  cli = Cli.build("several")
})
afterAll(() => Cli.removeBuild(cli))

// a plan no preset knows, so each process learns the limits from the headers; the ticket
// listing alone needs several windows of the overall limit (three credits a page with the
// description embedded)
const windowMs = 1000
const plan = { overall: 30, ticketList: 15, contactList: 15 }

describe("several processes on one account", () => {
  it("converge on the shared limit with at most 10 responses 429 in the whole run, and both land exact", () =>
    Simulated.withSimulator(
      { seed: 41, windowMs, plan, counts: { tickets: 4000, contacts: 3000 } },
      async (sim, out) => {
        const outcome = await SharedAccount.runPair(cli, sim, {
          streams: [["tickets"], ["contacts"]],
          out,
          windowMs
        })
        const windows = SharedAccount.windowsIn(outcome.busyMillis, windowMs)
        const { current, account } = await Simulated.compareAll(out, sim)
        const shareOfLimit = outcome.stats.credits / ((outcome.busyMillis / windowMs) * plan.overall)

        expect(outcome.results.map((r) => r.code)).toEqual([0, 0])
        expect(current.tickets).toEqual(account.tickets)
        expect(current.contacts).toEqual(account.contacts)
        // the run spans several windows; 10 is the bound for one of them
        expect(windows).toBeGreaterThanOrEqual(4)
        expect(outcome.stats.rateLimited).toBeLessThanOrEqual(10)
        // neither process backs off for good: together they use most of the limit
        expect(shareOfLimit).toBeGreaterThanOrEqual(0.6)
      }
    ))
})
