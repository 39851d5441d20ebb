import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import { Worker } from "node:worker_threads"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Scope, TestClock } from "effect"
import * as Dataset from "../src/Dataset.ts"
import * as Lock from "../src/Lock.ts"
import * as Synthetic from "./support/Synthetic.ts"

// polls a file until told to stop, counting reads that held a whole JSON holder or less
const pollLock = `
const { parentPort, workerData } = require("node:worker_threads")
const fs = require("node:fs")
let whole = 0, partial = 0, stop = false
parentPort.on("message", () => { stop = true })
parentPort.postMessage("ready")
const poll = () => {
  for (let i = 0; i < 2000; i++) {
    try {
      const text = fs.readFileSync(workerData, "utf8")
      try { JSON.parse(text).pid ? whole++ : partial++ } catch { partial++ }
    } catch {}
  }
  if (stop) parentPort.postMessage({ whole, partial })
  else setImmediate(poll)
}
poll()
`

const readHolder = (out: string) =>
  Effect.promise(async () => JSON.parse(await Fs.readFile(Dataset.lockPath(out, "tickets"), "utf8")) as Lock.Holder)

const writeHolder = (out: string, holder: Partial<Lock.Holder>) =>
  Effect.promise(async () => {
    await Fs.mkdir(Dataset.stateDir(out, "tickets"), { recursive: true })
    await Fs.writeFile(Dataset.lockPath(out, "tickets"), JSON.stringify(holder))
  })

describe("Lock", () => {
  it.scoped("refuses a second holder and names the first", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      yield* Lock.acquire(out, "tickets", "20261203T000000Z-aaaaaa")

      const error = yield* Effect.flip(Effect.scoped(Lock.acquire(out, "tickets", "20261203T000001Z-bbbbbb")))

      expect(error).toBeInstanceOf(Lock.LockError)
      expect(error.message).toContain(`pid ${process.pid} on ${Os.hostname()}, run 20261203T000000Z-aaaaaa`)
    })
  )

  it.scoped("releases the lock when the scope closes", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const scope = yield* Scope.make()
      yield* Scope.extend(Lock.acquire(out, "tickets", "20261203T000000Z-aaaaaa"), scope)

      yield* Scope.close(scope, Exit.void)
      const again = yield* Lock.acquire(out, "tickets", "20261203T000001Z-bbbbbb")

      expect(again.holder.runId).toBe("20261203T000001Z-bbbbbb")
    })
  )

  it.scoped("refreshes the lock while it is held", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      yield* Lock.acquire(out, "tickets", "20261203T000000Z-aaaaaa", { refreshEvery: "30 seconds" })

      yield* TestClock.adjust("31 seconds")
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
      const holder = yield* readHolder(out)

      expect(holder.refreshedAt).toBe("1970-01-01T00:00:30.000Z")
    })
  )

  it.scoped("takes over a lock not refreshed for five minutes", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      yield* writeHolder(out, {
        pid: 1,
        host: "elsewhere",
        bootId: null,
        runId: "old",
        refreshedAt: "1970-01-01T00:00:00.000Z"
      })
      yield* TestClock.adjust("301 seconds")

      const lock = yield* Lock.acquire(out, "tickets", "20261203T000001Z-bbbbbb")

      expect((yield* readHolder(out)).runId).toBe(lock.holder.runId)
    })
  )

  it.scoped("keeps a lock refreshed less than five minutes ago", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      yield* writeHolder(out, {
        pid: 1,
        host: "elsewhere",
        bootId: null,
        runId: "old",
        refreshedAt: "1970-01-01T00:00:00.000Z"
      })
      yield* TestClock.adjust("4 minutes")

      const error = yield* Effect.flip(Lock.acquire(out, "tickets", "20261203T000001Z-bbbbbb"))

      expect(error._tag).toBe("LockError")
    })
  )

  it.scoped("takes over at once a lock whose holder on this machine is gone", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const bootId = (yield* Effect.promise(() => Fs.readFile("/proc/sys/kernel/random/boot_id", "utf8"))).trim()
      const now = new Date().toISOString()
      yield* writeHolder(out, { pid: 2 ** 22 + 7, host: Os.hostname(), bootId, runId: "dead", refreshedAt: now })

      const lock = yield* Lock.acquire(out, "tickets", "20261203T000001Z-bbbbbb")

      expect((yield* readHolder(out)).runId).toBe(lock.holder.runId)
    })
  )

  it.scoped("takes over a lock whose takeover was cut short by a process now gone", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const bootId = (yield* Effect.promise(() => Fs.readFile("/proc/sys/kernel/random/boot_id", "utf8"))).trim()
      const now = new Date().toISOString()
      const dead = { pid: 2 ** 22 + 7, host: Os.hostname(), bootId, runId: "dead", refreshedAt: now }
      yield* writeHolder(out, dead)
      const marker = `${Dataset.lockPath(out, "tickets")}.takeover`
      yield* Effect.promise(() => Fs.writeFile(marker, JSON.stringify({ ...dead, pid: 2 ** 22 + 9 })))

      const lock = yield* Lock.acquire(out, "tickets", "20261203T000001Z-bbbbbb")
      const left = yield* Effect.promise(() => Fs.readdir(Dataset.stateDir(out, "tickets")))

      expect((yield* readHolder(out)).runId).toBe(lock.holder.runId)
      expect(left).toEqual(["lock"])
    })
  )

  it.scoped("reports a lock taken over by another process as lost", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      const lock = yield* Lock.acquire(out, "tickets", "20261203T000000Z-aaaaaa", { refreshEvery: "30 seconds" })
      yield* writeHolder(out, { pid: 1, host: "elsewhere", bootId: null, runId: "taker", refreshedAt: "x" })

      yield* TestClock.adjust("31 seconds")
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
      const error = yield* Effect.flip(lock.ensureHeld)

      expect(error.reason).toBe("Lost")
      expect(error.message).toContain("run taker")
    })
  )

  // a reader on another thread polls the lock while it is created and released many
  // times: a lock created empty and then filled (what a kill -9 could leave) would show
  it.live("never shows a lock without its holder to a concurrent reader", () =>
    Effect.gen(function* () {
      const out = yield* Synthetic.tempDir
      yield* Effect.promise(() => Fs.mkdir(Dataset.stateDir(out, "tickets"), { recursive: true }))
      const reader = new Worker(pollLock, { eval: true, workerData: Dataset.lockPath(out, "tickets") })
      yield* Effect.promise(() => new Promise((resolve) => reader.once("message", resolve)))

      for (let i = 0; i < 60; i++) yield* Effect.scoped(Lock.acquire(out, "tickets", "20261203T000000Z-aaaaaa"))
      reader.postMessage("stop")
      const seen = yield* Effect.promise(
        () => new Promise<{ whole: number; partial: number }>((resolve) => reader.once("message", resolve))
      )
      const left = yield* Effect.promise(() => Fs.readdir(Dataset.stateDir(out, "tickets")))

      expect(seen.partial).toBe(0)
      expect(left).toEqual([])
    }).pipe(Effect.scoped)
  )
})
