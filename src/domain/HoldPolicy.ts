/**
 * What to do with a hold request for participant B while A holds the call's hold slot:
 * `reject` answers `HoldConflict` at once, `queue` waits for the slot (in request order, within
 * the request's deadline), `swap` releases A and then holds B.
 */
export type HoldPolicy = 'reject' | 'queue' | 'swap'

/** Every hold policy, for validation and documentation. */
export const holdPolicies: readonly HoldPolicy[] = ['reject', 'queue', 'swap']
