import * as E from 'fp-ts/lib/Either.js'
import { decode } from '../codecs/decode.js'
import { invalidRequest } from '../domain/CallOpsError.js'
import { CreateCallInput, ParticipantSeed } from './adminBodies.js'
import { createPrng } from './createPrng.js'
import { createSimOperations } from './createSimOperations.js'
import type { Prng } from './createPrng.js'
import type { Notifier } from './createNotifier.js'
import type { StatsCounters } from './createSimulatorStats.js'
import { callResource, participantResource, rosterResource } from './graphResources.js'
import type { BodyEssentials, GraphRoute } from './graphRoutes.js'
import { newParticipant, newSimCall } from './newSimCall.js'
import type { NewCallContext } from './newSimCall.js'
import { endHold } from './operationOutcome.js'
import { holdsOf, viewOf } from './SimCall.js'
import type { HoldInterval, SimCall, SimCallView, SimParticipantView } from './SimCall.js'
import { conflict, notFound } from './SimulatorError.js'
import type { SimulatorError } from './SimulatorError.js'
import { mergeFaults, SimulatorFaults } from './SimulatorFaults.js'
import type { ResolvedFaults } from './SimulatorFaults.js'
import type { SimChangeObserver } from './SimChange.js'
import type { NotificationSpec } from './spellNotification.js'

/** What the core needs from the simulator around it. */
export interface CoreDeps {
  readonly seed: number
  readonly faults: ResolvedFaults
  readonly appId: string
  readonly now: () => number
  readonly notifier: Notifier
  readonly stats: StatsCounters
  /** The Graph base URL (`http://127.0.0.1:<port>/v1.0`), for Location headers. */
  readonly graphBase: () => string
  /** The simulator's own URL, for recording locations. */
  readonly baseUrl: () => string
  /** How many ended calls are kept for inspection before the oldest are forgotten. */
  readonly maxEndedCalls: number
  /** Told of every change of the calls (the live view's feed). */
  readonly observe?: SimChangeObserver
}

/** The answer to a Graph action, and what to do around writing it. */
export interface ActionResult {
  readonly status: number
  readonly body: Readonly<Record<string, unknown>>
  readonly location?: string
  /** Awaited before the answer is written (the notify-before-answer fault). */
  readonly before?: () => Promise<void>
  /** Run once the answer is written. */
  readonly after?: () => void
}

/** A refusal written as a Graph error body. */
export interface ActionRefusal {
  readonly status: number
  readonly code: string
  readonly message: string
}

/** The simulator's state and rules, without HTTP. */
export interface SimulatorCore {
  readonly get: (callId: string) => SimCall | undefined
  readonly faultsOf: (call: SimCall | undefined) => ResolvedFaults
  /** The simulator-wide stream of chance (call ids, requests to unknown calls). */
  readonly rand: Prng
  readonly createCall: (input: unknown) => E.Either<SimulatorError, SimCallView>
  readonly hangUp: (callId: string) => Promise<E.Either<SimulatorError, SimCallView>>
  readonly join: (callId: string, seed: unknown) => Promise<E.Either<SimulatorError, SimParticipantView>>
  readonly leave: (callId: string, participantId: string) => Promise<E.Either<SimulatorError, SimParticipantView>>
  readonly holds: (callId: string) => E.Either<SimulatorError, HoldInterval[]>
  readonly view: (callId: string) => E.Either<SimulatorError, SimCallView>
  readonly setFaults: (faults: unknown, callId?: string) => E.Either<SimulatorError, ResolvedFaults>
  readonly perform: (
    call: SimCall,
    route: GraphRoute,
    participantId: string | undefined,
    body: BodyEssentials,
  ) => E.Either<ActionRefusal, ActionResult>
  readonly close: () => void
  // --- for the call lifecycle (createCallLifecycle)
  readonly callContext: NewCallContext
  /** Makes a built call known and counts it. */
  readonly register: (call: SimCall) => void
  /** Ends a call now (holds closed, pending operations abandoned) and posts `specs` (after `delayMs`, or a drawn latency). */
  readonly endCall: (call: SimCall, specs: readonly NotificationSpec[], delayMs?: number) => Promise<void>
  /** Posts `specs` after `delayMs`, or after a latency drawn from the call's stream. */
  readonly notify: (call: SimCall, specs: readonly NotificationSpec[], delayMs?: number) => Promise<void>
  /** The roster notification of the call as it is now. */
  readonly rosterSpec: (call: SimCall) => NotificationSpec
}


