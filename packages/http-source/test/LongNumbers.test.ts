import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import * as LongNumbers from "../src/internal/longNumbers.ts"

// runs of digits and dots of every length up to 20 (side by side they make longer ones),
// between characters at the test's edges: a slash (code 47, between the digits and the
// dot), a minus, a letter, and characters of two, three and four UTF-8 bytes; about a
// quarter of the texts hold a run of 16
const run = fc.string({ unit: fc.constantFrom("0", "1", "9", "."), minLength: 1, maxLength: 20 })
const other = fc.constantFrom("/", "-", "a", "é", "€", "😀")
const text = fc.array(fc.oneof(run, other), { maxLength: 30 }).map((parts) => parts.join(""))

const reference = (s: string): boolean => /[0-9.]{16}/.test(s)

describe("LongNumbers", () => {
  test.prop([text])("finds a run of 16 digits or dots exactly when a regular expression does", (s) => {
    expect(LongNumbers.hasLongRun(s)).toBe(reference(s))
  })

  test.prop([text])("gives the same answer on a text's UTF-8 bytes as on the text", (s) => {
    expect(LongNumbers.hasLongRunInBytes(Buffer.from(s, "utf8"))).toBe(LongNumbers.hasLongRun(s))
  })

  it("finds a run at the very start and at the very end", () => {
    const run = "1234567890.12345"
    expect(LongNumbers.hasLongRun(`${run}x`)).toBe(true)
    expect(LongNumbers.hasLongRunInBytes(Buffer.from(`€€€${run}`))).toBe(true)
    expect(LongNumbers.hasLongRunInBytes(Buffer.from(`€€€${run.slice(1)}`))).toBe(false)
  })
})
