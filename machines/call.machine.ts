import { and, not, or } from 'xstate'
import { callActionGuards, callActionRules } from './callActionRules.js'
import { callGuards } from './callGuards.js'
import { callSetup } from './callSetup.js'
import type { CallContext } from './callTypes.js'
import { holdActions } from './holdActions.js'
import { isDefiniteFailure } from './isDefiniteFailure.js'
import { lifecycleActions } from './lifecycleActions.js'
import { operationActions } from './operationActions.js'
import { own } from './ownEntry.js'

export { isDefiniteFailure }

/** The earliest deadline the runtime must arm a timer for, or `undefined` when none is pending. */
export const nextDeadline = (context: CallContext): number | undefined => {
  // Runs after every event a call takes: plain loops, no closure or array per call.
  let next = earlier(undefined, context.answerBy)
  next = earlier(next, context.tones?.gapUntil)
  for (const key in context.inFlight) {
    const f = own(context.inFlight, key)
    if (f !== undefined && f.timedOut === undefined) next = earlier(next, f.deadline)
  }
  for (const q of context.queue) next = earlier(next, q.deadline)
  const pending = context.callActions
  if (pending !== undefined) for (const key in pending) next = earlier(next, own(pending, key)?.deadline)
  return next
}

const earlier = (a: number | undefined, b: number | undefined): number | undefined => (b === undefined || (a !== undefined && a <= b) ? a : b)

const queuePolicy = { type: 'policyIs', params: { policy: 'queue' } } as const
const swapPolicy = { type: 'policyIs', params: { policy: 'swap' } } as const
/** Graph told this callState (lower-cased). */
const told = <S extends string>(state: S) => ({ type: 'stateIs', params: { state } }) as const

/**
 * One call's lifecycle, as Graph's callState tells it: `incoming` → `establishing` → `established`
 * → `transferAccepted` / `redirecting` → `terminating` → `terminated`. Inside `established` two
 * regions: `hold` (`free`, `holding`, `held`, `releasing`) is the single hold slot, so the
 * single-participant-on-hold rule can be read off the diagram; `transfer` (`idle`, `transferring`)
 * runs beside it, so a transfer that fails (Graph returns the call to `established`) finds the slot
 * and its operations as they were. Calls callops first meets in any other way than ringing start
 * `established`. States only move forward: an `establishing` that arrives after `established` (Graph
 * documents that order) is recorded and moves nothing.
 *
 * It never does I/O: it emits `effect.http` for each request to send, `operation.settled` exactly
 * once for each `operation.requested`, and `call.news` for what bot code hears; the runtime does the rest.
 */
