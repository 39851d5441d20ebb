/**
 * The messages between the bench and its simulator process.
 */

/** One API request the simulator served: path with query, epoch milliseconds, status. */
export interface LoggedRequest {
  readonly url: string
  readonly start: number
  readonly end: number
  readonly status: number
}

/** A command to the simulator process; `id` pairs it with its reply. */
export interface HostRequest {
  readonly id: number
  readonly op: "stats" | "reset" | "log" | "stop"
}

/** The answer to a command (id 0 announces the server once it listens). */
export interface HostReply {
  readonly id: number
  readonly value?: unknown
  readonly error?: string
}
