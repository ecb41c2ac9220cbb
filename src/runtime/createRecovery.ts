import * as E from 'fp-ts/lib/Either.js'
import { callActionAwaitingAnswer, isAwaitingAnswer, knowsOutcomeBeforeAnswer, requestToResend } from '../../machines/callQueries.js'
import { callActionOnRestore } from './callActionOnRestore.js'
import { nextDeadline } from '../../machines/call.machine.js'
import { versionedCallSnapshot } from '../codecs/StoredCallSnapshot.js'
import { cancelled } from '../domain/CallOpsError.js'
import type { Clock } from '../domain/Clock.js'
import type { Logger } from '../logging/Logger.js'
import type { SnapshotStore } from '../stores/SnapshotStore.js'
import type { CallRegistry } from './createCallRegistry.js'
import type { CallTimers } from './createCallTimers.js'
import type { DeadlineSweeper } from './createDeadlineSweeper.js'
import type { DurableApplier } from './createDurableApplier.js'
import type { EffectRunner } from './createEffectRunner.js'
import { hasEnded, type LiveCall } from './LiveCall.js'
import { expectedWrite, noteSeen } from './storeRollback.js'

/** Open calls recovered at a time: quick with many open calls, without flooding the store. */
const RECOVER_AT_ONCE = 32

/** What recovery needs; `durable` is absent with the memory store. */
export interface RecoveryOptions {
  readonly store: SnapshotStore
  readonly clock: Clock
  readonly logger: Logger
  readonly registry: CallRegistry
  /** This instance's id now (it changes when its lease lapses). */
  readonly instanceId: () => string
  readonly instanceTtlMs: number
  readonly open: () => boolean
  readonly durable?: {
    readonly applier: DurableApplier
    readonly effects: EffectRunner
    readonly sweeper: DeadlineSweeper
  }
  /** Memory store: the timers of restored calls. */
  readonly timers?: CallTimers
}

/**
 * `restore()`: takes up the open calls of the store. With a durable store, each call's deadline is
 * re-armed and each request recorded but not answered whose sender is no longer alive is resent;
 * a call action is resent only when that is safe (see callActionOnRestore.ts).
 * Resolves with the number of open calls found.
 */
export const createRecovery = (o: RecoveryOptions): (() => Promise<number>) => {
  const { store, registry, logger } = o

  /** Recovery of one call; `true` when some sender is alive, so the caller may look again once a dead one's heartbeat has run out. */
  const recover = async (call: LiveCall, d: NonNullable<RecoveryOptions['durable']>): Promise<boolean> => {
    const s = call.stored
    if (s === undefined) return false
    s.stale = true
    if (!(await d.applier.sync(call)) || hasEnded(call)) return false
    const next = nextDeadline(call.actor.getSnapshot().context)
    if (next !== undefined) {
      await store.scheduleDeadline(call.key, next)
      d.sweeper.schedule(next)
    }
    let senderAlive = false
    for (const key of Object.keys(s.sending)) {
      for (;;) {
        const snapshot = call.actor.getSnapshot()
        const by = s.sending[key]
        const awaiting = isAwaitingAnswer(snapshot.context, key) || callActionAwaitingAnswer(snapshot.context, key) !== undefined
        if (call.failed || !awaiting || by === undefined || by === o.instanceId()) break
        if (await store.isAlive(by)) {
          senderAlive = true
          break
        }
        // Take the request over with compare-and-set, so of several recovering instances one resends it.
        const sending = { ...s.sending, [key]: o.instanceId() }
        const saved = await store.save(call.key, versionedCallSnapshot(call.actor.getPersistedSnapshot()), s.version, { open: true, sending, ...expectedWrite(s) })
        if ('_tag' in saved) {
          if (!registry.adopt(call, saved.current ?? (await store.load(call.key)))) break
          continue
        }
        const superseded = saved.version !== s.version + 1
        s.version = saved.version
        s.sending = sending
        noteSeen(s, saved.version, saved.writeId)
        if (superseded && !registry.adopt(call, saved)) break
        const request = requestToResend(snapshot.context, key)
        const callAction = callActionAwaitingAnswer(snapshot.context, key)
        if (callAction !== undefined) {
          const step = callActionOnRestore(snapshot.context, key, callAction)
          logger.warn({ callId: call.callId, clientContext: key, action: callAction.action, deadInstance: by, step: step.type }, 'a call action its sender never saw answered')
          if (step.type === 'effect.callAction') d.effects.run(call, [step])
          else if (step.type === 'callAction.rejected') d.applier.apply(call, step)
        } else if (knowsOutcomeBeforeAnswer(snapshot, key)) {
          // Graph already told the outcome; only the HTTP answer was lost with the sender.
          d.applier.apply(call, { type: 'http.rejected', clientContext: key, error: cancelled('the HTTP answer was lost with the instance that sent the request') })
        } else if (request !== undefined) {
          logger.warn({ callId: call.callId, clientContext: key, deadInstance: by }, 'resending a request its sender never saw answered')
          d.effects.send(call, request)
        }
        break
      }
    }
    return senderAlive
  }

  const restoreDurable = async (d: NonNullable<RecoveryOptions['durable']>): Promise<number> => {
    let found = 0
    const again: LiveCall[] = []
    const recoverOnChain = async (call: LiveCall): Promise<boolean> =>
      (await d.applier.onChain(call, 'could not recover call', () => recover(call, d))) ?? false
    const keys = await store.listOpen()
    for (let i = 0; i < keys.length; i += RECOVER_AT_ONCE) {
      await Promise.all(
        keys.slice(i, i + RECOVER_AT_ONCE).map(async (key) => {
          let call = registry.get(key)
          if (call === undefined) {
            const stored = await store.load(key)
            if (stored === undefined) return
            const cached = registry.get(key) === undefined ? registry.cache(key, stored) : E.right(registry.get(key))
            if (E.isLeft(cached) || cached.right === undefined) return
            call = cached.right
          }
          found++
          if (await recoverOnChain(call)) again.push(call)
        }),
      )
    }
    // A sender that looked alive may have just died (its heartbeat still running out): look once more after it would have.
    if (again.length > 0) {
      o.clock.setTimeout(() => {
        for (const call of again) if (o.open()) void recoverOnChain(call)
      }, o.instanceTtlMs)
    }
    return found
  }

  const restoreMemory = async (): Promise<number> => {
    let n = 0
    for (const key of await store.listOpen()) {
      if (registry.get(key) !== undefined) continue
      const stored = await store.load(key)
      if (stored === undefined) continue
      const cached = registry.cache(key, stored)
      if (E.isLeft(cached)) continue
      o.timers?.arm(cached.right)
      n++
    }
    return n
  }

  return () => (o.durable === undefined ? restoreMemory() : restoreDurable(o.durable))
}
