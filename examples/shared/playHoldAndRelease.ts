// The little call-center scenario every example plays once its web server is up.

import * as E from 'fp-ts/lib/Either.js'
import type { CallOrchestrator } from '../../src/index.js'
import type { SimulatorTarget } from './simulatorTarget.js'

/**
 * Puts the first caller on hold, shows that a second hold is refused by the single-hold rule,
 * releases the first caller and hangs up. Resolves `true` when every step went as expected.
 */
export const playHoldAndRelease = async (orchestrator: CallOrchestrator, target: SimulatorTarget, callbackUrl: string): Promise<boolean> => {
  const { callId, participantIds } = await target.createCall(callbackUrl)
  const [alice, bob] = participantIds
  if (alice === undefined || bob === undefined) throw new Error('expected two callers')
  orchestrator.registerCall({ callId, kind: 'group' })

  const held = await orchestrator.startHoldMusic({ callId, participantId: alice })
  console.log(E.isRight(held) ? `Alice is on hold (operation ${held.right.id ?? '?'})` : `hold failed: ${held.left._tag} ${held.left.message}`)

  const second = await orchestrator.startHoldMusic({ callId, participantId: bob })
  const refused = E.isLeft(second) && second.left._tag === 'HoldConflict'
  console.log(refused ? 'Holding Bob too is refused: only one participant can be on hold' : 'unexpected: a second hold was not refused')

  const released = await orchestrator.stopHoldMusic({ callId, participantId: alice })
  console.log(E.isRight(released) ? 'Alice is back' : `release failed: ${released.left._tag} ${released.left.message}`)

  await target.hangUp(callId)
  return E.isRight(held) && refused && E.isRight(released)
}
