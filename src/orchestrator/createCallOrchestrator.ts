import { randomUUID } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { createActor, type Actor } from 'xstate'
import { callMachine, nextDeadline, type CallMachine } from '../../machines/call.machine.js'
import type { CallContext, CallEmitted, CallEvent, HoldPolicy, HttpEffect, OperationRequested } from '../../machines/callTypes.js'
import { decodeShaped } from '../codecs/decode.js'
import { callEnded, cancelled, capacityExceeded, invalidRequest, timeout, type CallOpsError } from '../domain/CallOpsError.js'
import type { Operation } from '../domain/Operation.js'
import { actionCatalog, type ActionName } from '../graph/actionCatalog.js'
import { createGraphClient } from '../graph/createGraphClient.js'
import { canonicalId } from '../domain/canonicalId.js'
import { validateClientContext } from '../codecs/ClientContext.js'
import { validatePathId } from '../graph/pathId.js'
import { silentLogger } from '../logging/Logger.js'
import { createNotificationAuthenticator } from '../notifications/auth/index.js'
import { createNotificationHandler } from '../notifications/createNotificationHandler.js'
import { type RoutedEvent } from '../notifications/toCallEvents.js'
import { createDeadlineSweeper } from '../runtime/createDeadlineSweeper.js'
import { createInstanceHeartbeat } from '../runtime/createInstanceHeartbeat.js'
import { createMemoryStore } from '../stores/createMemoryStore.js'
import { requestIdFor } from '../runtime/requestIdFor.js'
import type { StoredCall } from '../stores/SnapshotStore.js'
import type { StoredSettlement } from '../codecs/StoredSettlement.js'
import { toCallView, stateName, type CallView } from './CallView.js'
import { systemClock } from '../domain/Clock.js'
import { keepAliveScheduler } from '../runtime/keepAliveScheduler.js'
import { traceOperations } from '../observability/traceOperations.js'
import type { OrchestratorEvent, OrchestratorListener } from '../runtime/OrchestratorEvent.js'
import type {
  ActionRequestOf,
  ActionResult,
  CallOrchestrator,
  CallOrchestratorOptions,
  CallRegistration,
  OrchestratorActions,
  OrchestratorTaskEithers,
  RequestBase,
} from './CallOrchestrator.js'
import type { Mutable } from '../domain/Mutable.js'
// Re-exported so existing imports of the types from this module keep working.
export type {
  RequestBase,
  ParticipantRequest,
  ActionRequestOf,
  ActionResult,
  OrchestratorActions,
  OrchestratorTaskEithers,
  CallOrchestratorOptions,
  CallRegistration,
  OrchestratorStats,
  CallOrchestrator,
} from './CallOrchestrator.js'

// --- internals

/** Ended call ids remembered after their state left memory (about 50 bytes each). */
const MAX_FORGOTTEN_CALLS = 10_000

interface LiveCall {
  /** Canonical id: the key of `calls`. */
  readonly key: string
  /** The id as the bot spelled it, used in request paths. */
  readonly callId: string
  actor: Actor<CallMachine>
  version: number
  timer?: unknown
  timerAt?: number
  outbox: CallEmitted[]
  chain: Promise<void>
  ended: boolean
  /** Durable stores: requests recorded and not answered yet, as stored (see StoredCall.sending). */
  sending?: Readonly<Record<string, string>>
  /** Durable stores: the stored version may be newer than this cache; load before applying. */
  stale?: true
  /** Durable stores: when this instance last applied an event to the call (for evicting it from the cache). */
  lastUsed?: number
}

interface Waiter {
  readonly resolve: (r: ActionResult) => void
  readonly call: LiveCall
  readonly abort?: () => void
  readonly action: ActionName
  readonly participantId?: string
  /** The `client-request-id` of the operation's HTTP request, once it left. */
  clientRequestId?: string
}

const toEither = (r: { readonly ok: boolean; readonly operation?: Operation; readonly error?: CallOpsError }): ActionResult =>
  r.ok && r.operation !== undefined ? E.right(r.operation) : E.left(r.error ?? cancelled('no outcome'))

/** Requests still to be answered after a transition: answered or ended ones leave, new ones are sent by `me`. */
const sendingAfter = (
  before: Readonly<Record<string, string>>,
  event: CallEvent,
  effects: readonly CallEmitted[],
  context: CallContext,
  me: string,
): Record<string, string> => {
  const answered = event.type === 'http.accepted' || event.type === 'http.rejected' ? event.clientContext : undefined
  const after: Record<string, string> = {}
  for (const [key, by] of Object.entries(before)) {
    const f = context.inFlight[key]
    if (key !== answered && f !== undefined && f.timedOut === undefined) after[key] = by
  }
  for (const e of effects) if (e.type === 'effect.http') after[e.clientContext] = me
  return after
}

