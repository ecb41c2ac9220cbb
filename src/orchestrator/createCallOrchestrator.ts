import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { CallEvent } from '../../machines/callTypes.js'
import { actionNames, type ActionName } from '../domain/ActionName.js'
import { callEnded, cancelled, capacityExceeded, fenced, invalidRequest, type CallOpsError } from '../domain/CallOpsError.js'
import { canonicalId } from '../domain/canonicalId.js'
import { steadyClock } from '../domain/steadyClock.js'
import type { Operation } from '../domain/Operation.js'
import { actionCatalog } from '../graph/actionCatalog.js'
import { createGraphClient } from '../graph/createGraphClient.js'
import { createNotificationAuthenticator } from '../notifications/auth/index.js'
import { createNotificationHandler } from '../notifications/createNotificationHandler.js'
import { traceOperations } from '../observability/traceOperations.js'
import { startCacheEviction } from '../runtime/startCacheEviction.js'
import { createCallRegistry } from '../runtime/createCallRegistry.js'
import { createCallTimers } from '../runtime/createCallTimers.js'
import { createCallActionWaiters } from '../runtime/createCallActionWaiters.js'
import { createCommandRunner } from '../runtime/createCommandRunner.js'
import { createDurableApplier } from '../runtime/createDurableApplier.js'
import { createDurableDeadlines, type DurableDeadlines } from '../runtime/createDurableDeadlines.js'
import { createEffectRunner } from '../runtime/createEffectRunner.js'
import { createEventPublisher } from '../runtime/createEventPublisher.js'
import { createInstanceHeartbeat } from '../runtime/createInstanceHeartbeat.js'
import { createMemoryApplier } from '../runtime/createMemoryApplier.js'
import { createNotificationDispatch } from '../runtime/createNotificationDispatch.js'
import { createRecovery } from '../runtime/createRecovery.js'
import { createCallWatchers } from '../runtime/createCallWatchers.js'
import { createSettlementRelay } from '../runtime/createSettlementRelay.js'
import { createSignalBatches } from '../runtime/createSignalBatches.js'
import { createWaiters } from '../runtime/createWaiters.js'
import { withCallActions } from '../runtime/withCallActions.js'
import { withCallNews } from '../runtime/withCallNews.js'
import { keepAliveScheduler } from '../runtime/keepAliveScheduler.js'
import type { LiveCall } from '../runtime/LiveCall.js'
import { createRuntimeCounters } from '../runtime/RuntimeCounters.js'
import { errorText } from '../runtime/errorText.js'
import type { ActionRequestOf, ActionResult, CallOrchestrator, CallOrchestratorOptions, OrchestratorActions, OrchestratorTaskEithers } from './CallOrchestrator.js'
import { toCallView } from './CallView.js'
import { createCallActionMethods } from './createCallActionMethods.js'
import { decodeActionRequest } from './decodeActionRequest.js'
import { decodeCallRegistration } from './decodeCallRegistration.js'
import { orchestratorOptions } from './decodeOrchestratorOptions.js'

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

