import type { Logger } from '../../src/logging/Logger.js'

/** One call of the logger. */
export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error'
  readonly obj: Record<string, unknown>
  readonly msg: string | undefined
}

/** A {@link Logger} that keeps every entry, at every level (debug included). */
export interface CapturingLogger {
  readonly logger: Logger
  readonly entries: LogEntry[]
  /** Everything logged, as one text: Errors with message, stack and cause, other values as JSON. */
  text(): string
}

/** Serialises any value to text, Errors and their causes included (JSON.stringify drops them). */
export const serialise = (value: unknown): string => {
  const seen = new WeakSet<object>()
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Error) return { ...v, name: v.name, message: v.message, stack: v.stack, cause: v.cause }
    if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') return String(v)
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) return '[cycle]'
      seen.add(v)
    }
    return v
  })
}

/** Creates a {@link CapturingLogger}. */
export const capturingLogger = (): CapturingLogger => {
  const entries: LogEntry[] = []
  const at = (level: LogEntry['level']) => (obj: Record<string, unknown>, msg?: string) => {
    entries.push({ level, obj, msg })
  }
  return {
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    entries,
    text: () => serialise(entries),
  }
}
