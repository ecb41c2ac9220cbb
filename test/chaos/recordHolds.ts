import * as E from 'fp-ts/lib/Either.js'
import type { HoldInterval } from '../../src/simulator/index.js'
import type { ChaosRun } from './ChaosRun.js'
import { countOverlaps } from './chaosReport.js'

/**
 * Counts an ended call's hold intervals as the simulator recorded them (read once the call ended,
 * before the simulator forgets it): overlapping pairs and intervals still open are violations.
 */
export const recordHolds = (run: ChaosRun, callId: string, holds: E.Either<{ readonly message: string }, readonly HoldInterval[]>): void => {
  if (E.isLeft(holds)) {
    run.violations.push(`call ${callId}: holds not readable after hang-up: ${holds.left.message}`)
    return
  }
  run.holds += holds.right.length
  const overlaps = countOverlaps(holds.right)
  run.overlaps += overlaps
  if (overlaps > 0) run.violations.push(`call ${callId}: ${overlaps} overlapping hold intervals ${JSON.stringify(holds.right)}`)
  if (holds.right.some((h) => h.end === undefined)) run.violations.push(`call ${callId}: a hold interval is still open after hang-up`)
}
