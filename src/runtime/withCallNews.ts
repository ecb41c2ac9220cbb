import type { EffectRunner } from './createEffectRunner.js'
import type { EventPublisher } from './createEventPublisher.js'

/**
 * The effect runner, with the call machine's `call.news` published to subscribers (with the call's
 * id) in the order the machine emitted it; everything else goes to `effects` unchanged.
 */
export const withCallNews = (effects: EffectRunner, events: EventPublisher): EffectRunner => ({
  ...effects,
  run: (call, emitted) => {
    effects.run(call, emitted)
    if (!events.listening()) return
    for (const e of emitted) if (e.type === 'call.news') events.publish({ ...e.news, callId: call.callId })
  },
})
