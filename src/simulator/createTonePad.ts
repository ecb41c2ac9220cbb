import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { decode } from '../codecs/decode.js'
import { Tone } from '../codecs/requestBodies.js'
import { invalidRequest } from '../domain/CallOpsError.js'
import type { SimulatorCore } from './createSimulatorCore.js'
import { stateSpec } from './lifecycleResources.js'
import type { SimCall } from './SimCall.js'
import { conflict, notFound } from './SimulatorError.js'
import type { SimulatorError } from './SimulatorError.js'
import type { NotificationSpec } from './spellNotification.js'

/**
 * Body of `POST /_sim/calls/{id}/tones`, and the input of `simulator.pressKeys`: 1 to 100 DTMF tones.
 *
 * @example
 * ```ts
 * // POST /_sim/calls/{id}/tones, once the bot's subscribeToTone has completed:
 * await fetch(`${sim.url}/_sim/calls/${callId}/tones`, { method: 'POST', body: JSON.stringify({ tones: ['tone1', 'pound'] } satisfies PressKeysInput) })
 * ```
 */
export const PressKeysInput = t.type({ tones: t.array(Tone) }, 'PressKeysInput')
/** Keys the caller presses. */
export type PressKeysInput = t.TypeOf<typeof PressKeysInput>

/**
 * One notified key press: its `toneInfo`.
 *
 * @example
 * ```ts
 * const pressed = await sim.pressKeys(callId, ['tone4', 'tone2'])
 * if (E.isRight(pressed)) console.log(pressed.right.map((p) => `${p.sequenceId}:${p.tone}`)) // ['1:tone4', '2:tone2']
 * ```
 */
export interface PressedTone {
  readonly sequenceId: number
  readonly tone: Tone
}

/** The caller's keypad: tones reach the bot as `updated` call notifications with `toneInfo` once it subscribed. */
export interface TonePad {
  /** Resolves once every tone's notification was posted (or dropped). */
  readonly press: (callId: string, input: unknown) => Promise<E.Either<SimulatorError, PressedTone[]>>
}

const toneSpec = (call: SimCall, pressed: PressedTone): NotificationSpec =>
  stateSpec(call, 'established', { toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: pressed.sequenceId, tone: pressed.tone } })

/**
 * Creates the keypad. Each tone is its own notification, as call-subscribetotone.md shows;
 * `toneReorderRate` swaps a tone with the next one, `toneRepeatRate` posts it twice.
 */
export const createTonePad = (core: SimulatorCore): TonePad => ({
  press: async (callId, raw) => {
    const call = core.get(callId)
    if (call === undefined || call.state === 'terminated') return E.left(notFound(`call ${callId} is not known to the simulator or has ended`))
    const decoded = decode(PressKeysInput, raw)
    if (E.isLeft(decoded)) return E.left(invalidRequest(decoded.left.message, decoded.left.path))
    const tones = decoded.right.tones
    if (tones.length < 1 || tones.length > 100) return E.left(invalidRequest('tones must hold 1 to 100 tones', 'tones'))
    // Graph sends tones only to a call that subscribed to them (and only with service-hosted media).
    if (!call.tonesSubscribed) return E.left(conflict(`call ${callId} has not subscribed to tones (subscribeToTone)`))
    if (call.state !== 'established') return E.left(conflict(`call ${callId} is ${call.state}, not established`))
    const faults = core.faultsOf(call)
    const pressed = tones.map((tone) => ({ sequenceId: ++call.toneSequence, tone }))
    const order = [...pressed]
    for (let i = 0; i + 1 < order.length; i++) {
      const a = order[i]
      const b = order[i + 1]
      if (a !== undefined && b !== undefined && call.rand.chance(faults.toneReorderRate)) {
        order[i] = b
        order[i + 1] = a
        i++
      }
    }
    const posts = order.flatMap((p) => (call.rand.chance(faults.toneRepeatRate) ? [p, p] : [p]))
    const delay = call.rand.between(faults.notificationLatencyMs)
    await Promise.all(posts.map((p) => core.notify(call, [toneSpec(call, p)], delay)))
    return E.right(pressed)
  },
})