/** Creates the simulator's state and rules. */
export const createSimulatorCore = (deps: CoreDeps): SimulatorCore => {
  const { notifier, stats, now } = deps
  const observe: SimChangeObserver = deps.observe ?? (() => undefined)
  const calls = new Map<string, SimCall>()
  const endedOrder: string[] = []
  const rand = createPrng(deps.seed)
  let faults = deps.faults

  const faultsOf = (call: SimCall | undefined): ResolvedFaults => (call?.faults === undefined ? faults : mergeFaults(faults, call.faults))

  const liveCall = (callId: string): E.Either<SimulatorError, SimCall> => {
    const call = calls.get(callId)
    if (call === undefined) return E.left(notFound(`call ${callId} is not known to the simulator`))
    if (call.state === 'terminated') return E.left(notFound(`call ${callId} has ended`))
    return E.right(call)
  }

  const rosterSpec = (call: SimCall): NotificationSpec => ({
    changeType: 'updated',
    callId: call.id,
    rest: ['participants'],
    leadingSlash: true,
    resourceData: rosterResource(call, deps.appId),
  })

  /** Posts `specs` after `delayMs`, or after a latency drawn now from the call's stream. */
  const notify = (call: SimCall, specs: readonly NotificationSpec[], delayMs?: number): Promise<void> => {
    const f = faultsOf(call)
    return notifier.send(call, specs, f, delayMs ?? call.rand.between(f.notificationLatencyMs))
  }

  const { perform } = createSimOperations({ ...deps, observe, notify, faultsOf, rosterSpec })

  // --- calls

  const callContext = { seed: deps.seed, now, rand, exists: (id: string) => calls.has(id) }

  const register = (call: SimCall): void => {
    calls.set(call.id, call)
    stats.calls.created += 1
    observe({ type: 'call.created', call })
  }

  const createCall: SimulatorCore['createCall'] = (raw) => {
    const decoded = decode(CreateCallInput, raw)
    if (E.isLeft(decoded)) return E.left(invalidRequest(decoded.left.message, decoded.left.path))
    const built = newSimCall(decoded.right, { state: 'established', direction: 'incoming', group: true }, callContext)
    if (E.isLeft(built)) return built
    const call = built.right
    register(call)
    void notify(call, [{ changeType: 'updated', callId: call.id, rest: [], leadingSlash: true, resourceData: callResource(call, 'established') }])
    return E.right(viewOf(call))
  }

  const forgetOldEnded = (): void => {
    while (endedOrder.length > deps.maxEndedCalls) {
      const old = endedOrder.shift()
      if (old !== undefined) calls.delete(old)
    }
  }

  const endCall: SimulatorCore['endCall'] = (call, specs, delayMs) => {
    const t = now()
    if (call.answerTimer !== undefined) clearTimeout(call.answerTimer)
    call.state = 'terminated'
    call.endedAt = t
    for (const p of call.participants.values()) endHold(call, p.id, t)
    observe({ type: 'call.ended', call })
    // Invented: operations still pending when the call ends get no completion; the terminated call is their end.
    for (const op of call.pending.values()) if (op.timer !== undefined) clearTimeout(op.timer)
    stats.operations.abandoned += call.pending.size
    call.pending.clear()
    stats.calls.ended += 1
    endedOrder.push(call.id)
    forgetOldEnded()
    return notify(call, specs, delayMs)
  }

  const hangUp: SimulatorCore['hangUp'] = async (callId) => {
    const found = liveCall(callId)
    if (E.isLeft(found)) return found
    const call = found.right
    await endCall(call, [{ changeType: 'deleted', callId, rest: [], leadingSlash: true, resourceData: callResource(call, 'terminated') }])
    return E.right(viewOf(call))
  }

  const participantView = (call: SimCall, id: string): SimParticipantView | undefined => viewOf(call).participants.find((p) => p.id === id)

  const join: SimulatorCore['join'] = async (callId, raw) => {
    const found = liveCall(callId)
    if (E.isLeft(found)) return found
    const call = found.right
    const decoded = decode(ParticipantSeed, raw ?? {})
    if (E.isLeft(decoded)) return E.left(invalidRequest(decoded.left.message, decoded.left.path))
    if (decoded.right.id !== undefined && call.participants.has(decoded.right.id)) {
      return E.left(conflict(`participant ${decoded.right.id} is already in call ${callId}`))
    }
    const p = newParticipant(call, decoded.right, call.participants.size)
    call.participants.set(p.id, p)
    observe({ type: 'roster.changed', call })
    const view = participantView(call, p.id)
    await notify(call, [rosterSpec(call)])
    return view === undefined ? E.left(notFound(`participant ${p.id} left at once`)) : E.right(view)
  }

  const leave: SimulatorCore['leave'] = async (callId, participantId) => {
    const found = liveCall(callId)
    if (E.isLeft(found)) return found
    const call = found.right
    const view = participantView(call, participantId)
    const p = call.participants.get(participantId)
    if (p === undefined || view === undefined) return E.left(notFound(`participant ${participantId} is not in call ${callId}`))
    endHold(call, participantId, now())
    const resource = participantResource(p)
    call.participants.delete(participantId)
    observe({ type: 'roster.changed', call })
    await notify(call, [{ changeType: 'deleted', callId, rest: ['participants'], leadingSlash: true, resourceData: [resource] }])
    return E.right({ ...view, onHold: false })
  }

  const known = (callId: string): E.Either<SimulatorError, SimCall> => {
    const call = calls.get(callId)
    return call === undefined ? E.left(notFound(`call ${callId} is not known to the simulator`)) : E.right(call)
  }

  return {
    get: (callId) => calls.get(callId),
    faultsOf,
    rand,
    createCall,
    hangUp,
    join,
    leave,
    holds: (callId) => E.map(holdsOf)(known(callId)),
    view: (callId) => E.map(viewOf)(known(callId)),
    setFaults: (raw, callId) => {
      const decoded = decode(SimulatorFaults, raw)
      if (E.isLeft(decoded)) return E.left(invalidRequest(decoded.left.message, decoded.left.path))
      if (callId === undefined) {
        faults = mergeFaults(faults, decoded.right)
        return E.right(faults)
      }
      const found = known(callId)
      if (E.isLeft(found)) return found
      found.right.faults = { ...found.right.faults, ...decoded.right }
      return E.right(faultsOf(found.right))
    },
    perform,
    close: () => {
      for (const call of calls.values()) {
        if (call.answerTimer !== undefined) clearTimeout(call.answerTimer)
        for (const op of call.pending.values()) if (op.timer !== undefined) clearTimeout(op.timer)
      }
    },
    callContext,
    register,
    endCall,
    notify,
    rosterSpec,
  }
}
