import type { SnapshotStore, StoredCall, VersionConflict } from './SnapshotStore.js'

/**
 * The default store: snapshots in this process's memory. Not durable, so the orchestrator keeps
 * its live actors and saves only when asked to (on close); use the Redis store for several
 * instances or restarts.
 *
 * @example
 * ```ts
 * const orchestrator = createCallOrchestrator({ graph, store: createMemoryStore() })
 * ```
 */
export const createMemoryStore = (): SnapshotStore => {
  const calls = new Map<string, StoredCall & { readonly open: boolean }>()
  return {
    durable: false,
    load: async (callId) => {
      const c = calls.get(callId)
      return c === undefined ? undefined : { snapshot: c.snapshot, version: c.version }
    },
    save: async (callId, snapshot, expectedVersion, open): Promise<VersionConflict | StoredCall> => {
      const actual = calls.get(callId)?.version ?? 0
      if (actual !== expectedVersion) return { _tag: 'VersionConflict', callId, expected: expectedVersion, actual }
      // A deep copy, so later changes of the caller's objects do not leak into the stored version.
      const stored = { snapshot: structuredClone(snapshot), version: actual + 1, open }
      calls.set(callId, stored)
      return { snapshot: stored.snapshot, version: stored.version }
    },
    listOpen: async () => [...calls].filter(([, c]) => c.open).map(([id]) => id),
    delete: async (callId) => {
      calls.delete(callId)
    },
    close: async () => {},
  }
}
