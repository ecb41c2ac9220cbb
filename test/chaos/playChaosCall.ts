import * as E from 'fp-ts/lib/Either.js'
import { sleep, type ChaosRun } from './ChaosRun.js'
import type { ChaosScript } from './chaosScript.js'
import { checkHoldSlot } from './checkHoldSlot.js'
import { hangUpChaosCall } from './hangUpChaosCall.js'
import { runChaosOp } from './runChaosOp.js'

export const playChaosCall = async (run: ChaosRun, script: ChaosScript, index: number): Promise<void> => {
  const created = run.sim.createCall({
    callbackUrl: run.callbackUrl,
    callId: script.callId,
    group: true,
    participants: Array.from({ length: script.participants }, (_, i) => ({ displayName: `Customer ${i + 1}` })),
    faults: { retryAfterSeconds: script.retryAfterSeconds },
  })
  if (E.isLeft(created)) {
    run.violations.push(`call ${index}: the simulator refused it: ${created.left.message}`)
    return
  }
  run.callIds.push(script.callId)
  const participantIds = created.right.participants.map((p) => p.id)
  const registered = run.orchestrator.registerCall({ callId: script.callId, kind: 'group', holdPolicy: script.holdPolicy })
  if (E.isLeft(registered)) run.violations.push(`call ${script.callId}: registerCall refused: ${registered.left.message}`)
  let opIndex = 0
  for (const step of script.steps) {
    switch (step.kind) {
      case 'pause':
        await sleep(step.ms)
        break
      case 'leave': {
        // A Left only says the participant or the call is already gone.
        const id = participantIds[step.participant]
        if (id !== undefined) await run.sim.leave(script.callId, id)
        break
      }
      case 'ops': {
        const running: Promise<void>[] = []
        for (const { op, delayMs, abortAfterMs } of step.ops) {
          if (delayMs > 0) await sleep(delayMs)
          running.push(runChaosOp(run, script, `chaos-${index}-${opIndex++}`, op, participantIds, abortAfterMs).then(() => undefined))
        }
        if (step.hangUpDuring) running.push(sleep(2).then(() => hangUpChaosCall(run, script)))
        const leaving = step.leaveDuring === undefined ? undefined : participantIds[step.leaveDuring]
        if (leaving !== undefined) running.push(sleep(1).then(() => run.sim.leave(script.callId, leaving)).then(() => undefined))
        await Promise.all(running)
        break
      }
    }
  }
  if (script.hangUpAtEnd) {
    await checkHoldSlot(run, script, index, participantIds)
    await hangUpChaosCall(run, script)
  }
}
