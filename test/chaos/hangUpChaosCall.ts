import * as E from 'fp-ts/lib/Either.js'
import type { ChaosRun } from './ChaosRun.js'
import { recordHolds } from './recordHolds.js'

/** The far end hangs up a call (the simulator ends it), then the call's hold intervals are checked. */
export const hangUpChaosCall = async (run: ChaosRun, script: { readonly callId: string }): Promise<void> => {
  // The `terminated` notification is the one notification exempt from drops: without it callops
  // learns that the call ended only from its next keepAlive (15 minutes or more), far beyond a run
  // (see docs/reliability.md). The drop is drawn when hangUp starts, so it is restored at once.
  run.sim.setFaults({ dropRate: 0 }, script.callId)
  const ending = run.sim.hangUp(script.callId)
  run.sim.setFaults({ dropRate: run.faults.dropRate ?? 0 }, script.callId)
  // hangUp has already ended the call and closed its holds; read them now, before the simulator
  // forgets the call (it keeps only a few ended calls, so they do not count as a leak).
  const holds = run.sim.holds(script.callId)
  const ended = await ending
  if (E.isLeft(ended)) {
    run.violations.push(`call ${script.callId}: hang-up refused: ${ended.left.message}`)
    return
  }
  recordHolds(run, script.callId, holds)
}
