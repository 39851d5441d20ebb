/**
 * The `landed-freshdesk` executable: runs the CLI on Node, maps its outcome to an exit
 * code (usage errors 2, command exits as given, anything unexpected 1) and exits.
 *
 * @since 0.1.0
 */
import { ValidationError } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { Cause, Effect, Exit, Layer } from "effect"
import * as Cli from "./Cli.ts"
import * as Shutdown from "./Shutdown.ts"

const program = Cli.run(process.argv).pipe(Effect.provide(Layer.merge(NodeContext.layer, Shutdown.layer)))

const codeOf = (exit: Exit.Exit<void, unknown>): number => {
  if (Exit.isSuccess(exit)) return 0
  const failure = Cause.failureOption(exit.cause)
  if (failure._tag === "Some") {
    const error = failure.value
    if (error instanceof Cli.CommandExit) {
      if (error.message !== undefined) process.stderr.write(`${error.message}\n`)
      return error.code
    }
    // @effect/cli has already printed the usage problem and the help
    if (ValidationError.isValidationError(error)) return 2
  }
  process.stderr.write(`${Cause.pretty(exit.cause)}\n`)
  return 1
}

Effect.runPromiseExit(program).then((exit) => {
  process.exitCode = codeOf(exit)
})
