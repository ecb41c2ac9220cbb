/**
 * A state value as one dotted path: `{ active: 'held' }` → `active.held`.
 *
 * @example
 * ```ts
 * stateName(actor.getSnapshot().value) // 'active.held'
 * ```
 */
export const stateName = (value: unknown): string => {
  if (typeof value === 'string') return value
  if (value === null || typeof value !== 'object') return String(value)
  const [k, v] = Object.entries(value)[0] ?? ['', '']
  const inner = stateName(v)
  return inner === '' ? k : `${k}.${inner}`
}
