import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { AnswerBody, RedirectBody, RejectBody, TransferBody } from '../codecs/callActionBodies.js'
import { CreateCallBody } from '../codecs/CreateCallBody.js'
import { decode } from '../codecs/decode.js'
import { invalidRequest } from '../domain/CallOpsError.js'
import { RingInput } from './adminBodies.js'
import type { ActionRefusal, SimulatorCore } from './createSimulatorCore.js'
import { isLoopbackUrl } from './isLoopbackUrl.js'
import {
  answerDeadlineInfo,
  conversationEndedInfo,
  incomingSpec,
  rejectedSpec,
  resultInfoOf,
  stateSpec,
  terminatedSpec,
  transferCompletedInfo,
  transferFailedSpec,
} from './lifecycleResources.js'
import type { LifecycleMatch } from './lifecycleRoutes.js'
import { newSimCall } from './newSimCall.js'
import { endHold } from './operationOutcome.js'
import { viewOf } from './SimCall.js'
import type { SimCall, SimCallView } from './SimCall.js'
import type { SimulatorError } from './SimulatorError.js'
import type { NotificationSpec } from './spellNotification.js'

/** What the lifecycle needs around it. */
export interface LifecycleDeps {
  readonly core: SimulatorCore
  readonly appId: string
  readonly tenantId: string
  readonly graphBase: () => string
  /** How long a rung call waits in `incoming` unless its input says otherwise. */
  readonly answerDeadlineMs: number
}

/** The answer to a lifecycle request, and what to do once it is written. */
export interface LifecycleResult {
  readonly status: number
  readonly body?: Readonly<Record<string, unknown>>
  readonly location?: string
  readonly after?: () => void
}

/** The calls' own lifecycle: ringing the bot, answer, reject, redirect, transfer, outgoing calls, DELETE. */
export interface CallLifecycle {
  /** Serves a lifecycle request whose body was read (`{}` when empty). */
  readonly serve: (match: LifecycleMatch, call: SimCall | undefined, body: unknown) => E.Either<ActionRefusal, LifecycleResult>
  /** Rings the bot: posts the `created` notification of a call in state `incoming`. */
  readonly ring: (input: unknown) => E.Either<SimulatorError, SimCallView>
}

const badRequest = (message: string): ActionRefusal => ({ status: 400, code: 'BadRequest', message })

const checked = <A>(codec: t.Decoder<unknown, A>, body: unknown): E.Either<ActionRefusal, A> => {
  const r = decode(codec, body)
  return E.isLeft(r) ? E.left(badRequest(`Invalid request body: ${r.left.message}`)) : r
}

// Invented: Graph documents which states allow each action but not the error it answers otherwise.
const inState = (call: SimCall, states: readonly SimCall['state'][], action: string): E.Either<ActionRefusal, SimCall> =>
  states.includes(call.state) ? E.right(call) : E.left(badRequest(`${action} is not allowed while the call is ${call.state}.`))

