/**
 * The logger callops writes to: the four levels of a pino logger, so a pino instance can be passed
 * as is. The first argument carries structured fields, the second a short message.
 *
 * @example
 * ```ts
 * import pino from 'pino'
 * const logger: Logger = pino()
 * ```
 */
export interface Logger {
  debug(obj: Record<string, unknown>, msg?: string): void
  info(obj: Record<string, unknown>, msg?: string): void
  warn(obj: Record<string, unknown>, msg?: string): void
  error(obj: Record<string, unknown>, msg?: string): void
}

const discard = (): void => {}

/** A {@link Logger} that writes nothing: the default wherever a logger is optional. */
export const silentLogger: Logger = { debug: discard, info: discard, warn: discard, error: discard }
