// captures log lines in memory so tests can assert on their level, message and annotations
import { HashMap, Layer, Logger, LogLevel } from "effect"

export interface Line {
  readonly level: string
  readonly message: string
  readonly annotations: Readonly<Record<string, unknown>>
  /** every value of the line as text, to search for secrets */
  readonly text: string
}

const messageText = (message: unknown): string =>
  Array.isArray(message) ? message.map(String).join(" ") : String(message)

export const capture = (): { readonly lines: Array<Line>; readonly layer: Layer.Layer<never> } => {
  const lines: Array<Line> = []
  const logger = Logger.make(({ logLevel, message, annotations }) => {
    const record = Object.fromEntries(HashMap.toEntries(annotations))
    const text = `${messageText(message)} ${JSON.stringify(record, (_k, v) => (typeof v === "bigint" ? String(v) : v))}`
    lines.push({ level: logLevel.label, message: messageText(message), annotations: record, text })
  })
  const layer = Layer.merge(Logger.replace(Logger.defaultLogger, logger), Logger.minimumLogLevel(LogLevel.All))
  return { lines, layer }
}
