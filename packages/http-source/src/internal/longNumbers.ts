// the number tokens of a JSON text that a double may not hold: a cheap test of whether a
// text (or its UTF-8 bytes) may have one, and the scan that finds them, so the native
// parser can read the text with those tokens quoted and only they are revived afterwards.
// The scan skips strings with indexOf from quote to quote, which keeps it a small share of
// a parse even on pages of long HTML descriptions.

/**
 * The length from which a run of digits and dots may be a number a double does not hold:
 * such a token has at least 16 digits. A run this long is a cheap superset test (a false
 * positive, such as a long digit run inside a string, only costs the slow path).
 */
export const RUN = 16

// a digit or a dot: codes 46 to 57 but for 47 ("/"), with one comparison on the common path
// (measured: a third less time per page than two range tests)
const isNumberChar = (c: number): boolean => (c - 46) >>> 0 <= 11 && c !== 47

// A run of RUN characters holds one position of every RUN, so the tests below look at those
// and measure the run around a hit: a few times faster than a regular expression on large
// pages. The two are the same loop over a string and over bytes: reading through a shared
// accessor would cost the call on every position.

/** whether `text` has a run of {@link RUN} digits or dots */
export const hasLongRun = (text: string): boolean => {
  const n = text.length
  for (let i = RUN - 1; i < n; i += RUN) {
    if (!isNumberChar(text.charCodeAt(i))) continue
    let start = i
    while (start > 0 && isNumberChar(text.charCodeAt(start - 1))) start -= 1
    let end = i + 1
    while (end < n && isNumberChar(text.charCodeAt(end))) end += 1
    if (end - start >= RUN) return true
  }
  return false
}

/**
 * {@link hasLongRun} on a text's UTF-8 bytes, with the same answer: an ASCII character is
 * one byte there, and no byte of a longer character is a digit or a dot. Indexing bytes
 * is about twice as fast as `charCodeAt` (13 against 30 µs a 128 kB page, measured), so
 * the executor tests a body before it decodes it.
 */
export const hasLongRunInBytes = (bytes: Uint8Array): boolean => {
  const n = bytes.length
  for (let i = RUN - 1; i < n; i += RUN) {
    if (!isNumberChar(bytes[i]!)) continue
    let start = i
    while (start > 0 && isNumberChar(bytes[start - 1]!)) start -= 1
    let end = i + 1
    while (end < n && isNumberChar(bytes[end]!)) end += 1
    if (end - start >= RUN) return true
  }
  return false
}

const QUOTE = 34
const BACKSLASH = 92

const isTokenChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || c === 101 || c === 69

const isTokenStart = (c: number): boolean => (c >= 48 && c <= 57) || c === 45

// the index after the closing quote of the string opening at `open`, or -1 when it has none
const endOfString = (text: string, open: number): number => {
  let from = open + 1
  for (;;) {
    const quote = text.indexOf('"', from)
    if (quote < 0) return -1
    let back = quote - 1
    while (text.charCodeAt(back) === BACKSLASH) back -= 1
    if ((quote - 1 - back) % 2 === 0) return quote + 1
    from = quote + 1
  }
}

/**
 * The start and end offsets, flattened, of every number token outside a string that is
 * at least `minLength` characters long; a text cut off inside a string ends the scan
 * (the parser then reports it).
 */
export const find = (text: string, minLength: number): Array<number> => {
  const spans: Array<number> = []
  const n = text.length
  let i = 0
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      i = endOfString(text, i)
      if (i < 0) break
    } else if (isTokenStart(c)) {
      let end = i + 1
      while (end < n && isTokenChar(text.charCodeAt(end))) end += 1
      if (end - i >= minLength) spans.push(i, end)
      i = end
    } else i += 1
  }
  return spans
}

/** the text with each span wrapped in a string that starts with `mark` (JSON-escaped) */
export const quote = (text: string, spans: ReadonlyArray<number>, escapedMark: string): string => {
  let out = ""
  let last = 0
  for (let k = 0; k < spans.length; k += 2) {
    const start = spans[k]!
    const end = spans[k + 1]!
    out += `${text.slice(last, start)}"${escapedMark}${text.slice(start, end)}"`
    last = end
  }
  return out + text.slice(last)
}
