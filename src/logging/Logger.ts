import { objectWith } from '../codecs/options/objectWith.js'

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
  /**
   * Whether messages of `level` are written (pino's method of this name). Optional: when it answers
   * `false`, callops does not build the fields of its per-operation messages of that level.
   */
  isLevelEnabled?(level: 'debug' | 'info' | 'warn' | 'error'): boolean
}

const discard = (): void => {}

/** A {@link Logger} that writes nothing: the default wherever a logger is optional. */
export const silentLogger: Logger = { debug: discard, info: discard, warn: discard, error: discard, isLevelEnabled: () => false }

/** Checks that an option is a {@link Logger}: `debug`, `info`, `warn` and `error` functions (and `isLevelEnabled`, if any). */
export const Logger = objectWith<Logger>('a logger (pino-compatible)', {
  debug: 'function',
  info: 'function',
  warn: 'function',
  error: 'function',
  isLevelEnabled: 'optional function',
})
