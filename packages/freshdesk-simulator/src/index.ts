/**
 * A strict, independent stand-in for Freshdesk's API v2 on a loopback port.
 *
 * @since 0.1.0
 */

/**
 * Start, inspect and steer a simulator (`Simulator.start(options)`).
 *
 * @since 0.1.0
 */
export * as Simulator from "./Simulator.ts"

/**
 * The simulator's options and plan presets.
 *
 * @since 0.1.0
 */
export * as SimulatorOptions from "./Options.ts"

/**
 * The JSON writer that keeps big integers and long decimals exact.
 *
 * @since 0.1.0
 */
export * as WireJson from "./WireJson.ts"

/**
 * The error raised by the control API.
 *
 * @since 0.1.0
 */
export * as SimulatorError from "./SimulatorError.ts"