/** Requests sharing one abort signal (see `takeSignal`). */
interface SignalBatch {
  readonly controller: AbortController
  issued: number
  open: number
}

const REQUESTS_PER_SIGNAL = 64

const NO_EFFECTS: readonly CallEmitted[] = []

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err))

const isEnded = (call: LiveCall): boolean => call.actor.getSnapshot().value === 'ended'

// Waits before trying a failed store call again: a dropped connection is usually back within these.
const STORE_RETRY_DELAYS_MS = [100, 300, 1_000]

/**
 * Runs a store call, trying again after a failure (a dropped connection). Only for calls that are
 * safe to repeat: loads, and saves repeated with their write id (the store recognises its own write).
 */
const retrying = async <A>(call: () => Promise<A>): Promise<A> => {
  for (const delay of STORE_RETRY_DELAYS_MS) {
    try {
      return await call()
    } catch {
      await new Promise((r) => setTimeout(r, delay).unref())
    }
  }
  return call()
}

// A claimed deadline is due again after this long if its sweeper died before releasing it (or the
// claim's answer was lost with a dropped connection): processing one takes milliseconds.
const DEADLINE_LEASE_MS = 5_000

// How often (and after how long idle) a durable store's cached calls are checked for eviction.
const EVICT_EVERY_MS = 60_000

const positive = (name: string, value: number | undefined, fallback: number): number => {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`Expected \`${name}\` to be a positive number, got ${value}.`)
  return value
}

/**
 * Creates the orchestrator: it validates each request, runs it through the call's machine (which
 * enforces the hold rule before anything is sent), sends the Graph request, follows the operation
 * through notifications, and resolves with the outcome.
 *
 * @example
 * ```ts
 * const orchestrator = createCallOrchestrator({
 *   graph: { getToken: async () => token },
 *   notificationAuth: { appId: process.env.APP_ID! },
 * })
 * http.createServer(orchestrator.webhook).listen(8080)
 * const held = await orchestrator.startHoldMusic({ callId, participantId })
 * if (E.isLeft(held) && held.left._tag === 'HoldConflict') console.log(`${held.left.heldBy} is on hold`)
 * ```
 */
