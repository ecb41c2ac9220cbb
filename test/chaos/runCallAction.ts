import * as E from 'fp-ts/lib/Either.js'
import type { CallActionName } from '../../src/domain/CallAction.js'
import type { ChaosRun } from './ChaosRun.js'

/** How long past its own timeout a call action may take to settle before it counts as hung (the orchestrator's backstop is 1 s). */
export const CALL_ACTION_GRACE_MS = 3_000

/** What a call action or a digit collection resolves with, as the chaos bot reads it. */
export type Settled<A> = E.Either<{ readonly _tag: string; readonly message: string }, A>

/**
 * Runs one call action (or `collectDigits`) of a whole call and records its outcome: it must settle,
 * exactly once, within its timeout plus {@link CALL_ACTION_GRACE_MS}, and a Left must carry one of
 * `expected` (anything else is a violation). Resolves with the outcome, or `undefined` when it hung.
 */
export const runCallAction = async <A>(
  run: ChaosRun,
  callId: string,
  action: CallActionName | 'collectDigits',
  key: string,
  timeoutMs: number,
  expected: readonly string[],
  start: () => Promise<Settled<A>>,
): Promise<Settled<A> | undefined> => {
  run.callActions++
  run.pendingCallActions.add(key)
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), timeoutMs + CALL_ACTION_GRACE_MS)
  })
  const result = await Promise.race([start(), hung])
  clearTimeout(timer)
  if (result === 'hung') {
    run.violations.push(`call ${callId}: ${action} ${key} did not settle within its ${timeoutMs} ms + ${CALL_ACTION_GRACE_MS} ms`)
    return undefined
  }
  run.pendingCallActions.delete(key)
  run.callActionsSettled++
  const tag = E.isRight(result) ? 'ok' : result.left._tag
  const name = `${action} ${tag}`
  run.callActionOutcomes.set(name, (run.callActionOutcomes.get(name) ?? 0) + 1)
  if (E.isLeft(result) && !expected.includes(tag)) run.violations.push(`call ${callId}: ${action} ${key} ended ${tag}, not one of ${expected.join(', ')}: ${result.left.message}`)
  return result
}
