import { randomUUID } from 'node:crypto'
import type { SettlementListener, SnapshotStore, StoredCall, VersionConflict } from './SnapshotStore.js'
import type { StoredSettlement } from '../codecs/StoredSettlement.js'
import { optionsOrThrow } from '../codecs/options/decodeOptions.js'
import { MemoryStoreOptions } from './MemoryStoreOptions.js'

export type { MemoryStoreOptions } from './MemoryStoreOptions.js'

interface Entry {
  readonly call: StoredCall
  /** The most recent write ids, newest first. */
  readonly writeIds: readonly string[]
  readonly open: boolean
  readonly expiresAt?: number
}

// Write ids remembered per call: a save resent after a lost answer is recognised among these.
const RECENT_WRITES = 8

/**
 * The default store: snapshots in this process's memory. Not durable, so the orchestrator keeps
 * its calls' live snapshots and never copies one; use the Redis store for several instances or
 * restarts. With `durable: true` it behaves like the Redis store within one process.
 *
 * @example
 * ```ts
 * const orchestrator = createCallOrchestrator({ graph, store: createMemoryStore() })
 * ```
 *
 * @throws TypeError when an option is invalid (the message names it) or unknown.
 */
export const createMemoryStore = (options: MemoryStoreOptions = {}): SnapshotStore => {
  const o = optionsOrThrow(MemoryStoreOptions, options)
  const retentionMs = o.retentionMs ?? 600_000
  const now = o.now ?? Date.now
  const calls = new Map<string, Entry>()
  const settlements = new Map<string, { readonly value: StoredSettlement; readonly expiresAt: number }>()
  const deadlines = new Map<string, number>()
  const instances = new Map<string, number>()
  const owners = new Map<string, Map<string, string>>()
  const listeners = new Set<SettlementListener>()
  let saves = 0

  const live = (callId: string): Entry | undefined => {
    const e = calls.get(callId)
    if (e?.expiresAt !== undefined && e.expiresAt <= now()) {
      calls.delete(callId)
      return undefined
    }
    return e
  }
  const settledKey = (callId: string, clientContext: string): string => `${callId}\u0000${clientContext}`
  // A deep copy both ways, so nobody's later changes leak into (or out of) the stored version.
  const copy = (c: StoredCall): StoredCall => structuredClone(c)
  const purge = (): void => {
    const t = now()
    for (const [k, s] of settlements) if (s.expiresAt <= t) settlements.delete(k)
    for (const id of calls.keys()) live(id)
  }

  return {
    durable: o.durable ?? false,
    load: async (callId) => {
      const e = live(callId)
      return e === undefined ? undefined : copy(e.call)
    },
    save: async (callId, snapshot, expectedVersion, o): Promise<VersionConflict | StoredCall> => {
      const e = live(callId)
      const actual = e?.call.version ?? 0
      const writeId = o.writeId ?? randomUUID()
      const replaced = o.replacing
      if (actual !== expectedVersion || (o.expectedWriteId !== undefined && e?.writeIds[0] !== o.expectedWriteId)) {
        if (e !== undefined && e.writeIds.includes(writeId)) return copy(e.call)
        return {
          _tag: 'VersionConflict',
          callId,
          expected: expectedVersion,
          actual,
          ...(e === undefined ? {} : { current: copy(e.call) }),
        }
      }
      if (o.open && o.deadline !== undefined) {
        const at = deadlines.get(callId)
        if (at === undefined || o.deadline < at) deadlines.set(callId, o.deadline)
      }
      const call: StoredCall = { snapshot: structuredClone(snapshot), version: replaced?.version ?? actual + 1, sending: { ...o.sending }, writeId }
      const writeIds = [writeId, ...(e?.writeIds ?? [])].slice(0, RECENT_WRITES)
      calls.set(callId, { call, writeIds, open: o.open, ...(o.open ? {} : { expiresAt: now() + retentionMs }) })
      if (!o.open) {
        deadlines.delete(callId)
        owners.delete(callId)
      }
      for (const s of o.settled ?? []) {
        const value = structuredClone(s)
        settlements.set(settledKey(callId, s.clientContext), { value, expiresAt: now() + retentionMs })
        // Asynchronous, like a pub/sub message.
        for (const l of listeners) queueMicrotask(() => l.settled(structuredClone(value)))
      }
      for (const news of o.news ?? []) {
        const relayed = structuredClone({ callId, version: call.version, news })
        for (const l of listeners) queueMicrotask(() => l.news?.(structuredClone(relayed)))
      }
      if (++saves % 1_000 === 0) purge()
      return copy(call)
    },
    listOpen: async () => [...calls.keys()].filter((id) => live(id)?.open === true),
    delete: async (callId) => {
      calls.delete(callId)
      deadlines.delete(callId)
      owners.delete(callId)
    },

    settlement: async (callId, clientContext) => {
      const k = settledKey(callId, clientContext)
      const s = settlements.get(k)
      if (s === undefined) return undefined
      if (s.expiresAt <= now()) {
        settlements.delete(k)
        return undefined
      }
      return structuredClone(s.value)
    },
    subscribe: async (listener) => {
      listeners.add(listener)
      return async () => {
        listeners.delete(listener)
      }
    },

    // In one process nothing can be lost.
    subscriptionHealth: () => ({ subscribed: true, lost: 0 }),

    scheduleDeadline: async (callId, at) => {
      const current = deadlines.get(callId)
      if (current === undefined || at < current) deadlines.set(callId, at)
    },
    claimDeadlines: async (t, leaseUntil, limit) => {
      const due = [...deadlines].filter(([, at]) => at <= t).sort((a, b) => a[1] - b[1]).slice(0, limit)
      for (const [id] of due) deadlines.set(id, leaseUntil)
      return due.map(([id]) => id)
    },
    releaseDeadline: async (callId, leaseUntil, next) => {
      const current = deadlines.get(callId)
      if (current === leaseUntil) {
        if (next === undefined) deadlines.delete(callId)
        else deadlines.set(callId, next)
      } else if (next !== undefined && (current === undefined || next < current)) {
        deadlines.set(callId, next)
      }
    },

    setOperationOwner: async (callId, clientContext, instanceId) => {
      const of = owners.get(callId) ?? new Map<string, string>()
      owners.set(callId, of.set(clientContext, instanceId))
    },
    operationOwners: async (callId) => Object.fromEntries(owners.get(callId) ?? []),

    heartbeat: async (instanceId, ttlMs) => {
      instances.set(instanceId, now() + ttlMs)
    },
    isAlive: async (instanceId) => (instances.get(instanceId) ?? -Infinity) > now(),
    forgetInstance: async (instanceId) => {
      instances.delete(instanceId)
    },

    close: async () => {
      listeners.clear()
    },
  }
}