export const createCallOrchestrator = (options: CallOrchestratorOptions): CallOrchestrator => {
  const logger = options.logger ?? silentLogger
  /** A logger without `isLevelEnabled` writes every level, as far as callops can tell. */
  const loggerWrites = (level: 'debug' | 'info'): boolean => logger.isLevelEnabled?.(level) ?? true
  const clock = options.clock ?? systemClock
  const store = options.store ?? createMemoryStore()
  const durable = store.durable
  const client = 'client' in options.graph ? options.graph.client : createGraphClient(options.graph)
  const ownsClient = !('client' in options.graph)
  const maxCalls = positive('maxCalls', options.maxCalls, 100_000)
  const maxPending = positive('maxPendingOperations', options.maxPendingOperations, 100_000)
  const retention = positive('endedCallRetentionMs', options.endedCallRetentionMs, 60_000)
  const sweepIntervalMs = positive('sweepIntervalMs', options.sweepIntervalMs, 1_000)
  const instanceTtlMs = positive('instanceTtlMs', options.instanceTtlMs, 10_000)
  // Who records a request as being sent: a fresh id per orchestrator, so a restarted process is a new instance.
  const instanceId = randomUUID()
  const timeouts = new Map<ActionName, number>()
  for (const action of Object.keys(actionCatalog) as ActionName[]) {
    timeouts.set(action, positive(`timeouts.${action}`, options.timeouts?.[action], actionCatalog[action].defaultTimeoutMs))
  }
  if (options.notificationAuth === undefined) {
    throw new TypeError('Expected `notificationAuth`: authentication options, or `false` to turn checking off.')
  }
  const auth = options.notificationAuth === false ? undefined : createNotificationAuthenticator(options.notificationAuth, { logger })
  if (auth === undefined) logger.warn({}, 'notification authentication is OFF: anyone who can reach the callback URL can forge call events')

  const calls = new Map<string, LiveCall>()
  // Ids of ended calls dropped from `calls` (newest last, bounded): Graph never reuses a call id, so
  // a later command or roster notification for one must not track the call again.
  const forgotten = new Set<string>()
  const pending = new Map<string, Waiter>()
  const listeners = new Set<OrchestratorListener>()
  if (options.tracer !== undefined) listeners.add(traceOperations(options.tracer))
  // Requests under way listen to an abort signal so that close() stops them. A controller per
  // request costs about 6 µs (issue 8); one signal for all makes each listener added or removed walk
  // all the others (EventTarget), 28 µs with 5,000 under way. So requests share one per batch.
  const batches = new Set<SignalBatch>()
  let batch: SignalBatch | undefined
  const takeSignal = (): SignalBatch => {
    if (batch === undefined || batch.issued === REQUESTS_PER_SIGNAL) {
      batch = { controller: new AbortController(), issued: 0, open: 0 }
      setMaxListeners(0, batch.controller.signal)
      batches.add(batch)
    }
    batch.issued++
    batch.open++
    return batch
  }
  const releaseSignal = (b: SignalBatch): void => {
    b.open--
    if (b.open === 0 && b.issued === REQUESTS_PER_SIGNAL) batches.delete(b)
  }
  let closed = false
  let unmatched = 0
  let applied = 0
  const keepAlive = keepAliveScheduler(options.keepAlive, {
    clock,
    client,
    logger,
    onCallEnded: (key) => {
      const call = calls.get(key)
      if (call !== undefined) process(call, { type: 'call.terminated' })
    },
  })

  const publish = (event: OrchestratorEvent): void => {
    for (const l of listeners) {
      try {
        l(event)
      } catch (err) {
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'subscriber threw')
      }
    }
  }

  // --- call actors

  const newActor = (call: Pick<LiveCall, 'key' | 'callId' | 'outbox'>, snapshot?: unknown, registration?: CallRegistration) => {
    const input = {
      callId: call.callId,
      holdPolicy: registration?.holdPolicy ?? options.holdPolicy ?? 'reject',
      ...(registration?.kind === undefined ? {} : { kind: registration.kind }),
    }
    const actor =
      snapshot === undefined
        ? createActor(callMachine, { input, id: call.key, ...(options.inspect === undefined ? {} : { inspect: options.inspect }) })
        : createActor(callMachine, {
            input,
            id: call.key,
            // The store gives back what this process saved; XState checks its shape when it restores.
            snapshot: snapshot as never,
            ...(options.inspect === undefined ? {} : { inspect: options.inspect }),
          })
    actor.on('*', (e) => {
      call.outbox.push(e)
    })
    actor.start()
    return actor
  }

  const createCall = (key: string, callId: string, registration?: CallRegistration): E.Either<CallOpsError, LiveCall> => {
    if (calls.size >= maxCalls) return E.left(capacityExceeded(`already tracking ${maxCalls} calls (maxCalls)`))
    const outbox: CallEmitted[] = []
    const actor = newActor({ key, callId, outbox }, undefined, registration)
    const call: LiveCall = { key, callId, actor, version: 0, outbox, chain: Promise.resolve(), ended: false }
    // Another instance may have stored this call already: load it before the first event.
    if (durable) call.stale = true
    calls.set(key, call)
    keepAlive.track(key, callId)
    return E.right(call)
  }

  const arm = (call: LiveCall): void => {
    // With a durable store, deadlines are shared and swept by every instance (see `sweeper`).
    if (durable) return
    const next = call.ended ? undefined : nextDeadline(call.actor.getSnapshot().context)
    if (next === call.timerAt) return
    if (call.timer !== undefined) clock.clearTimeout(call.timer)
    delete call.timer
    delete call.timerAt
    if (next === undefined || closed) return
    call.timerAt = next
    call.timer = clock.setTimeout(() => {
      delete call.timer
      delete call.timerAt
      process(call, { type: 'deadline.reached', now: clock.now() })
    }, Math.max(0, next - clock.now()))
  }

  const onEnded = (call: LiveCall): void => {
    call.ended = true
    keepAlive.untrack(call.key)
    clock.setTimeout(() => {
      if (calls.get(call.key) !== call) return
      calls.delete(call.key)
      forgotten.add(call.key)
      if (forgotten.size > MAX_FORGOTTEN_CALLS) forgotten.delete(forgotten.values().next().value ?? '')
      call.actor.stop()
      // A durable store keeps the ended call for its own retention: other instances may still read it.
      if (!durable) void store.delete(call.key)
    }, retention)
  }

  /** Applies one event to a call; effects run after it (and, with a durable store, after it is saved). */
  const process = (call: LiveCall, event: CallEvent): void => {
    // An HTTP answer can come back after its call ended and left memory: its actor is stopped.
    if (closed || calls.get(call.key) !== call) return
    if (!durable) {
      apply(call, event)
      // Most events emit nothing: no new array for those.
      flush(call, call.outbox.length === 0 ? NO_EFFECTS : call.outbox.splice(0))
      return
    }
    call.chain = call.chain.then(() => applyDurably(call, event)).catch((err: unknown) => {
      // The actor may hold a transition the store never got: reload before the next event.
      call.stale = true
      logger.error({ callId: call.callId, event: event.type, err: errorText(err) }, 'could not store call')
      // The request was not recorded, so it was not sent: say so now rather than at its deadline.
      if (event.type === 'operation.requested') {
        settle(call, event.clientContext, E.left(cancelled(`could not record the request in the store: ${errorText(err)}`)))
      }
    })
  }

  const apply = (call: LiveCall, event: CallEvent): void => {
    call.actor.send(event)
    applied_(call, event)
  }

  /** What follows a transition once it counts (with a durable store: once it is saved). */
  const applied_ = (call: LiveCall, event: CallEvent): void => {
    const snapshot = call.actor.getSnapshot()
    if (!call.ended && snapshot.value === 'ended') onEnded(call)
    if (listeners.size > 0) {
      const clientContext = 'clientContext' in event ? event.clientContext : undefined
      publish({
        type: 'transition',
        callId: call.callId,
        event: event.type,
        state: stateName(snapshot.value),
        ...(clientContext === undefined ? {} : { clientContext }),
        ...(event.type === 'operation.requested'
          ? { action: event.action, ...(event.participantId === undefined ? {} : { participantId: event.participantId }) }
          : {}),
      })
    }
  }

  /** Replaces the cached actor with the stored call (or a fresh one when nothing is stored). */
  const adopt = (call: LiveCall, stored: StoredCall | undefined): void => {
    call.actor.stop()
    call.actor = newActor(call, stored?.snapshot)
    call.version = stored?.version ?? 0
    call.sending = stored?.sending ?? {}
  }

  /** Loads the stored call if the cache may be behind it; `false` when the store has no such call. */
  const sync = async (call: LiveCall): Promise<boolean> => {
    if (call.stale === undefined) return true
    const stored = await retrying(() => store.load(call.key))
    delete call.stale
    if (stored !== undefined && stored.version !== call.version) adopt(call, stored)
    return stored !== undefined
  }

  /**
   * Applies an event against the stored call with compare-and-set: the transition, the requests it
   * records and the outcomes it decides are saved in one step, and only then are its effects run.
   * On a conflict the stored call (newer, from another instance) is adopted and the event applied again.
   */
  const applyDurably = async (call: LiveCall, event: CallEvent): Promise<void> => {
    call.lastUsed = clock.now()
    await sync(call)
    // The store was slow enough that the caller has already been answered (Timeout): do not record
    // (and so never send) a request nobody waits for.
    if (event.type === 'operation.requested' && !pending.has(event.clientContext)) return
    for (let attempt = 0; attempt < 10; attempt++) {
      const before = nextDeadline(call.actor.getSnapshot().context)
      call.outbox.length = 0
      call.actor.send(event)
      const effects = call.outbox.splice(0)
      const snapshot = call.actor.getSnapshot()
      const ended = snapshot.value === 'ended'
      const next = ended ? undefined : nextDeadline(snapshot.context)
      const sending = sendingAfter(call.sending ?? {}, event, effects, snapshot.context, instanceId)
      const settled: StoredSettlement[] = []
      for (const e of effects) if (e.type === 'operation.settled') settled.push({ callId: call.callId, clientContext: e.clientContext, result: e.result })
      const persisted = call.actor.getPersistedSnapshot()
      const writeId = randomUUID()
      const saved = await retrying(() =>
        store.save(call.key, persisted, call.version, {
          open: !ended,
          sending,
          settled,
          writeId,
          // The shared deadline is already at or before `before`; only an earlier one must be scheduled.
          ...(next !== undefined && (before === undefined || next < before) ? { deadline: next } : {}),
        }),
      )
      if (!('_tag' in saved)) {
        // A later version: this write was stored by an earlier try whose answer was lost, and others saved since.
        const superseded = saved.version !== call.version + 1
        call.version = saved.version
        call.sending = sending
        applied_(call, event)
        flush(call, effects)
        if (superseded) adopt(call, saved)
        if (next !== undefined) sweeper?.schedule(next)
        return
      }
      // Another instance stored a newer version: start again from it.
      adopt(call, saved.current ?? (await retrying(() => store.load(call.key))))
    }
    call.stale = true
    logger.error({ callId: call.callId, event: event.type }, 'gave up applying an event after repeated version conflicts')
    if (event.type === 'operation.requested') {
      settle(call, event.clientContext, E.left(cancelled('gave up recording the request after repeated version conflicts')))
    }
  }

  /** Answers the caller waiting for `clientContext` (if it waits on this instance) and reports the outcome. */
  const settle = (call: LiveCall, clientContext: string, result: ActionResult): void => {
    const waiter = pending.get(clientContext)
    if (waiter !== undefined) {
      pending.delete(clientContext)
      waiter.resolve(result)
    }
    // Every operation ends here: its fields are built only for a logger level that is on or a subscriber (issue 8).
    const logged = loggerWrites(E.isLeft(result) ? 'info' : 'debug')
    if (!logged && listeners.size === 0) return
    const about = {
      callId: call.callId,
      clientContext,
      ...(waiter === undefined ? {} : { action: waiter.action }),
      ...(waiter?.participantId === undefined ? {} : { participantId: waiter.participantId }),
      ...(waiter?.clientRequestId === undefined ? {} : { clientRequestId: waiter.clientRequestId }),
    }
    if (logged) {
      if (E.isLeft(result)) logger.info({ ...about, error: result.left._tag, message: result.left.message }, 'operation failed')
      else logger.debug({ ...about, status: result.right.status }, 'operation ended')
    }
    if (listeners.size > 0) publish({ type: 'settled', ...about, result })
  }

  const flush = (call: LiveCall, effects: readonly CallEmitted[]): void => {
    for (const e of effects) {
      switch (e.type) {
        case 'effect.http':
          sendRequest(call, e)
          break
        case 'operation.settled':
          settle(call, e.clientContext, toEither(e.result))
          break
        case 'operation.lateOutcome':
          logger.info({ callId: call.callId, clientContext: e.clientContext, status: e.operation.status }, 'late outcome after timeout')
          publish({ type: 'lateOutcome', callId: call.callId, clientContext: e.clientContext, operation: e.operation })
          break
        case 'notification.unmatched':
          unmatched++
          logger.debug({ callId: call.callId, operationId: e.report.id, clientContext: e.report.clientContext }, 'notification for an unknown operation')
          break
      }
    }
    arm(call)
  }

  const sendRequest = (call: LiveCall, effect: HttpEffect): void => {
    const spec = actionCatalog[effect.action]
    const body = spec.body.is(effect.body) ? effect.body : undefined
    // The same on every instance, so a request resent after recovery carries the first attempt's id.
    const clientRequestId = requestIdFor(call.key, effect.clientContext)
    const waiter = pending.get(effect.clientContext)
    if (waiter !== undefined) waiter.clientRequestId = clientRequestId
    const aborter = takeSignal()
    if (listeners.size > 0) {
      publish({
        type: 'request',
        callId: call.callId,
        clientContext: effect.clientContext,
        action: effect.action,
        ...(effect.participantId === undefined ? {} : { participantId: effect.participantId }),
        clientRequestId,
      })
    }
    void client
      .send(effect.action, {
        callId: call.callId,
        participantId: effect.participantId,
        body,
        clientContext: effect.clientContext,
        clientRequestId,
        signal: aborter.controller.signal,
      })()
      .then((r) => {
        releaseSignal(aborter)
        if (listeners.size > 0) {
          publish({
            type: 'answer',
            callId: call.callId,
            clientContext: effect.clientContext,
            action: effect.action,
            ...(effect.participantId === undefined ? {} : { participantId: effect.participantId }),
            clientRequestId,
            ...(E.isRight(r) ? { httpStatus: r.right.httpStatus, attempts: r.right.attempts } : { error: r.left }),
          })
        }
        process(
          call,
          E.isRight(r)
            ? { type: 'http.accepted', clientContext: effect.clientContext, report: r.right.operation }
            : { type: 'http.rejected', clientContext: effect.clientContext, error: r.left },
        )
      })
  }

  // --- commands

  const run = <A extends ActionName>(action: A, req: ActionRequestOf<A>): Promise<ActionResult> => {
    if (closed) return Promise.resolve(E.left(cancelled('the orchestrator is closed')))
    const spec = actionCatalog[action]
    const r = req as RequestBase & { participantId?: unknown; holdPolicy?: HoldPolicy }
    if (typeof req !== 'object' || req === null) return Promise.resolve(E.left(invalidRequest('expected a request object')))
    const callId = validatePathId('callId', r.callId)
    if (E.isLeft(callId)) return Promise.resolve(callId)
    let participantId: string | undefined
    if (spec.scope === 'participant') {
      const p = validatePathId('participantId', r.participantId)
      if (E.isLeft(p)) return Promise.resolve(p)
      participantId = p.right
    }
    const clientContext = r.clientContext === undefined ? E.right(randomUUID()) : validateClientContext(r.clientContext)
    if (E.isLeft(clientContext)) return Promise.resolve(clientContext)
    const key = clientContext.right
    if (pending.has(key)) return Promise.resolve(E.left(invalidRequest(`clientContext ${key} is already in use`, 'clientContext')))
    const { callId: _c, participantId: _p, clientContext: _k, signal, holdPolicy, ...fields } = r
    const hasFields = Object.keys(fields).length > 0
    const body = decodeShaped(spec.body, fields)
    if (E.isLeft(body)) return Promise.resolve(E.left(invalidRequest(body.left.message, body.left.path)))
    if (pending.size >= maxPending) {
      return Promise.resolve(E.left(capacityExceeded(`already waiting for ${maxPending} operations (maxPendingOperations)`)))
    }
    const callKey = canonicalId(callId.right)
    const found = calls.get(callKey)
    if (found === undefined && forgotten.has(callKey)) return Promise.resolve(E.left(callEnded(callId.right)))
    const created = found === undefined ? createCall(callKey, callId.right) : E.right(found)
    if (E.isLeft(created)) return Promise.resolve(created)
    const live = created.right
    const deadline = clock.now() + (timeouts.get(action) ?? spec.defaultTimeoutMs)
    return new Promise<ActionResult>((resolve) => {
      const abort =
        signal === undefined
          ? undefined
          : () => process(live, { type: 'operation.cancel', clientContext: key, reason: 'aborted by the caller' })
      const backstop = durable ? clock.setTimeout(() => void answerLate(live, key, deadline), deadline - clock.now() + backstopGraceMs) : undefined
      // Built field by field, not with conditional spreads: this runs for every command (issue 8).
      const waiter: Mutable<Waiter> = {
        resolve:
          abort === undefined && backstop === undefined
            ? resolve
            : (result) => {
                if (abort !== undefined) signal?.removeEventListener('abort', abort)
                if (backstop !== undefined) clock.clearTimeout(backstop)
                resolve(result)
              },
        call: live,
        action,
      }
      if (abort !== undefined) waiter.abort = abort
      if (participantId !== undefined) waiter.participantId = participantId
      pending.set(key, waiter)
      if (signal !== undefined && abort !== undefined) {
        if (signal.aborted) queueMicrotask(abort)
        else signal.addEventListener('abort', abort, { once: true })
      }
      const requested: Mutable<OperationRequested> = { type: 'operation.requested', clientContext: key, action, deadline }
      if (participantId !== undefined) requested.participantId = participantId
      if (hasFields) requested.body = body.right
      if (action === 'startHoldMusic') requested.swapClientContext = randomUUID()
      if (holdPolicy !== undefined) requested.holdPolicy = holdPolicy
      process(live, requested)
    })
  }

  // --- notifications

  const dispatch = (events: readonly RoutedEvent[]): void => {
    for (const { callId, event } of events) {
      let call = calls.get(callId)
      if (call === undefined) {
        if (forgotten.has(callId)) {
          unmatched++
          continue
        }
        // With a durable store any instance may have started the call: look it up there.
        if (durable && event.type !== 'roster.updated' && event.type !== 'call.updated') {
          applied++
          void store.load(callId).then(
            (stored) => {
              if (stored === undefined) {
                unmatched++
                logger.debug({ callId, event: event.type }, 'notification for an unknown call')
                return
              }
              process(calls.get(callId) ?? cache(callId, stored), event)
            },
            (err: unknown) => logger.error({ callId, event: event.type, err: errorText(err) }, 'could not load call'),
          )
          continue
        }
        // Roster and call-state news of a call the bot has not commanded yet is kept, so getCall
        // shows it; anything else about an unknown call may belong to another process.
        if (event.type !== 'roster.updated' && event.type !== 'call.updated') {
          unmatched++
          logger.debug({ callId, event: event.type }, 'notification for an unknown call')
          continue
        }
        const created = createCall(callId, callId)
        if (E.isLeft(created)) {
          logger.warn({ callId }, created.left.message)
          continue
        }
        call = created.right
      }
      applied++
      process(call, event)
    }
  }

  const handler = createNotificationHandler({
    auth,
    dispatch,
    logger,
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(options.maxNotificationsPerBatch === undefined ? {} : { maxNotificationsPerBatch: options.maxNotificationsPerBatch }),
  })

  // --- the rest of the API

  const registerCall = (reg: CallRegistration): E.Either<CallOpsError, CallView> => {
    const id = validatePathId('callId', reg.callId)
    if (E.isLeft(id)) return id
    const key = canonicalId(id.right)
    const existing = calls.get(key)
    if (existing === undefined) {
      if (forgotten.has(key)) return E.left(callEnded(id.right))
      const created = createCall(key, id.right, reg)
      return E.isLeft(created) ? created : E.right(toCallView(created.right.callId, created.right.actor.getSnapshot()))
    }
    if (reg.kind !== undefined) process(existing, { type: 'call.updated', kind: reg.kind })
    return E.right(toCallView(existing.callId, existing.actor.getSnapshot()))
  }

  /** Tracks a call loaded from the store (bypassing `maxCalls`: it is already someone's work). */
  const cache = (key: string, stored: StoredCall): LiveCall => {
    const outbox: CallEmitted[] = []
    const actor = newActor({ key, callId: key, outbox }, stored.snapshot)
    const callId = actor.getSnapshot().context.callId
    const live: LiveCall = { key, callId, actor, version: stored.version, outbox, chain: Promise.resolve(), ended: false, sending: stored.sending }
    calls.set(key, live)
    keepAlive.track(key, callId)
    return live
  }

  /**
   * Recovery of one call (durable stores): re-arms its deadline and resends each request recorded
   * but not answered whose sender is no longer alive. Resolves `true` when some sender is alive,
   * so the caller may look again once a dead one's heartbeat has run out.
   */
  const recover = async (call: LiveCall): Promise<boolean> => {
    call.stale = true
    if (!(await sync(call)) || isEnded(call)) return false
    const next = nextDeadline(call.actor.getSnapshot().context)
    if (next !== undefined) {
      await store.scheduleDeadline(call.key, next)
      sweeper?.schedule(next)
    }
    let senderAlive = false
    for (const key of Object.keys(call.sending ?? {})) {
      for (;;) {
        const snapshot = call.actor.getSnapshot()
        const f = snapshot.context.inFlight[key]
        const by = call.sending?.[key]
        if (f === undefined || f.timedOut !== undefined || by === undefined || by === instanceId) break
        if (await store.isAlive(by)) {
          senderAlive = true
          break
        }
        // Take the request over with compare-and-set, so of several recovering instances one resends it.
        const sending = { ...call.sending, [key]: instanceId }
        const saved = await store.save(call.key, call.actor.getPersistedSnapshot(), call.version, { open: true, sending })
        if ('_tag' in saved) {
          adopt(call, saved.current ?? (await store.load(call.key)))
          continue
        }
        const superseded = saved.version !== call.version + 1
        call.version = saved.version
        call.sending = sending
        if (superseded) adopt(call, saved)
        const early = snapshot.children[key]?.getSnapshot().context.early
        if (early !== undefined) {
          // Graph already told the outcome; only the HTTP answer was lost with the sender.
          process(call, { type: 'http.rejected', clientContext: key, error: cancelled('the HTTP answer was lost with the instance that sent the request') })
        } else {
          logger.warn({ callId: call.callId, clientContext: key, deadInstance: by }, 'resending a request its sender never saw answered')
          sendRequest(call, {
            type: 'effect.http',
            clientContext: key,
            action: f.action,
            ...(f.participantId === undefined ? {} : { participantId: f.participantId }),
            ...(f.body === undefined ? {} : { body: f.body }),
          })
        }
        break
      }
    }
    return senderAlive
  }

  const recoverOnChain = (call: LiveCall): Promise<boolean> => {
    const done = call.chain.then(() => recover(call))
    call.chain = done.then(
      () => undefined,
      (err: unknown) => logger.error({ callId: call.callId, err: errorText(err) }, 'could not recover call'),
    )
    return done.catch(() => false)
  }

  const restore = async (): Promise<number> => {
    if (durable) {
      let found = 0
      const again: LiveCall[] = []
      const keys = await store.listOpen()
      // A few dozen calls at a time: quick with many open calls, without flooding the store.
      for (let i = 0; i < keys.length; i += 32) {
        await Promise.all(
          keys.slice(i, i + 32).map(async (key) => {
            let call = calls.get(key)
            if (call === undefined) {
              const stored = await store.load(key)
              if (stored === undefined) return
              call = calls.get(key) ?? cache(key, stored)
            }
            found++
            if (await recoverOnChain(call)) again.push(call)
          }),
        )
      }
      // A sender that looked alive may have just died (its heartbeat still running out): look once more after it would have.
      if (again.length > 0) {
        clock.setTimeout(() => {
          for (const call of again) if (!closed) void recoverOnChain(call)
        }, instanceTtlMs)
      }
      return found
    }
    let n = 0
    for (const key of await store.listOpen()) {
      if (calls.has(key)) continue
      const stored = await store.load(key)
      if (stored === undefined) continue
      arm(cache(key, stored))
      n++
    }
    return n
  }

  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    keepAlive.close()
    sweeper?.close()
    if (evictTimer !== undefined) clock.clearTimeout(evictTimer)
    for (const [key, w] of pending) {
      pending.delete(key)
      const result = E.left(cancelled('the orchestrator was closed'))
      w.resolve(result)
      const { participantId } = w
      publish({ type: 'settled', callId: w.call.callId, clientContext: key, action: w.action, ...(participantId === undefined ? {} : { participantId }), result })
    }
    for (const b of batches) b.controller.abort()
    for (const call of calls.values()) {
      if (call.timer !== undefined) clock.clearTimeout(call.timer)
      await call.chain
      call.actor.stop()
    }
    calls.clear()
    await Promise.all([heartbeat?.close(), unsubscribe.then((u) => u?.())])
    if (ownsClient) await client.close()
  }

  // --- many instances (durable stores)

  const backstopGraceMs = sweepIntervalMs + 2_000

  /**
   * The caller's own deadline passed with no outcome here: normally the sweeper has timed the
   * operation out and its outcome arrived. Look for a stored outcome (an announcement may have been
   * lost), else answer Timeout, so a caller never waits past its deadline even when the store is down.
   */
  const answerLate = async (call: LiveCall, clientContext: string, deadline: number): Promise<void> => {
    if (!pending.has(clientContext)) return
    const stored = await Promise.race([
      store.settlement(call.key, clientContext).catch(() => undefined),
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 1_000).unref()),
    ])
    settle(call, clientContext, stored === undefined ? E.left(timeout(clientContext, deadline)) : toEither(stored.result))
  }

  /** An outcome saved by any instance: answers the caller if it waits here. */
  const onSettled = (s: StoredSettlement): void => {
    const w = pending.get(s.clientContext)
    if (w !== undefined && w.call.key === canonicalId(s.callId)) settle(w.call, s.clientContext, toEither(s.result))
  }

  /** Announcements may have been missed: look up the stored outcome of every request waited for here. */
  const resync = (): void => {
    for (const [clientContext, w] of pending) {
      void store.settlement(w.call.key, clientContext).then(
        (s) => {
          if (s !== undefined) onSettled(s)
        },
        () => undefined,
      )
    }
  }

  /** Processes a due deadline claimed from the shared set, then releases the claim. */
  const onDeadlineDue = async (key: string, leaseUntil: number): Promise<void> => {
    let call = calls.get(key)
    if (call === undefined) {
      const stored = await store.load(key)
      if (stored === undefined) return store.releaseDeadline(key, leaseUntil, undefined)
      call = cache(key, stored)
    }
    const live = call
    const done = live.chain.then(async () => {
      live.stale = true
      if (!(await sync(live))) return undefined
      const now = clock.now()
      const due = nextDeadline(live.actor.getSnapshot().context)
      if (!isEnded(live) && due !== undefined && due <= now) await applyDurably(live, { type: 'deadline.reached', now })
      return isEnded(live) ? undefined : nextDeadline(live.actor.getSnapshot().context)
    })
    live.chain = done.then(
      () => undefined,
      () => undefined,
    )
    await store.releaseDeadline(key, leaseUntil, await done)
  }

  /**
   * The live actors of a durable store are a cache. A call that ended on another instance (or
   * expired) never tells this one, so idle calls that are no longer open in the store are dropped.
   */
  const evictClosed = async (): Promise<void> => {
    const open = new Set(await store.listOpen())
    const idleSince = clock.now() - EVICT_EVERY_MS
    for (const call of [...calls.values()]) {
      if (open.has(call.key) || call.ended || (call.lastUsed ?? 0) > idleSince) continue
      calls.delete(call.key)
      keepAlive.untrack(call.key)
      call.actor.stop()
    }
  }
  let evictTimer: unknown
  const scheduleEviction = (): void => {
    if (closed) return
    evictTimer = clock.setTimeout(() => {
      evictClosed().then(scheduleEviction, (err: unknown) => {
        logger.warn({ err: errorText(err) }, 'could not check cached calls against the store')
        scheduleEviction()
      })
    }, EVICT_EVERY_MS)
  }
  if (durable) scheduleEviction()

  const sweeper = durable
    ? createDeadlineSweeper({ store, clock, logger, intervalMs: sweepIntervalMs, leaseMs: DEADLINE_LEASE_MS, onDue: onDeadlineDue })
    : undefined
  const heartbeat = durable ? createInstanceHeartbeat(store, instanceId, instanceTtlMs, clock, logger) : undefined
  const unsubscribe: Promise<(() => Promise<void>) | undefined> = durable
    ? store.subscribe({ settled: onSettled, resync }).then(
        (u) => {
          // Outcomes saved before the subscription was in place are read back.
          resync()
          return u
        },
        (err: unknown) => {
          logger.error({ err: errorText(err) }, 'could not subscribe to outcomes: callers wait until their deadline for outcomes decided elsewhere')
          return undefined
        },
      )
    : Promise.resolve(undefined)
  if (durable) logger.info({ instanceId }, 'orchestrator instance started on a durable store')

  const actions = {} as Record<ActionName, (req: never) => Promise<ActionResult>>
  const te = {} as Record<ActionName, (req: never) => TE.TaskEither<CallOpsError, Operation>>
  for (const action of Object.keys(actionCatalog) as ActionName[]) {
    actions[action] = (req) => run(action, req)
    te[action] = (req) => () => run(action, req)
  }

  return {
    ...(actions as unknown as OrchestratorActions),
    te: te as unknown as OrchestratorTaskEithers,
    run,
    handleNotification: handler.handleNotification,
    webhook: handler.webhook,
    registerCall,
    getCall: (callId) => {
      const call = calls.get(canonicalId(callId))
      return call === undefined ? undefined : toCallView(call.callId, call.actor.getSnapshot())
    },
    subscribe: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    restore,
    stats: () => ({ calls: calls.size, pendingOperations: pending.size, unmatchedNotifications: unmatched, notificationsApplied: applied }),
    close,
  }
}
