/** The message of a thrown value, for a log line or an error value (`Error` or not). */
export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err))
