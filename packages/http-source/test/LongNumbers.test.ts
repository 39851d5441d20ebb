import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import * as LongNumbers from "../src/internal/longNumbers.ts"

// characters around the test's edges: digits and dots (the run), a slash (code 47, between
// them), a minus, letters, and characters of two, three and four UTF-8 bytes
const text = fc.string({
  unit: fc.constantFrom("0", "1", "9", ".", "/", "-", "a", "é", "€", "😀"),
  maxLength: 300
})

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
