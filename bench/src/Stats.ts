/**
 * The arithmetic of the results: medians of alternating runs and the ratios between them.
 *
 * @since 0.1.0
 */

/**
 * The median of some numbers (the mean of the middle two for an even count; NaN for none).
 *
 * @since 0.1.0
 * @category computing
 */
export const median = (values: ReadonlyArray<number>): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * Rounds to a number of decimals, for the tables.
 *
 * @since 0.1.0
 * @category formatting
 */
export const round = (value: number, decimals = 2): number => {
  const factor = 10 ** decimals
  return Math.round(value * factor) / factor
}

/**
 * Seconds with one decimal, from milliseconds.
 *
 * @since 0.1.0
 * @category formatting
 */
export const seconds = (millis: number): string => `${(millis / 1000).toFixed(1)} s`

/**
 * Megabytes (10^6 bytes) with no decimals.
 *
 * @since 0.1.0
 * @category formatting
 */
export const megabytes = (bytes: number): string => `${Math.round(bytes / 1e6)} MB`
