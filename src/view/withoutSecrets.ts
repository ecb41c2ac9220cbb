/** Fields whose values are secrets: the live view never sends them to a page (docs/security.md). */
const SECRET_FIELDS: ReadonlySet<string> = new Set(['recordingAccessToken'])

/**
 * A `JSON.stringify` replacer that writes `"[redacted]"` for secret fields, wherever they sit: a
 * recordResponse's access token rides in settled results, operation reports and machine events.
 */
export const withoutSecrets = (key: string, value: unknown): unknown => (SECRET_FIELDS.has(key) && value !== undefined ? '[redacted]' : value)
