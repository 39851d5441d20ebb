/**
 * Where log lines go. With `--log-format json`, one JSON object per line on stderr (message
 * text constant, values in annotations such as `source.stream`), from Info up, so stdout
 * keeps only the run report. With `text` on a terminal, only warnings and errors are
 * printed (logfmt on stderr): progress lines and the summary table carry the rest.
 *
 * @since 0.1.0
 */
import { Layer, Logger, LogLevel } from "effect"
import type { LogFormat } from "./Config.ts"

/**
 * The logger of a run for a log format.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (format: LogFormat): Layer.Layer<never> =>
  format === "json"
    ? Layer.merge(
        Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.jsonLogger)),
        Logger.minimumLogLevel(LogLevel.Info)
      )
    : Layer.merge(
        Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger)),
        Logger.minimumLogLevel(LogLevel.Warning)
      )
