import type { Logger } from '../../logging/Logger.js'
import { objectWith } from './objectWith.js'

/** Checks that an option is a {@link Logger}: `debug`, `info`, `warn` and `error` functions (and `isLevelEnabled`, if any). */
export const LoggerOption = objectWith<Logger>('a logger (pino-compatible)', {
  debug: 'function',
  info: 'function',
  warn: 'function',
  error: 'function',
  isLevelEnabled: 'optional function',
})
