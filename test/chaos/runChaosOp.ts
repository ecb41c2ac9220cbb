import * as E from 'fp-ts/lib/Either.js'
import type { ActionResult, CallOrchestrator } from '../../src/orchestrator/createCallOrchestrator.js'
import { SETTLE_GRACE_MS, type ChaosRun } from './ChaosRun.js'
import type { ChaosOp } from './chaosScript.js'
import { isGraphHoldRefusal } from './chaosReport.js'

/** Sends one scripted operation through its own typed method of the orchestrator. */
const send = (
  o: CallOrchestrator,
  op: ChaosOp,
  callId: string,
  clientContext: string,
  participantIds: readonly string[],
  signal: AbortSignal | undefined,
): Promise<ActionResult> => {
  const base = { callId, clientContext, ...(signal === undefined ? {} : { signal }) }
  const who = (i: number): string => participantIds[i] ?? 'nobody'
  switch (op.action) {
    case 'startHoldMusic':
      return o.startHoldMusic({
        ...base,
        participantId: who(op.participant),
        holdPolicy: op.holdPolicy,
        ...(op.customPrompt ? { customPrompt: { mediaInfo: { uri: 'https://bot.contoso.com/hold.wav' } } } : {}),
      })
    case 'stopHoldMusic':
      return o.stopHoldMusic({ ...base, participantId: who(op.participant) })
    case 'unmute':
      return o.unmute(base)
    case 'mute':
      return o.mute(base)
    case 'playPrompt':
      return o.playPrompt({ ...base, prompts: Array.from({ length: op.prompts }, (_, i) => ({ mediaInfo: { uri: `https://bot.contoso.com/prompt-${i}.wav` } })) })
    case 'subscribeToTone':
      return o.subscribeToTone(base)
    case 'inviteParticipants':
      return o.inviteParticipants({ ...base, participants: [{ identity: { user: { id: `invitee-${clientContext}`, displayName: 'Invitee' } } }] })
  }
}

/** Runs one operation and records its outcome; resolves when it settled or was declared hung. */
export const runChaosOp = async (
  run: ChaosRun,
  script: { readonly callId: string },
  key: string,
  op: ChaosOp,
  participantIds: readonly string[],
  abortAfterMs: number | undefined,
): Promise<ActionResult | undefined> => {
  run.operations++
  run.pending.add(key)
  const startedAt = performance.now()
  const signal = abortAfterMs === undefined ? undefined : AbortSignal.timeout(abortAfterMs)
  const promise = send(run.orchestrator, op, script.callId, key, participantIds, signal)
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), run.timeouts[op.action] + SETTLE_GRACE_MS)
  })
  const settledOrHung = await Promise.race([promise, hung])
  clearTimeout(timer)
  if (settledOrHung === 'hung') {
    run.violations.push(`call ${script.callId}: ${op.action} ${key} did not settle within its timeout + ${SETTLE_GRACE_MS} ms`)
    return undefined
  }
  run.pending.delete(key)
  run.settled++
  const result = settledOrHung
  const tag = E.isRight(result) ? 'completed' : result.left._tag
  run.outcomes.set(tag, (run.outcomes.get(tag) ?? 0) + 1)
  const detail = `${op.action}${op.action === 'startHoldMusic' ? ` (${op.holdPolicy})` : ''} ${tag}${E.isLeft(result) ? ` ${result.left.message.replace(/[0-9a-f-]{36}|chaos-[0-9-]+|\d{4}-\d\d-\d\dT[0-9:.]+Z?/g, '…').slice(0, 70)}` : ''}`
  run.byAction.set(detail, (run.byAction.get(detail) ?? 0) + 1)
  if (E.isRight(result) && result.right.status !== 'completed') {
    run.violations.push(`call ${script.callId}: ${op.action} ${key} resolved Right with status ${result.right.status}`)
  }
  if (E.isLeft(result) && result.left._tag === 'OperationFailed' && isGraphHoldRefusal(result.left.resultInfo)) run.graphHoldRefusals++
  // The wall clock steps by an hour during the run: a timeout still lasts its time (the steady clock slews by 2 % at most).
  // (A hold joined to a pending hold of the same participant shares that one's deadline: not checked.)
  const took = performance.now() - startedAt
  const ownTimeout = E.isLeft(result) && result.left._tag === 'Timeout' && result.left.clientContext === key
  if (ownTimeout && took < run.timeouts[op.action] * 0.97 - 20) {
    run.violations.push(`call ${script.callId}: ${op.action} ${key} timed out after ${Math.round(took)} ms of its ${run.timeouts[op.action]} ms`)
  }
  // A bot that heard Timeout holds the same participant again; the first attempt may still end either
  // way. (Not after a queued hold's Timeout: it was still waiting in callops' queue, never sent.)
  if (tag === 'Timeout' && op.action === 'startHoldMusic' && op.holdPolicy !== 'queue' && !key.endsWith('-again')) {
    run.retries++
    return runChaosOp(run, script, `${key}-again`, op, participantIds, undefined)
  }
  return result
}
