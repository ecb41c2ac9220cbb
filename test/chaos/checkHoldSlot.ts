import * as E from 'fp-ts/lib/Either.js'
import { sleep, type ChaosRun } from './ChaosRun.js'
import type { ChaosOp } from './chaosScript.js'
import type { OrchestratorEvent } from '../../src/runtime/OrchestratorEvent.js'
import { leaveReachedBot } from './leavesHeard.js'
import { runChaosOp } from './runChaosOp.js'

/**
 * Keeps `unheard` (what {@link checkHoldSlot} reads) from the orchestrator's events: a hold or stop
 * that ended `Timeout`, `Cancelled` or `Http` may have lost its outcome, until a late outcome comes.
 */
export const noteUnheard = (unheard: ChaosRun['unheard'], e: OrchestratorEvent): void => {
  if (e.type === 'settled' && (e.action === 'startHoldMusic' || e.action === 'stopHoldMusic') && E.isLeft(e.result)) {
    if (e.result.left._tag === 'Timeout' || e.result.left._tag === 'Cancelled' || e.result.left._tag === 'Http') {
      const of = unheard.get(e.callId) ?? new Map()
      unheard.set(e.callId, of.set(e.clientContext, { action: e.action, ...(e.clientRequestId === undefined ? {} : { clientRequestId: e.clientRequestId }) }))
    }
  }
  if (e.type === 'lateOutcome') {
    const of = unheard.get(e.callId)
    of?.delete(e.clientContext)
    if (of?.size === 0) unheard.delete(e.callId)
  }
}

/**
 * At a call's end, once the outcomes are in, callops' hold slot should agree with Graph. It may not
 * when an outcome of a hold or stop never reached callops: a dropped notification (the attempt timed
 * out and no late outcome followed), an attempt the bot cancelled, an `Http` failure that proves
 * nothing. Nor when the held participant left the call and no notification saying so reached the
 * bot (the `deleted` roster dropped, and no whole roster after it): the refusal of a stop that
 * followed (404) says only that Graph did not carry out that stop, not that the participant is off
 * hold. callops cannot know then, and does not guess. A slot taken while the simulator has nobody
 * on hold although every outcome was heard is a stuck call. Otherwise the bot tries to get out as
 * it would in production (drops and failures off for the call): it stops that participant; if the
 * slot is still taken it holds the participant again and stops it.
 */
export const checkHoldSlot = async (run: ChaosRun, script: { readonly callId: string }, index: number, participantIds: readonly string[]): Promise<void> => {
  await sleep(150) // the last notifications: latency ≤ 60 ms and a 20 ms reorder window
  const nobodyHeld = (): boolean => {
    const holds = run.sim.holds(script.callId)
    return E.isRight(holds) && holds.right.every((h) => h.end !== undefined)
  }
  const view = run.orchestrator.getCall(script.callId)
  if (view?.hold === undefined || view.operations.length > 0 || !nobodyHeld()) return
  run.slotsWithoutHold++
  // A request Graph refused (4xx) was heard, however late: callops got that answer. Wait for the
  // answers still on their way (late refusals), then count only what callops truly never got.
  const sent = [...(run.unheard.get(script.callId)?.values() ?? [])].flatMap((u) => (u.clientRequestId === undefined ? [] : [u.clientRequestId]))
  const answers = (): Map<string, number> => new Map(run.sim.requests().flatMap((r) => (r.clientRequestId !== undefined && sent.includes(r.clientRequestId) ? [[r.clientRequestId, r.status]] : [])))
  for (const until = Date.now() + (run.faults.lateRefusalMs ?? 0) + 500; answers().size < sent.length && Date.now() < until; ) await sleep(100)
  await sleep(50)
  const refused = [...answers()].filter(([, status]) => status === 400 || status === 404).map(([id]) => id)
  // (One never sent, a hold that timed out in callops' queue, has no outcome to lose.)
  const lost = sent.filter((id) => !refused.includes(id))
  if (run.orchestrator.getCall(script.callId)?.hold === undefined) return
  // The held participant left (the simulator ended their hold) and no notification of it reached the bot.
  const inCall = run.sim.call(script.callId)
  const left = E.isRight(inCall) && !inCall.right.participants.some((p) => p.id === view.hold?.participantId)
  const leaveLost = left && !leaveReachedBot(run.rostersHeard, script.callId, view.hold.participantId)
  if (lost.length === 0 && !leaveLost) {
    run.stuckSlots++
    run.violations.push(`call ${script.callId}: hold slot ${view.hold.participantId}/${view.hold.phase} taken while the simulator has nobody on hold, though every hold and stop outcome${left ? ' and the leave of that participant' : ''} was heard`)
    return
  }
  const held = participantIds.indexOf(view.hold.participantId)
  run.sim.setFaults({ dropRate: 0, failRate: 0, lateRefusalRate: 0 }, script.callId)
  const recovery: ChaosOp[] = [
    { action: 'stopHoldMusic', participant: held },
    { action: 'startHoldMusic', participant: held, holdPolicy: 'reject', customPrompt: false },
    { action: 'stopHoldMusic', participant: held },
  ]
  for (const [i, op] of recovery.entries()) {
    if (run.orchestrator.getCall(script.callId)?.hold === undefined) break
    run.retries++
    await runChaosOp(run, script, `chaos-${index}-slot-${i}`, op, participantIds, undefined)
  }
  const { dropRate = 0, failRate = 0, lateRefusalRate = 0 } = run.faults
  run.sim.setFaults({ dropRate, failRate, lateRefusalRate }, script.callId)
  if (run.orchestrator.getCall(script.callId)?.hold === undefined) run.recoveredSlots++
  else run.keptAfterLostOutcome++
}
