import type { StoredCall } from '../stores/SnapshotStore.js'
import type { StoredState } from './LiveCall.js'

/** Versions (with their write ids) remembered per cached call: enough for a replica a few writes behind. */
const SEEN_VERSIONS = 16

/** The store went back to an older version of a call than this instance had seen. */
export interface Rollback {
  /** What the store holds now: its version (0 when the call is gone) and the write that stored it. */
  readonly storedVersion: number
  readonly storedWriteId?: string
  /**
   * Whether this instance may put its newer version back. Only when the store holds nothing, or
   * exactly a version this instance saw stored (the same write id): then nobody has saved, and so
   * nobody has sent anything, on the older state since the loss, and the newer version this instance
   * holds contains everything the older one does. Any other version (a save made on the older state,
   * whose requests may have left) is not overwritten.
   */
  readonly repairable: boolean
}

/** Remembers that `stored` is a version of the call this instance saw. */
export const noteSeen = (s: StoredState, version: number, writeId: string | undefined): void => {
  if (writeId === undefined) return
  s.seen.delete(version)
  s.seen.set(version, writeId)
  if (s.seen.size > SEEN_VERSIONS) s.seen.delete(s.seen.keys().next().value ?? 0)
}

/**
 * Whether `stored` (what a load or a refused save found) is older than the version this cache holds.
 * Versions only grow, so an older one means the store lost writes (Redis restarted without
 * persistence, or failed over to a replica that was behind). So does the same version written by
 * another write than the one this cache saw: the store lost writes and was written again since.
 */
export const rollbackOf = (s: StoredState, stored: StoredCall | undefined): Rollback | undefined => {
  const storedVersion = stored?.version ?? 0
  const storedWriteId = stored?.writeId
  const mine = s.seen.get(s.version)
  const rewritten = storedVersion === s.version && mine !== undefined && storedWriteId !== undefined && storedWriteId !== mine
  if (s.version === 0 || (storedVersion >= s.version && !rewritten)) return undefined
  const repairable = !rewritten && (stored === undefined || (storedWriteId !== undefined && s.seen.get(storedVersion) === storedWriteId))
  return storedWriteId === undefined ? { storedVersion, repairable } : { storedVersion, storedWriteId, repairable }
}

/** The compare-and-set of a save on the cached version: on its number and, when known, the write that stored it. */
export const expectedWrite = (s: StoredState): { readonly expectedWriteId?: string } => {
  const mine = s.seen.get(s.version)
  return mine === undefined ? {} : { expectedWriteId: mine }
}

/** Save options that put the cached version back over the older `r` (see `SaveOptions.replacing`). */
export const replacingOptions = (s: StoredState, r: Rollback): { readonly expectedWriteId?: string; readonly replacing: { readonly version: number } } =>
  r.storedWriteId === undefined ? { replacing: { version: s.version + 1 } } : { expectedWriteId: r.storedWriteId, replacing: { version: s.version + 1 } }