export const callMachine = callSetup
  .extend({ guards: { ...callGuards, ...callActionGuards }, actions: { ...operationActions, ...holdActions, ...lifecycleActions, ...callActionRules } })
  .createMachine({
  id: 'call',
  initial: 'starting',
  context: ({ input }) => ({
    callId: input.callId,
    holdPolicy: input.holdPolicy ?? 'reject',
    kind: input.kind ?? 'unknown',
    roster: {},
    queue: [],
    inFlight: {},
    joiners: {},
    orphans: {},
    ...(input.incoming === undefined ? {} : { incoming: input.incoming, answerBy: input.incoming.answerDeadline, graphState: 'incoming' }),
    ...(input.outgoing === true ? { graphState: 'establishing' } : {}),
  }),
  // What every state does unless it says otherwise: operations already running go on to their end.
  on: {
    'operation.requested': { actions: 'refuseNotEstablished' },
    'http.accepted': { actions: 'forwardHttpAnswer' },
    'http.rejected': { actions: 'forwardHttpAnswer' },
    'notification.operation': { actions: 'routeNotification' },
    'deadline.reached': { actions: ['forwardDeadline', 'flushToneGap', 'expireCallActions'] },
    // The bot's call actions: only a hang-up unless the state says otherwise.
    'callAction.requested': { actions: 'takeHangUpOnly' },
    'callAction.accepted': [
      { guard: 'hangUpFoundNoCall', target: '.terminated', actions: ['settleHangUpAlreadyEnded', 'recordTermination', 'endAllOperations'] },
      { actions: 'acceptCallAction' },
    ],
    'callAction.rejected': { actions: 'rejectCallAction' },
    'operation.cancel': { actions: 'cancelOperation' },
    'operation.ended': { actions: 'settleOperation' },
    'operation.late': { actions: 'recordLateOutcome' },
    'roster.updated': { guard: 'rosterChanges', actions: 'mergeRoster' },
    'roster.removed': { actions: 'removeFromRoster' },
    'call.registered': { actions: 'registerCallInfo' },
    'call.updated': [
      { guard: told('terminated'), target: '.terminated', actions: ['noteCallUpdate', 'recordTermination', 'endAllOperations'] },
      { actions: 'noteCallUpdate' },
    ],
    'call.terminated': { target: '.terminated', actions: ['recordTermination', 'endAllOperations'] },
  },
  states: {
    // Never rested in: a call that rings the bot starts incoming, any other established.
    starting: {
      always: [{ guard: 'startsIncoming', target: 'incoming' }, { guard: 'startsOutgoing', target: 'establishing' }, { target: 'established' }],
    },
    incoming: {
      initial: 'awaitingAnswer',
      on: {
        'call.incoming': { actions: 'announceIncoming' },
        'call.updated': [
          { guard: told('establishing'), target: 'establishing', actions: 'noteCallUpdate' },
          // Graph documents that established may come before establishing.
          { guard: told('established'), target: 'established', actions: 'noteCallUpdate' },
          { guard: told('redirecting'), target: 'redirecting', actions: 'noteCallUpdate' },
          { guard: told('terminating'), target: 'terminating', actions: 'noteCallUpdate' },
        ],
      },
      states: {
        awaitingAnswer: {
          exit: 'stopAnswerClock',
          on: {
            'deadline.reached': { guard: 'answerDeadlinePassed', target: 'deadlineMissed', actions: ['forwardDeadline', 'flushToneGap', 'expireCallActions'] },
            'callAction.requested': { actions: 'takeIncomingCallAction' },
          },
        },
        // Unanswered past its deadline: Graph ends the call (408); the bot's answer would fail.
        deadlineMissed: { on: { 'callAction.requested': { actions: 'refuseAfterAnswerDeadline' } } },
      },
    },
    establishing: {
      on: {
        'callAction.requested': { actions: 'takeOutgoingCallAction' },
        'call.updated': [
          { guard: told('established'), target: 'established', actions: 'noteCallUpdate' },
          { guard: told('terminating'), target: 'terminating', actions: 'noteCallUpdate' },
        ],
      },
    },
    established: {
      type: 'parallel',
      // However Graph got here (establishing first or not), an answer under way has its outcome.
      entry: 'settleAnswerEstablished',
      on: {
        'callAction.requested': { actions: 'takeEstablishedCallAction' },
        'operation.requested': [
          { guard: 'isUnmuteInOneToOneCall', actions: 'refuseOneToOneUnmute' },
          { guard: 'sameMuteInFlight', actions: 'joinInFlight' },
          { actions: 'startRequestedOperation' },
        ],
        'call.updated': { guard: told('terminating'), target: 'terminating', actions: 'noteCallUpdate' },
      },
      states: {
        hold: {
          initial: 'free',
          // Each sub-state refuses a clientContext in use first, so it is not repeated on established.
          states: {
            free: {
              always: { guard: 'hasQueuedHold', target: 'holding', actions: 'startQueuedHold' },
              on: {
                'operation.requested': [
                  { guard: 'keyInUse', actions: 'refuseDuplicateKey' },
                  { guard: 'isStartHold', target: 'holding', actions: 'takeHoldSlot' },
                  { guard: 'isStopHold', actions: 'refuseStopNotOnHold' },
                ],
              },
            },
            holding: {
              on: {
                'operation.requested': [
                  { guard: 'keyInUse', actions: 'refuseDuplicateKey' },
                  { guard: and(['isStartHold', 'isHeldParticipant', 'holdPending']), actions: 'joinHold' },
                  { guard: and(['isStartHold', 'isHeldParticipant']), actions: 'retakeHoldSlot' },
                  { guard: and(['isStartHold', queuePolicy]), actions: 'enqueueHold' },
                  { guard: 'isStartHold', actions: 'refuseHoldConflict' },
                  { guard: and(['isStopHold', 'isHeldParticipant']), target: 'releasing', actions: 'startRelease' },
                  { guard: 'isStopHold', actions: 'refuseStopNotOnHold' },
                ],
                // Every attempt counts: the slot is freed when the last one that may hold has failed for certain.
                'operation.ended': [
                  { guard: and(['endsAttempt', 'resultSucceeded']), target: 'held', actions: ['settleOperation', 'confirmHold'] },
                  { guard: and(['endsAttempt', 'failureIsDefinite', 'isLastAttempt']), target: 'free', actions: ['settleOperation', 'releaseSlot'] },
                  { guard: and(['endsAttempt', 'failureIsDefinite']), actions: ['settleOperation', 'dropAttempt'] },
                ],
                'operation.late': [
                  { guard: and(['lateIsAttempt', 'lateSucceeded']), target: 'held', actions: ['confirmLateHold', 'recordLateOutcome'] },
                  { guard: and(['lateIsAttempt', 'isLastAttempt']), target: 'free', actions: ['recordLateOutcome', 'releaseSlot'] },
                  { guard: 'lateIsAttempt', actions: ['recordLateOutcome', 'dropAttempt'] },
                  { guard: 'lateReleaseFreesAll', target: 'free', actions: ['recordLateOutcome', 'releaseSlot'] },
                  { guard: 'lateReleaseSucceeded', actions: ['forgetCoveredAttempts', 'recordLateOutcome'] },
                ],
                'roster.removed': { guard: 'heldParticipantLeft', target: 'free', actions: ['removeFromRoster', 'releaseSlot'] },
              },
            },
            held: {
              on: {
                'operation.requested': [
                  { guard: 'keyInUse', actions: 'refuseDuplicateKey' },
                  { guard: and(['isStartHold', 'isHeldParticipant']), actions: 'answerWithHeldOperation' },
                  { guard: and(['isStartHold', queuePolicy]), actions: 'enqueueHold' },
                  { guard: and(['isStartHold', swapPolicy, 'canSwap']), target: 'releasing', actions: 'startSwap' },
                  { guard: 'isStartHold', actions: 'refuseHoldConflict' },
                  { guard: and(['isStopHold', 'isHeldParticipant']), target: 'releasing', actions: 'startRelease' },
                  { guard: 'isStopHold', actions: 'refuseStopNotOnHold' },
                ],
                // An attempt still pending when an older one's late success confirmed the hold.
                'operation.ended': { guard: and(['endsAttempt', 'failureIsDefinite']), actions: ['settleOperation', 'dropAttempt'] },
                'operation.late': [
                  { guard: 'lateReleaseFreesAll', target: 'free', actions: ['recordLateOutcome', 'releaseSlot'] },
                  // The hold was confirmed before that release; an attempt sent after it may still hold.
                  { guard: and(['lateReleaseSucceeded', 'lateReleaseCoversHold']), target: 'holding', actions: ['forgetCoveredAttempts', 'recordLateOutcome'] },
                ],
                'roster.removed': { guard: 'heldParticipantLeft', target: 'free', actions: ['removeFromRoster', 'releaseSlot'] },
              },
            },
            releasing: {
              on: {
                'operation.requested': [
                  { guard: 'keyInUse', actions: 'refuseDuplicateKey' },
                  {
                    guard: and(['isStartHold', or([queuePolicy, swapPolicy])]),
                    actions: 'enqueueHold',
                  },
                  { guard: 'isStartHold', actions: 'refuseHoldConflict' },
                  { guard: and(['isStopHold', 'isHeldParticipant']), actions: 'joinRelease' },
                  { guard: 'isStopHold', actions: 'refuseStopNotOnHold' },
                ],
                'operation.ended': [
                  { guard: and(['endsRelease', 'resultSucceeded']), target: 'free', actions: ['settleOperation', 'releaseSlot'] },
                  // A failed or unanswered release leaves the participant on hold, or being put on hold
                  // when the startHoldMusic was never confirmed (the release was asked for while holding).
                  { guard: and(['endsRelease', 'holdConfirmed']), target: 'held', actions: ['settleOperation', 'keepHoldAfterFailedRelease'] },
                  { guard: 'endsRelease', target: 'holding', actions: ['settleOperation', 'keepHoldAfterFailedRelease'] },
                  // The startHoldMusic can still end while its release is in flight.
                  { guard: and(['endsAttempt', 'resultSucceeded']), actions: ['settleOperation', 'confirmHold'] },
                  { guard: and(['endsAttempt', 'failureIsDefinite', 'isLastAttempt']), target: 'free', actions: ['settleOperation', 'releaseSlot'] },
                  { guard: and(['endsAttempt', 'failureIsDefinite']), actions: ['settleOperation', 'dropAttempt'] },
                ],
                // The release was asked for while the hold was unconfirmed: its attempts still count.
                'operation.late': [
                  { guard: and(['lateIsAttempt', 'lateSucceeded', not('holdConfirmed')]), actions: ['confirmLateHold', 'recordLateOutcome'] },
                  { guard: and(['lateIsAttempt', 'isLastAttempt', not('holdConfirmed')]), target: 'free', actions: ['recordLateOutcome', 'releaseSlot'] },
                  { guard: 'lateIsAttempt', actions: ['recordLateOutcome', 'dropAttempt'] },
                  // An earlier release that timed out succeeded after all.
                  { guard: 'lateReleaseFreesAll', target: 'free', actions: ['recordLateOutcome', 'releaseSlot'] },
                  { guard: 'lateReleaseSucceeded', actions: ['forgetCoveredAttempts', 'recordLateOutcome'] },
                ],
                'roster.removed': { guard: 'heldParticipantLeft', target: 'free', actions: ['removeFromRoster', 'releaseSlot'] },
              },
            },
          },
        },
        transfer: {
          initial: 'idle',
          // Only Graph's transfer states move this region. (XState asks the states above a parallel
          // state only when no region took the event, so these transitions note the update themselves.)
          states: {
            idle: {
              on: {
                'call.updated': [
                  // A failed transfer that Graph never showed as transferring.
                  { guard: and([told('established'), 'transferFailedAtOnce']), actions: ['noteCallUpdate', 'recordTransferFailure', 'failTransfer'] },
                  { guard: told('transferring'), target: 'transferring', actions: 'noteCallUpdate' },
                  { guard: told('transferaccepted'), target: '#call.transferAccepted', actions: 'noteCallUpdate' },
                ],
              },
            },
            transferring: {
              on: {
                'call.updated': [
                  // The transfer failed: Graph returns the call to established with a resultInfo.
                  { guard: told('established'), target: 'idle', actions: ['noteCallUpdate', 'recordTransferFailure', 'failTransfer'] },
                  { guard: told('transferaccepted'), target: '#call.transferAccepted', actions: 'noteCallUpdate' },
                ],
              },
            },
          },
        },
      },
    },
    // The call is handed over: Graph ends it next. Operations under way go on to their end.
    transferAccepted: {
      entry: 'settleTransferAccepted',
      on: { 'call.updated': { guard: told('terminating'), target: 'terminating', actions: 'noteCallUpdate' } },
    },
    redirecting: {
      on: { 'call.updated': { guard: told('terminating'), target: 'terminating', actions: 'noteCallUpdate' } },
    },
    terminating: {
      on: { 'operation.requested': { actions: 'refuseCallEnded' }, 'callAction.requested': { actions: 'refuseCallActionEnded' } },
    },
    terminated: {
      entry: 'settleCallActionsEnded',
      on: {
        'operation.requested': { actions: 'refuseCallEnded' },
        'callAction.requested': { actions: 'refuseCallActionEnded' },
        // Graph repeats the end; it is told once.
        'call.updated': {},
        'call.terminated': {},
      },
    },
  },
})

/** The call machine's type, for typing snapshots and actors. */
export type CallMachine = typeof callMachine
