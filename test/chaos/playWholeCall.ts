import * as E from 'fp-ts/lib/Either.js'
import { ANSWER_WINDOW_MS } from '../../src/codecs/toIncomingCall.js'
import type { CallActionName } from '../../src/domain/CallAction.js'
import { canonicalId } from '../../src/domain/canonicalId.js'
import { collectDigits } from '../../src/orchestrator/collectDigits.js'
import type { CallActionAnswer } from '../../src/orchestrator/CallActionMethods.js'
import { sleep, type ChaosRun } from './ChaosRun.js'
import { checkHoldSlot } from './checkHoldSlot.js'
import { checkTones } from './checkTones.js'
import { recordHolds } from './recordHolds.js'
import { runCallAction } from './runCallAction.js'
import { runChaosOp } from './runChaosOp.js'
import type { WholeCallScript } from './wholeCallScript.js'

const media = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } as const
const agent = { user: { id: '550fae72-d251-43ec-868c-373732c2704f', displayName: 'Agent' } }

/** Call actions may fail for these reasons whatever the call: 429 or 503 answers past the retries, a lost answer. */
const anyAction = ['Http', 'Timeout']

/**
 * Plays one whole call through the orchestrator's public methods, as a call-center bot would: the
 * simulator rings the bot (or the bot calls out), the bot answers on the `incoming` event (or
 * answers too late and then rejects, or rejects, or redirects), subscribes to tones and collects the
 * keys the caller presses, holds the caller with music while it invites an agent, releases the
 * caller, and transfers (refused after an invite: Graph cannot transfer a call an invite made a group
 * call) or hangs up. Operations go through the same runner as the established calls' scripts.
 * The notifications that end a call action (establishing, established, terminated) are spared the
 * drops, as the far end's hang-up is: see docs/reliability.md.
 */