/**
 * Creates the orchestrator: it validates each request, runs it through the call's machine (which
 * enforces the hold rule before anything is sent), sends the Graph request, follows the operation
 * through notifications, and resolves with the outcome.
 *
 * The work is done by the parts in `src/runtime/` (docs/architecture.md draws them); this function
 * checks the options, wires the parts and assembles the API.
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
  // --- options (one codec: a bad one throws a TypeError naming it)
  const o = orchestratorOptions(options)
  const { logger, store } = o
  // Every part reads the steady clock: timeouts follow elapsed time, not a wall clock that steps.
  const clock = steadyClock(o.clock)
  const durable = store.durable
  const ownsClient = !('client' in o.graph)
  const client = 'client' in o.graph ? o.graph.client : createGraphClient(o.graph)
  const auth = o.notificationAuth === false ? undefined : createNotificationAuthenticator(o.notificationAuth, { logger })
  if (auth === undefined) logger.warn({}, 'notification authentication is OFF: anyone who can reach the callback URL can forge call events')
  let closed = false
  const isOpen = (): boolean => !closed

  // --- the parts. HTTP answers, due timers and aborts come back to `apply`, bound once the applier exists.
  let apply: (call: LiveCall, event: CallEvent) => void = () => undefined
  const events = createEventPublisher(logger)
  if (o.tracer !== undefined) events.subscribe(traceOperations(o.tracer))
  const counters = createRuntimeCounters()
  const waiters = createWaiters(logger, events)
  const callActionWaiters = createCallActionWaiters(events)
  const signals = createSignalBatches()
  // Who records a request as being sent: a fresh id per orchestrator (a restarted process is a new
  // instance), and a fresh one after each lapse of its lease (finding 7 of issue 14).
  const heartbeat = durable
    ? createInstanceHeartbeat(store, o.instanceTtlMs, clock, logger, {
        // Retries waiting to go out would leave after the lease: stop them.
        fenced: () => signals.abortAll(),
        // The old id is given up: its requests may be recovered at once, here or elsewhere.
        renewed: (previous) => {
          void store
            .forgetInstance(previous)
            .then(() => (closed ? 0 : restore()))
            .catch((err: unknown) => logger.warn({ err: errorText(err) }, 'could not recover the requests recorded before the lease lapsed'))
        },
      })
    : undefined
  const instanceId = (): string => heartbeat?.id() ?? ''
  const keepAlive = keepAliveScheduler(o.keepAlive, {
    clock,
    client,
    logger,
    onCallEnded: (key) => {
      const call = registry.get(key)
      if (call !== undefined) apply(call, { type: 'call.terminated' })
    },
  })
  const registry = createCallRegistry({
    clock,
    logger,
    durable,
    maxCalls: o.maxCalls,
    retentionMs: o.endedCallRetentionMs,
    inspect: o.inspect,
    machine: o.machine,
    holdPolicy: o.holdPolicy,
    keepAlive,
    // A durable store keeps the ended call for its own retention: other instances may still read it.
    onForgotten: (call) => {
      if (!durable) void store.delete(call.key)
    },
    onFailed: (call, error) => {
      logger.error({ callId: call.callId, ...(error._tag === 'CallFailed' ? { cause: error.cause } : {}), err: error.message }, `call failed alone: its callers are answered ${error._tag}`)
      memory?.timers.disarm(call)
      waiters.settleCall(call, error)
      callActionWaiters.settleAll(error, call)
    },
  })
  const answer = (call: LiveCall, event: CallEvent): void => apply(call, event)
  const effects = withCallActions(
    withCallNews(
      createEffectRunner({
        client,
        logger,
        events,
        waiters,
        signals,
        counters,
        now: () => clock.now(),
        ...(heartbeat === undefined ? {} : { maySend: (call: LiveCall, key: string) => heartbeat.maySend(call.stored?.sending[key]) }),
        answer,
      }),
      events,
    ),
    { client, logger, events, waiters: callActionWaiters, answer, ...(heartbeat === undefined ? {} : { maySend: () => !heartbeat.fenced() }) },
  )
  const memory = durable ? undefined : createMemoryApplier({ registry, events, effects, open: isOpen }, (a) => createCallTimers(clock, a))
  // The applier tells the sweeper of new deadlines; the sweeper applies due ones through the applier.
  let sweeper: DurableDeadlines | undefined
  const durableApplier = durable
    ? createDurableApplier({ store, clock, logger, registry, events, waiters, effects, counters, instanceId, open: isOpen, deadlineScheduled: (at) => sweeper?.schedule(at) })
    : undefined
  sweeper = durableApplier === undefined ? undefined : createDurableDeadlines({ store, clock, logger, registry, applier: durableApplier, sweepIntervalMs: o.sweepIntervalMs, instanceId })
  apply = memory?.apply ?? durableApplier?.apply ?? apply
  const relay = durable ? createSettlementRelay(store, waiters, logger, callActionWaiters) : undefined
  const watchers = createCallWatchers(store, events, logger)
  const stopEviction = durable ? startCacheEviction(store, registry, clock, logger) : undefined
  const restore = createRecovery({
    store,
    clock,
    logger,
    registry,
    instanceId,
    instanceTtlMs: o.instanceTtlMs,
    open: isOpen,
    ...(durableApplier === undefined || sweeper === undefined ? {} : { durable: { applier: durableApplier, effects, sweeper } }),
    ...(memory === undefined ? {} : { timers: memory.timers }),
  })
  const runOnCall = createCommandRunner({
    clock,
    waiters,
    apply: (call, event) => apply(call, event),
    ...(relay === undefined ? {} : { backstop: { relay, graceMs: o.sweepIntervalMs + 2_000 } }),
  })
  const dispatch = createNotificationDispatch({ store, logger, registry, counters, clock, apply: (call, event) => apply(call, event) })
  const handler = createNotificationHandler({
    auth,
    // Listeners hear of what a batch did once the webhook has answered Graph.
    dispatch: (batch) => events.afterAnswer(() => dispatch(batch)),
    logger,
    clock,
    maxBodyBytes: o.maxBodyBytes,
    bodyTimeoutMs: o.bodyTimeoutMs,
    maxNotificationsPerBatch: o.maxNotificationsPerBatch,
  })
  if (durable) logger.info({ instanceId: instanceId() }, 'orchestrator instance started on a durable store')

  // --- the API
  const run = <A extends ActionName>(action: A, req: ActionRequestOf<A>): Promise<ActionResult> => {
    if (closed) return Promise.resolve(E.left(cancelled('the orchestrator is closed')))
    if (heartbeat?.fenced() === true) {
      counters.fenced++
      return Promise.resolve(E.left(fenced('commands are refused until its heartbeat is renewed')))
    }
    const decoded = decodeActionRequest(action, req)
    if (E.isLeft(decoded)) return Promise.resolve(decoded)
    const r = { ...decoded.right, clientContext: decoded.right.clientContext ?? randomUUID() }
    if (waiters.has(r.clientContext)) return Promise.resolve(E.left(invalidRequest(`clientContext ${r.clientContext} is already in use`, 'clientContext')))
    if (waiters.size() >= o.maxPendingOperations) {
      return Promise.resolve(E.left(capacityExceeded(`already waiting for ${o.maxPendingOperations} operations (maxPendingOperations)`)))
    }
    const key = canonicalId(r.callId)
    const gone = registry.gone(key)
    if (registry.get(key) === undefined && gone !== undefined) return Promise.resolve(E.left(gone._tag === 'CallEnded' ? callEnded(r.callId) : gone))
    const found = registry.get(key)
    const call = found === undefined ? registry.create(key, r.callId) : E.right(found)
    if (E.isLeft(call)) return Promise.resolve(call)
    const deadline = clock.now() + (o.timeouts[r.action] ?? actionCatalog[r.action].defaultTimeoutMs)
    const swapClientContext = r.action === 'startHoldMusic' ? randomUUID() : undefined
    // The caller waits here, so this instance times the operation (and the stop of a swap) itself.
    sweeper?.own(call.right, r.clientContext, deadline)
    if (swapClientContext !== undefined) sweeper?.own(call.right, swapClientContext, deadline)
    return runOnCall(call.right, { ...r, deadline, ...(swapClientContext === undefined ? {} : { swapClientContext }) })
  }

  const registerCall: CallOrchestrator['registerCall'] = (given) => {
    const decoded = decodeCallRegistration(given)
    if (E.isLeft(decoded)) return decoded
    const reg = decoded.right
    const key = canonicalId(reg.callId)
    const existing = registry.get(key)
    if (existing === undefined) {
      const gone = registry.gone(key)
      if (gone !== undefined) return E.left(gone._tag === 'CallEnded' ? callEnded(reg.callId) : gone)
      const input = { holdPolicy: reg.holdPolicy ?? o.holdPolicy, ...(reg.kind === undefined ? {} : { kind: reg.kind }) }
      const created = registry.create(key, reg.callId, input)
      return E.isLeft(created) ? created : E.right(toCallView(created.right.callId, created.right.actor.getSnapshot()))
    }
    // A notification may have started tracking the call first (with Graph it always does).
    if (reg.kind !== undefined || reg.holdPolicy !== undefined) {
      apply(existing, { type: 'call.registered', ...(reg.kind === undefined ? {} : { kind: reg.kind }), ...(reg.holdPolicy === undefined ? {} : { holdPolicy: reg.holdPolicy }) })
    }
    return E.right(toCallView(existing.callId, existing.actor.getSnapshot()))
  }

  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    keepAlive.close()
    sweeper?.close()
    stopEviction?.()
    memory?.timers.disarmAll()
    waiters.settleAll(cancelled('the orchestrator was closed'))
    callActionWaiters.settleAll(cancelled('the orchestrator was closed'))
    signals.abortAll()
    for (const call of registry.values()) await call.stored?.chain
    registry.clear()
    await Promise.all([heartbeat?.close(), relay?.close(), watchers.close()])
    if (ownsClient) await client.close()
  }

  const actions = {} as Record<ActionName, (req: never) => Promise<ActionResult>>
  const te = {} as Record<ActionName, (req: never) => TE.TaskEither<CallOpsError, Operation>>
  for (const action of actionNames) {
    actions[action] = (req) => run(action, req)
    te[action] = (req) => () => run(action, req)
  }

  const callActions = createCallActionMethods({
    clock,
    client,
    registry,
    waiters: callActionWaiters,
    apply: (call, event) => apply(call, event),
    timeouts: o.callActionTimeouts,
    maxPending: o.maxPendingOperations,
    isOpen,
    graceMs: durable ? o.sweepIntervalMs + 2_000 : 1_000,
  })

  return {
    ...(actions as unknown as OrchestratorActions),
    ...callActions,
    te: te as unknown as OrchestratorTaskEithers,
    run,
    handleNotification: handler.handleNotification,
    webhook: handler.webhook,
    registerCall,
    getCall: (callId) => {
      const call = registry.get(canonicalId(callId))
      return call === undefined ? undefined : toCallView(call.callId, call.actor.getSnapshot())
    },
    subscribe: events.subscribe,
    watchCall: watchers.watch,
    restore,
    stats: () => ({
      calls: registry.size(),
      pendingOperations: waiters.size(),
      pendingCallActions: callActionWaiters.size(),
      unmatchedNotifications: counters.unmatched,
      notificationsApplied: counters.applied,
      ...handler.stats(),
      outcomeSubscription: store.subscriptionHealth(),
      storeRollbacks: { detected: counters.rollbacksDetected, repaired: counters.rollbacksRepaired },
      sentAfterTimeout: counters.sentAfterTimeout,
      notSentAfterTimeout: counters.notSentAfterTimeout,
      fenced: { now: heartbeat?.fenced() ?? false, refused: counters.fenced },
    }),
    close,
  }
}