/** Creates the lifecycle of simulated calls on top of the core's calls and notifications. */
export const createCallLifecycle = (deps: LifecycleDeps): CallLifecycle => {
  const { core } = deps

  /** One latency for a sequence of notifications, so they leave in order unless a fault reorders them. */
  const latencyOf = (call: SimCall): number => call.rand.between(core.faultsOf(call).notificationLatencyMs)

  const sendAll = (call: SimCall, posts: readonly (readonly NotificationSpec[])[], delayMs: number): void => {
    for (const specs of posts) void core.notify(call, specs, delayMs)
  }

  /** establishing → established (the documented out-of-order when the fault says so), then the roster. */
  const establish = (call: SimCall): void => {
    const delay = latencyOf(call)
    const steps = [[stateSpec(call, 'establishing')], [stateSpec(call, 'established')]]
    if (call.rand.chance(core.faultsOf(call).establishedFirst)) steps.reverse()
    call.state = 'established'
    sendAll(call, [...steps, [core.rosterSpec(call)]], delay)
  }

  const answer = (call: SimCall, body: AnswerBody): LifecycleResult => {
    if (call.answerTimer !== undefined) clearTimeout(call.answerTimer)
    if (call.rand.chance(core.faultsOf(call).answerTooLate)) {
      return { status: 202, after: () => void core.endCall(call, [terminatedSpec(call, { resultInfo: resultInfoOf(answerDeadlineInfo) })]) }
    }
    // The docs: answer's callbackUri serves this call from then on (the simulator keeps to loopback).
    if (body.callbackUri !== undefined && isLoopbackUrl(body.callbackUri)) call.callbackUrl = body.callbackUri
    call.state = 'establishing'
    call.appHostedMedia = body.mediaConfig['@odata.type'] === '#microsoft.graph.appHostedMediaConfig'
    return { status: 202, after: () => establish(call) }
  }

  const transfer = (call: SimCall, body: TransferBody): LifecycleResult => {
    const consultative = typeof body.transferTarget.replacesCallId === 'string'
    const fails = call.rand.chance(core.faultsOf(call).transferFailRate)
    call.state = fails ? 'established' : 'transferAccepted'
    return {
      status: 202,
      after: () => {
        const delay = latencyOf(call)
        if (fails) return sendAll(call, [[stateSpec(call, 'transferring')], [transferFailedSpec(call, consultative)]], delay)
        sendAll(call, [[stateSpec(call, 'transferring')], [stateSpec(call, 'transferAccepted')]], delay)
        const end = consultative ? { terminationReason: 'AppTransferred' } : { resultInfo: resultInfoOf(transferCompletedInfo) }
        void core.endCall(call, [terminatedSpec(call, end)], delay)
      },
    }
  }

  const hangUp = (call: SimCall): LifecycleResult => ({
    status: 204,
    after: () => {
      const delay = latencyOf(call)
      const strings = call.rand.chance(core.faultsOf(call).stringResultCodes)
      void core.notify(call, [stateSpec(call, 'terminating')], delay)
      void core.endCall(call, [terminatedSpec(call, { resultInfo: resultInfoOf(conversationEndedInfo, strings) })], delay)
    },
  })

  const removeParticipant = (call: SimCall, participantId: string): E.Either<ActionRefusal, LifecycleResult> => {
    if (!call.participants.has(participantId)) {
      return E.left({ status: 404, code: 'ItemNotFound', message: `Participant ${participantId} was not found in call ${call.id}.` })
    }
    endHold(call, participantId, core.callContext.now())
    call.participants.delete(participantId)
    return E.right({ status: 204, after: () => void core.notify(call, [core.rosterSpec(call)]) })
  }

  const createCall = (body: CreateCallBody): E.Either<ActionRefusal, LifecycleResult> => {
    if (body.callbackUri === undefined || !isLoopbackUrl(body.callbackUri)) {
      return E.left(badRequest('The simulator needs a callbackUri on loopback (127.0.0.0/8, localhost, [::1]).'))
    }
    const targets = body.targets ?? []
    const participants = targets.map((target) => {
      const who = target.identity.user ?? target.identity.phone ?? target.identity.application ?? target.identity.guest ?? {}
      return typeof who.displayName === 'string' ? { displayName: who.displayName } : {}
    })
    const group = targets.length > 1 || body.meetingInfo !== undefined
    const built = newSimCall({ callbackUrl: body.callbackUri, participants, group }, { state: 'establishing', direction: 'outgoing', group }, core.callContext)
    if (E.isLeft(built)) return E.left(badRequest(built.left.message))
    const call = built.right
    call.appHostedMedia = body.mediaConfig['@odata.type'] === '#microsoft.graph.appHostedMediaConfig'
    core.register(call)
    const location = `${deps.graphBase()}/communications/calls/${call.id}`
    const answerBody = {
      ...body,
      '@odata.type': '#microsoft.graph.call',
      id: call.id,
      state: 'establishing',
      direction: 'outgoing',
      myParticipantId: call.bot.id,
      callChainId: call.rand.guid(),
    }
    return E.right({ status: 201, body: answerBody, location, after: () => establish(call) })
  }

  const rejected = (call: SimCall): LifecycleResult => ({ status: 202, after: () => void core.endCall(call, [rejectedSpec(call)]) })

  const redirected = (call: SimCall): LifecycleResult => ({
    status: 202,
    after: () => void core.endCall(call, [terminatedSpec(call, { direction: 'incoming' })]),
  })

  /** Checks the body, then the call's state, then acts. */
  const when =
    <A>(codec: t.Decoder<unknown, A>, states: readonly SimCall['state'][], act: (call: SimCall, body: A) => LifecycleResult) =>
    (match: LifecycleMatch, call: SimCall, body: unknown): E.Either<ActionRefusal, LifecycleResult> =>
      E.chain((b: A) => E.map((c: SimCall) => act(c, b))(inState(call, states, match.action)))(checked(codec, body))

  const onCall: Record<Exclude<LifecycleMatch['action'], 'createCall'>, (match: LifecycleMatch, call: SimCall, body: unknown) => E.Either<ActionRefusal, LifecycleResult>> = {
    answer: when(AnswerBody, ['incoming'], answer),
    reject: when(RejectBody, ['incoming'], rejected),
    redirect: when(RedirectBody, ['incoming'], redirected),
    transfer: when(TransferBody, ['established'], transfer),
    deleteCall: (_, call) => E.right(hangUp(call)),
    deleteParticipant: (match, call) => removeParticipant(call, match.participantId ?? ''),
  }

  const ring: CallLifecycle['ring'] = (raw) => {
    const decoded = decode(RingInput, raw)
    if (E.isLeft(decoded)) return E.left(invalidRequest(decoded.left.message, decoded.left.path))
    const input = decoded.right
    const deadline = input.answerDeadlineMs ?? deps.answerDeadlineMs
    if (!(Number.isFinite(deadline) && deadline >= 0)) return E.left(invalidRequest('answerDeadlineMs must be a number ≥ 0', 'answerDeadlineMs'))
    const c = input.caller ?? {}
    const ctx = core.callContext
    const caller = { kind: c.kind ?? 'user', id: c.id ?? (c.kind === 'phone' ? '+15550100' : ctx.rand.guid()), ...(c.displayName === undefined ? {} : { displayName: c.displayName }) }
    const seeds = [{ displayName: c.displayName ?? 'Caller' }, ...(input.participants ?? [])]
    const built = newSimCall({ ...input, participants: seeds }, { state: 'incoming', direction: 'incoming', caller, group: false }, ctx)
    if (E.isLeft(built)) return built
    const call = built.right
    core.register(call)
    call.answerTimer = setTimeout(() => {
      if (call.state === 'incoming') void core.endCall(call, [terminatedSpec(call, { resultInfo: resultInfoOf(answerDeadlineInfo) })])
    }, deadline)
    void core.notify(call, [incomingSpec(call, deps.appId, deps.tenantId)])
    return E.right(viewOf(call))
  }

  return {
    serve: (match, call, body) => {
      if (match.action === 'createCall') return E.chain(createCall)(checked(CreateCallBody, body))
      if (call === undefined || call.state === 'terminated') {
        return E.left({ status: 404, code: 'ItemNotFound', message: `Call ${match.callId ?? ''} was not found or has ended.` })
      }
      return onCall[match.action](match, call, body)
    },
    ring,
  }
}