export const playWholeCall = async (run: ChaosRun, script: WholeCallScript, index: number): Promise<void> => {
  run.wholeCalls++
  const t = run.callActionTimeouts
  const key = (step: string): string => `chaos-${index}-${step}`
  const drops = (callId: string, on: boolean): void => void run.sim.setFaults({ dropRate: on ? (run.faults.dropRate ?? 0) : 0 }, callId)
  const action = (callId: string, name: CallActionName, step: string, expected: readonly string[], start: (k: string) => Promise<CallActionAnswer>) =>
    runCallAction(run, callId, name, key(step), t[name], expected, () => start(key(step)))

  let callId: string
  let callerId: string | undefined
  if (script.start === 'outgoing') {
    const created = await action(script.name, 'createCall', 'create', [...anyAction, 'CallActionFailed'], (clientContext) =>
      run.orchestrator.createCall({ clientContext, body: { targets: [{ identity: { user: { id: `customer-${index}`, displayName: 'Customer' } } }], requestedModalities: ['audio'], mediaConfig: media, callbackUri: run.callbackUrl } }),
    )
    // A createCall that timed out has no call id in its answer: the bot finds it by its clientContext.
    const id = created !== undefined && E.isRight(created) ? created.right.callId : run.createdCalls.get(key('create'))
    if (id === undefined) return
    callId = id
    run.callIds.push(callId)
    run.sim.setFaults({ retryAfterSeconds: script.retryAfterSeconds }, callId)
    if (created === undefined || E.isLeft(created)) return void (await hangUp(run, callId, action, drops, 'create-cleanup'))
    const view = run.sim.call(callId)
    callerId = E.isRight(view) ? view.right.participants[0]?.id : undefined
  } else {
    // The ring's `created` notification is spared the drops (drawn now, at the ring): a bot never
    // told of a call cannot answer it, and the suite counts `incoming` once per rung call.
    const rung = run.sim.ring({ callbackUrl: run.callbackUrl, caller: { kind: 'phone', id: `+1555${String(index).padStart(7, '0')}`, displayName: 'Customer' }, faults: { retryAfterSeconds: script.retryAfterSeconds, dropRate: 0 } })
    if (E.isLeft(rung)) return void run.violations.push(`${script.name}: the simulator refused to ring: ${rung.left.message}`)
    callId = rung.right.callId
    drops(callId, true)
    run.callIds.push(callId)
    run.rungCalls.push(callId)
    callerId = rung.right.participants[0]?.id
    const heard = await heardIncoming(run, callId)
    if (!heard) return void run.violations.push(`call ${callId}: no incoming event within 5 s of the ring`)
    if (script.start === 'reject' || script.start === 'redirect') {
      drops(callId, false)
      if (script.start === 'reject') await action(callId, 'reject', 'reject', anyAction, (clientContext) => run.orchestrator.reject({ callId, clientContext, body: { reason: 'busy' } }))
      else await action(callId, 'redirect', 'redirect', anyAction, (clientContext) => run.orchestrator.redirect({ callId, clientContext, body: { targets: [{ identity: agent }], timeout: 30 } }))
      return drops(callId, true)
    }
    drops(callId, false)
    if (script.start === 'answerLate') {
      // Graph ends the call at its deadline (408/1106); callops refuses the late answer before sending it.
      // The bot then ends its side as a real one would: it rejects (CallEnded once the terminated came).
      await sleep(ANSWER_WINDOW_MS + 250)
      const late = await action(callId, 'answer', 'answer-late', ['AnswerTooLate', 'CallEnded'], (clientContext) => run.orchestrator.answer({ callId, clientContext, body: { acceptedModalities: ['audio'], mediaConfig: media } }))
      if (late !== undefined && E.isRight(late)) run.violations.push(`call ${callId}: answered after its answer deadline`)
      await action(callId, 'reject', 'reject-late', [...anyAction, 'CallEnded'], (clientContext) => run.orchestrator.reject({ callId, clientContext }))
      return drops(callId, true)
    }
    // The simulator's answerTooLate fault: Graph got the answer after its deadline, 202 then terminated 408/1106.
    const answered = await action(callId, 'answer', 'answer', [...anyAction, 'CallActionFailed'], (clientContext) => run.orchestrator.answer({ callId, clientContext, body: { acceptedModalities: ['audio'], mediaConfig: media } }))
    drops(callId, true)
    if (answered === undefined || E.isLeft(answered)) {
      if (answered !== undefined && answered.left._tag !== 'CallActionFailed') {
        drops(callId, false)
        await action(callId, 'reject', 'reject-unanswered', [...anyAction, 'CallEnded'], (clientContext) => run.orchestrator.reject({ callId, clientContext }))
        drops(callId, true)
      }
      return
    }
  }
  const caller = callerId === undefined ? [] : [callerId]

  // The menu: tones, with the faults' repeats, reorders and drops.
  const subscribed = await wholeOp(run, callId, key('tones'), { action: 'subscribeToTone' }, caller)
  if (subscribed) {
    const timeoutMs = 5_000
    const digits = runCallAction(run, callId, 'collectDigits', key('digits'), timeoutMs, ['Timeout'], () => collectDigits(run.orchestrator, { callId, count: script.keys.length, timeoutMs }))
    const pressed = await run.sim.pressKeys(callId, script.keys)
    const got = await digits
    const settledAt = performance.now()
    if (E.isLeft(pressed)) run.violations.push(`call ${callId}: the simulator refused the keys: ${pressed.left.message}`)
    else checkTones(run, callId, pressed.right, got, settledAt)
  }

  // Hold the caller with music while an agent is invited, then release.
  let invited = false
  if (script.hold && callerId !== undefined) {
    const held = await wholeOp(run, callId, key('hold'), { action: 'startHoldMusic', participant: 0, holdPolicy: 'reject', customPrompt: true }, caller)
    if (held && script.invite) {
      invited = await wholeOp(run, callId, key('invite'), { action: 'inviteParticipants' }, caller)
      const view = run.sim.call(callId)
      const agentId = E.isRight(view) ? view.right.participants.find((p) => p.id !== callerId)?.id : undefined
      if (invited && script.removeAgent && agentId !== undefined) {
        await action(callId, 'removeParticipant', 'remove-agent', [...anyAction, 'CallEnded'], (clientContext) => run.orchestrator.removeParticipant({ callId, clientContext, participantId: agentId }))
      }
    }
    await wholeOp(run, callId, key('release'), { action: 'stopHoldMusic', participant: 0 }, caller)
    await checkHoldSlot(run, { callId }, index, caller)
  }

  const before = run.sim.holds(callId)
  if (script.end === 'transfer') {
    drops(callId, false)
    // After an invite completed, Graph cannot transfer the call (samples#395): refused before anything is sent.
    const expected = invited ? ['InvalidRequest'] : [...anyAction, 'CallActionFailed', ...(script.invite ? ['InvalidRequest'] : [])]
    const moved = await action(callId, 'transfer', 'transfer', expected, (clientContext) => run.orchestrator.transfer({ callId, clientContext, body: { transferTarget: { identity: agent } } }))
    drops(callId, true)
    if (invited && moved !== undefined && E.isRight(moved)) run.violations.push(`call ${callId}: transferred after an invite made it a group call`)
    if (moved === undefined || E.isLeft(moved)) await hangUp(run, callId, action, drops, 'hangup-after-transfer')
  } else await hangUp(run, callId, action, drops, 'hangup')
  const after = run.sim.holds(callId)
  recordHolds(run, callId, E.isRight(after) ? after : before)
}

type Action = (callId: string, name: 'hangUp', step: string, expected: readonly string[], start: (k: string) => Promise<CallActionAnswer>) => Promise<unknown>

/** The bot hangs up (DELETE the call), its terminated spared the drops. */
const hangUp = async (run: ChaosRun, callId: string, action: Action, drops: (callId: string, on: boolean) => void, step: string): Promise<void> => {
  drops(callId, false)
  await action(callId, 'hangUp', step, anyAction, (clientContext) => run.orchestrator.hangUp({ callId, clientContext }))
  drops(callId, true)
}

/** Resolves true once the run heard the call's `incoming` event, false after 5 s. */
const heardIncoming = async (run: ChaosRun, callId: string): Promise<boolean> => {
  for (const until = Date.now() + 5_000; Date.now() < until; await sleep(10)) if ((run.incomingHeard.get(canonicalId(callId)) ?? 0) > 0) return true
  return false
}

/** One operation of a whole call through the established calls' runner; true when it completed. */
const wholeOp = async (run: ChaosRun, callId: string, key: string, op: Parameters<typeof runChaosOp>[3], participantIds: readonly string[]): Promise<boolean> => {
  run.wholeCallOperations++
  const result = await runChaosOp(run, { callId }, key, op, participantIds, undefined)
  return result !== undefined && E.isRight(result)
}
