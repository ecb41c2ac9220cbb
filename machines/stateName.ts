import { leafPaths } from '../src/domain/leafPaths.js'

/**
 * A state value as one dotted path: `{ established: { hold: 'held', transfer: 'idle' } }` →
 * `established.hold.held`. The regions of a parallel state are joined with ` + `, leaving out a
 * region at rest (in its `idle` state): `established.hold.held + established.transfer.transferring`.
 *
 * @example
 * ```ts
 * stateName(actor.getSnapshot().value) // 'established.hold.held'
 * ```
 */
export const stateName = (value: unknown): string => {
  if (typeof value !== 'object' || value === null) return String(value)
  const paths = leafPaths(value) ?? []
  const busy = paths.filter((p) => !p.endsWith('.idle'))
  return (busy.length === 0 ? paths : busy).join(' + ')
}
