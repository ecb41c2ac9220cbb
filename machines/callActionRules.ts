import type { CallActionName, CallActionOutcome, CallActionResult } from '../src/domain/CallAction.js'
import { answerTooLate, callActionFailed, callEnded, invalidRequest, timeout, type CallOpsError } from '../src/domain/CallOpsError.js'
import { callSetup, type Enqueue } from './callSetup.js'
import type { CallActionRequested, CallContext, CallEvent, PendingCallAction } from './callTypes.js'
import { detailOf, tell, withEntry, without } from './callHelpers.js'
import { own } from './ownEntry.js'

// The bot's call actions (answer, reject, redirect, transfer, hang-up, removing a participant): where
// each is allowed, the request it emits, and the call state that settles it. docs/machines/call.md.

type Pending = Readonly<Record<string, PendingCallAction>>

const pendingOf = (context: CallContext): Pending => context.callActions ?? {}

const succeeded = (context: CallContext, clientContext: string, p: PendingCallAction, state: string, extra: Partial<CallActionOutcome> = {}): CallActionResult => ({
  ok: true,
  outcome: {
    action: p.action,
    callId: context.callId,
    clientContext,
    state,
    ...(p.participantId === undefined ? {} : { participantId: p.participantId }),
    ...extra,
  },
})

const emitSettled = (enqueue: Enqueue, clientContext: string, result: CallActionResult): void => {
  enqueue.emit({ type: 'callAction.settled', clientContext, result })
}

const fail = (enqueue: Enqueue, clientContext: string, error: CallOpsError): void => emitSettled(enqueue, clientContext, { ok: false, error })

/** Settles every pending call action `decide` answers for (with one assign), keeping the others. */
const settleWhere = (enqueue: Enqueue, context: CallContext, decide: (p: PendingCallAction, key: string) => CallActionResult | undefined): void => {
  const pending = pendingOf(context)
  let rest: Record<string, PendingCallAction> = { ...pending }
  let changed = false
  for (const key of Object.keys(pending)) {
    const p = own(pending, key)
    const result = p === undefined ? undefined : decide(p, key)
    if (result === undefined) continue
    emitSettled(enqueue, key, result)
    rest = without(rest, key)
    changed = true
  }
  if (changed) enqueue.assign({ callActions: rest })
}

const isIncomingAction = (a: CallActionName): boolean => a === 'answer' || a === 'reject' || a === 'redirect'

/** Why this call action cannot be taken now, or `undefined` when it can. */
const refusalOf = (context: CallContext, r: CallActionRequested, allowed: readonly CallActionName[]): CallOpsError | undefined => {
  const pending = pendingOf(context)
  if (own(pending, r.clientContext) !== undefined || own(context.inFlight, r.clientContext) !== undefined) {
    return invalidRequest(`clientContext ${r.clientContext} is already in use`, 'clientContext')
  }
  if (r.action === 'answer' && context.answerBy !== undefined && r.requestedAt >= context.answerBy) return answerTooLate(context.callId, context.answerBy)
  if (!allowed.includes(r.action)) {
    const state = context.graphState ?? 'no state told yet'
    return invalidRequest(`call ${context.callId} is ${state}: ${r.action} cannot be done now (docs/machines/call.md says where each call action is allowed)`, 'callId')
  }
  const others = Object.values(pending)
  if (isIncomingAction(r.action) && others.some((p) => isIncomingAction(p.action))) {
    return invalidRequest(`call ${context.callId} is already being answered, rejected or redirected`, 'callId')
  }
  if (r.action === 'transfer') {
    if (context.graphState === 'transferring' || others.some((p) => p.action === 'transfer')) return invalidRequest(`a transfer of call ${context.callId} is already under way`, 'callId')
    if (context.groupByInvite === true) return invalidRequest(`call ${context.callId} was peer-to-peer and an invite made it a group call: Graph cannot transfer such a call (reported in microsoftgraph/microsoft-graph-comms-samples#395)`, 'callId')
    if (r.transferee === true && context.kind === 'peerToPeer') return invalidRequest('transferee names a participant of a group call: this call is peer-to-peer', 'body.transferee')
  }
  if (r.action === 'hangUp' && others.some((p) => p.action === 'hangUp')) return invalidRequest(`call ${context.callId} is already being hung up`, 'callId')
  if (r.action === 'removeParticipant' && others.some((p) => p.action === 'removeParticipant' && p.participantId === r.participantId)) {
    return invalidRequest(`participant ${r.participantId ?? ''} is already being removed`, 'participantId')
  }
  return undefined
}

/** Takes the request when `allowed` names it (and the call's rules allow it), else refuses it before anything is sent. */
const decide = (allowed: readonly CallActionName[], deadlineMissed = false, established = false) =>
  callSetup.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'callAction.requested') return
    const missed = deadlineMissed && event.action === 'answer' ? answerTooLate(context.callId, context.incoming?.answerDeadline ?? event.requestedAt) : undefined
    const refusal = missed ?? refusalOf(context, event, allowed)
    if (refusal !== undefined) {
      fail(enqueue, event.clientContext, refusal)
      return
    }
    const p: PendingCallAction = {
      action: event.action,
      deadline: event.deadline,
      ...(event.participantId === undefined ? {} : { participantId: event.participantId }),
      ...(event.body === undefined ? {} : { body: event.body }),
      ...(event.sent === true ? { accepted: true as const } : {}),
    }
    if (event.action === 'createCall' && established) {
      // Graph's established came before the 201 was handled: the call is already up.
      emitSettled(enqueue, event.clientContext, succeeded(context, event.clientContext, p, 'established'))
      return
    }
    enqueue.assign({ callActions: withEntry(pendingOf(context), event.clientContext, p) })
    if (event.sent === true) return
    enqueue.emit({
      type: 'effect.callAction',
      clientContext: event.clientContext,
      action: event.action,
      ...(event.participantId === undefined ? {} : { participantId: event.participantId }),
      ...(event.body === undefined ? {} : { body: event.body }),
    })
  })

/** The call machine's actions for the bot's call actions. */
export const callActionRules = {
  // Each state takes the call actions it allows (docs/machines/call.md); the rest are refused before anything is sent.
  takeIncomingCallAction: decide(['answer', 'reject', 'redirect']),
  takeEstablishedCallAction: decide(['transfer', 'hangUp', 'removeParticipant', 'createCall'], false, true),
  takeOutgoingCallAction: decide(['hangUp', 'createCall']),
  takeHangUpOnly: decide(['hangUp']),
  refuseAfterAnswerDeadline: decide(['reject', 'redirect'], true),
  // The call is ending or has ended: a hang-up has nothing left to do, everything else is too late.
  refuseCallActionEnded: callSetup.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'callAction.requested') return
    if (event.action === 'createCall') {
      fail(enqueue, event.clientContext, callActionFailed(context.callId, 'createCall', context.graphState ?? 'terminated', context.termination?.resultInfo))
      return
    }
    if (event.action !== 'hangUp') {
      fail(enqueue, event.clientContext, callEnded(context.callId))
      return
    }
    const p: PendingCallAction = { action: 'hangUp', deadline: event.deadline }
    emitSettled(enqueue, event.clientContext, succeeded(context, event.clientContext, p, context.graphState ?? 'terminated', { alreadyEnded: true }))
  }),
  // Graph accepted the request: removing a participant is done (Graph notifies nothing else); the
  // others wait for the call's next state.
  acceptCallAction: callSetup.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'callAction.accepted') return
    const p = own(pendingOf(context), event.clientContext)
    if (p === undefined) return
    if (p.action !== 'removeParticipant') {
      enqueue.assign({ callActions: withEntry(pendingOf(context), event.clientContext, { ...p, accepted: true }) })
      return
    }
    emitSettled(enqueue, event.clientContext, succeeded(context, event.clientContext, p, context.graphState ?? 'established'))
    const id = p.participantId ?? ''
    const gone = own(context.roster, id)
    if (gone !== undefined) tell(enqueue, { type: 'participantLeft', participantId: id, ...(gone.identity === undefined ? {} : { identity: gone.identity }), ...(gone.displayName === undefined ? {} : { displayName: gone.displayName }) })
    enqueue.assign({ callActions: without(pendingOf(context), event.clientContext), roster: without(context.roster, id) })
  }),
  rejectCallAction: callSetup.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'callAction.rejected') return
    if (own(pendingOf(context), event.clientContext) === undefined) return
    fail(enqueue, event.clientContext, event.error)
    enqueue.assign({ callActions: without(pendingOf(context), event.clientContext) })
  }),
  // A DELETE answered 404: the call had already ended.
  settleHangUpAlreadyEnded: callSetup.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'callAction.accepted') return
    settleWhere(enqueue, context, (p, key) => (key === event.clientContext ? succeeded(context, key, p, 'terminated', { alreadyEnded: true }) : undefined))
  }),
  settleAnswerEstablished: callSetup.enqueueActions(({ context, enqueue }) => {
    settleWhere(enqueue, context, (p, key) => (p.action === 'answer' || p.action === 'createCall' ? succeeded(context, key, p, 'established') : undefined))
  }),
  settleTransferAccepted: callSetup.enqueueActions(({ context, enqueue }) => {
    settleWhere(enqueue, context, (p, key) => (p.action === 'transfer' ? succeeded(context, key, p, 'transferaccepted') : undefined))
  }),
  // Graph returned the call to established: the transfer failed (500/7000 blind, 500/7700 consultative).
  failTransfer: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const resultInfo = detailOf(event)?.resultInfo
    settleWhere(enqueue, context, (p) => (p.action === 'transfer' ? { ok: false, error: callActionFailed(context.callId, 'transfer', 'established', resultInfo) } : undefined))
  }),
  // The call ended: what ends a call succeeded, an answer failed, a removal no longer matters.
  settleCallActionsEnded: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const resultInfo = detailOf(event)?.resultInfo ?? context.termination?.resultInfo
    const extra = resultInfo === undefined ? {} : { resultInfo }
    settleWhere(enqueue, context, (p, key): CallActionResult => {
      if (p.action === 'answer' || p.action === 'createCall') return { ok: false, error: callActionFailed(context.callId, p.action, 'terminated', resultInfo) }
      if (p.action === 'removeParticipant') return { ok: false, error: callEnded(context.callId) }
      return succeeded(context, key, p, 'terminated', extra)
    })
  }),
  expireCallActions: callSetup.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'deadline.reached') return
    settleWhere(enqueue, context, (p, key) => (p.deadline <= event.now ? { ok: false, error: timeout(key, p.deadline) } : undefined))
  }),
}

/** The call machine's guards of call actions. */
export const callActionGuards = {
  // Graph told established with a failing resultInfo while a transfer waits: it failed without a transferring first.
  transferFailedAtOnce: ({ context, event }: { readonly context: CallContext; readonly event: CallEvent }) =>
    event.type === 'call.updated' &&
    (event.detail?.resultInfo?.code ?? 0) >= 400 &&
    Object.values(pendingOf(context)).some((p) => p.action === 'transfer'),
  hangUpFoundNoCall: ({ context, event }: { readonly context: CallContext; readonly event: CallEvent }) =>
    event.type === 'callAction.accepted' && event.alreadyEnded === true && own(pendingOf(context), event.clientContext)?.action === 'hangUp',
}
