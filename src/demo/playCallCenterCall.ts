import * as E from 'fp-ts/lib/Either.js'
import type { SimulatorFaults } from '../simulator/SimulatorFaults.js'
import type { Simulator } from '../simulator/index.js'
import type { Tone } from '../codecs/requestBodies.js'
import type { BotStep, CallCenterBot, CallRecord } from './callCenterBot.js'
import type { TimelineEntry } from './timeline.js'

/** What the demo gives each call it plays. */
export interface CallScene {
  readonly sim: Simulator
  readonly bot: CallCenterBot
  readonly callbackUrl: string
  /** Where the bot's `before(callId, step)` finds this call's script. */
  readonly scripts: Map<string, (step: BotStep) => Promise<void>>
  readonly started: number
  readonly names: Map<string, string>
  readonly emit: (e: TimelineEntry) => void
  readonly verbose: (callId: string) => boolean
  readonly tally: { holds: number; overlaps: number; transferred: number; hungUp: number }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const until = async (predicate: () => boolean, ms: number): Promise<boolean> => {
  const end = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > end) return false
    await sleep(2)
  }
  return true
}

const NARRATION: Readonly<Record<BotStep, string>> = {
  answer: 'The bot hears the call ring (incoming event) and answers; Graph posts established before establishing',
  menu: 'The bot subscribes to tones and plays the IVR menu: "press 1 to talk to an agent now, 2 to be transferred to the agent line"',
  collect: 'The caller presses a key',
  hold: 'The caller waits on hold with music; Graph sends the hold notification twice',
  invite: 'The bot invites the agent while the caller waits; Graph throttles the first try with a 429',
  secondHold: 'A second hold (the agent) while the caller holds the slot: refused by the single-hold rule, no HTTP request sent',
  release: 'The bot releases the caller (her notification beats the HTTP answer)',
  refusedTransfer: 'Key 1: a transfer now is refused before anything is sent: the invite made this a group call, which Graph cannot transfer',
  transfer: 'Key 2: the bot transfers the caller to the agent and leaves the call',
  hangUp: 'Key 1: the caller talks with the agent; the bot hangs up',
}

/**
 * Plays one call-center call: the customer dials in (the simulator rings the bot), presses
 * `tone1` (even `index`) or `tone2`, and Graph's faults come and go around the bot's steps.
 * Resolves what went differently from the rules.
 */
export const playCallCenterCall = async (scene: CallScene, index: number): Promise<string[]> => {
  const { sim } = scene
  const key: Tone = index % 2 === 0 ? 'tone1' : 'tone2'
  const phone = `+1555010${String(index % 1000).padStart(3, '0')}`
  const rung = sim.ring({ callbackUrl: scene.callbackUrl, caller: { kind: 'phone', id: phone, displayName: 'Dana (customer)' }, faults: { establishedFirst: 1 } })
  if (E.isLeft(rung)) return [`could not ring call ${index}: ${rung.left.message}`]
  const { callId } = rung.right
  for (const p of rung.right.participants) scene.names.set(p.id, p.displayName.replace(/ \(.*\)$/, ''))
  const problems: string[] = []
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(`call ${callId}: ${what}`)
  }
  const faults = (f: SimulatorFaults) => void sim.setFaults(f, callId)
  const requestsFor = () => sim.requests().filter((r) => r.callId === callId)
  let sentBeforeSecondHold: number | undefined
  let sentBeforeTransfer: number | undefined
  let refusedTransferSent = false
  let throttled: Promise<boolean> = Promise.resolve(false)

  scene.scripts.set(callId, async (step) => {
    if (scene.verbose(callId)) scene.emit({ t: Date.now() - scene.started, callId, what: `▶ ${NARRATION[step]}` })
    switch (step) {
      case 'collect': {
        const pressed = await sim.pressKeys(callId, [key])
        expect(E.isRight(pressed), `the simulator should let the caller press ${key}`)
        return
      }
      case 'hold':
        return faults({ duplicateRate: 1 })
      case 'invite':
        faults({ duplicateRate: 0, throttleRate: 1, retryAfterSeconds: 1 })
        throttled = until(() => requestsFor().some((r) => r.status === 429), 5_000).then((seen) => (faults({ throttleRate: 0 }), seen))
        return
      case 'secondHold':
        sentBeforeSecondHold = requestsFor().length
        return
      case 'release':
        expect(sentBeforeSecondHold === undefined || requestsFor().length === sentBeforeSecondHold, 'the refused hold must not reach Graph')
        return faults({ notifyBeforeAnswer: 1 })
      case 'refusedTransfer':
        sentBeforeTransfer = requestsFor().length
        return faults({ notifyBeforeAnswer: 0 })
      case 'hangUp':
        refusedTransferSent = sentBeforeTransfer !== undefined && requestsFor().length !== sentBeforeTransfer
        return faults({ notifyBeforeAnswer: 0 })
      case 'transfer':
        return faults({ notifyBeforeAnswer: 0 })
      default:
        return
    }
  })

  const record = await scene.bot.finished(callId)
  scene.scripts.delete(callId)
  if (record === undefined) return [`call ${callId}: the bot never heard it ring (no incoming event)`]
  await sim.idle()
  check(record, { key, phone, throttled: await throttled }, expect)
  expect(!refusedTransferSent, 'the refused transfer must not reach Graph')
  const ended = sim.call(callId)
  expect(E.isRight(ended) && ended.right.state === 'terminated', 'the simulator should show the call terminated')
  if (record.ended?.how === 'transfer') scene.tally.transferred++
  if (record.ended?.how === 'hangUp') scene.tally.hungUp++
  const holds = sim.holds(callId)
  if (E.isRight(holds)) {
    const spans = holds.right
    scene.tally.holds += spans.length
    expect(spans.length === 1 && spans[0]?.participantId === record.caller?.id && spans[0]?.end !== undefined, `one hold of the caller, ended, expected; the simulator recorded ${spans.length}`)
    for (let i = 1; i < spans.length; i++) {
      const prev = spans[i - 1]
      const cur = spans[i]
      if (prev === undefined || cur === undefined || (prev.end !== undefined && prev.end <= cur.start)) continue
      scene.tally.overlaps++
      expect(false, 'the simulator recorded overlapping holds')
    }
  }
  return problems
}

const tagOf = (r: E.Either<{ readonly _tag: string }, unknown> | undefined): string => (r === undefined ? 'not done' : E.isLeft(r) ? r.left._tag : 'Right')

/** Each step's outcome as the rules say it must be. */
const check = (r: CallRecord, want: { readonly key: Tone; readonly phone: string; readonly throttled: boolean }, expect: (ok: boolean, what: string) => void): void => {
  expect(r.incoming.caller.some((i) => i.kind === 'phone' && i.id === want.phone), `the incoming event should name the caller ${want.phone}`)
  expect(r.answered !== undefined && E.isRight(r.answered) && r.answered.right.state === 'established', `answer should resolve on established, got ${tagOf(r.answered)}`)
  expect(r.subscribed !== undefined && E.isRight(r.subscribed), `subscribeToTone should complete, got ${tagOf(r.subscribed)}`)
  expect(r.prompted !== undefined && E.isRight(r.prompted), `the menu prompt should play, got ${tagOf(r.prompted)}`)
  expect(r.digits !== undefined && E.isRight(r.digits) && r.digits.right.tones.join() === want.key, `the bot should collect ${want.key}`)
  expect(r.caller !== undefined, 'the caller should show in the roster')
  expect(r.held !== undefined && E.isRight(r.held), `holding the caller should complete, got ${tagOf(r.held)}`)
  const conference = want.key === 'tone1'
  if (conference) {
    expect(r.invited !== undefined && E.isRight(r.invited), `inviting the agent should complete, got ${tagOf(r.invited)}`)
    expect(want.throttled, 'the first invite should have been throttled')
    expect(r.agent !== undefined, 'the agent should join the call')
    expect(r.secondHold !== undefined && E.isLeft(r.secondHold) && r.secondHold.left._tag === 'HoldConflict', `a second hold while the caller is on hold should be a HoldConflict, got ${tagOf(r.secondHold)}`)
    expect(r.refusedTransfer !== undefined && E.isLeft(r.refusedTransfer) && r.refusedTransfer.left._tag === 'InvalidRequest', `a transfer after the invite should be refused InvalidRequest, got ${tagOf(r.refusedTransfer)}`)
  } else {
    expect(r.invited === undefined && r.secondHold === undefined, 'key 2 transfers without inviting')
  }
  expect(r.released !== undefined && E.isRight(r.released), `releasing the caller should complete, got ${tagOf(r.released)}`)
  const how = conference ? 'hangUp' : 'transfer'
  const state = how === 'transfer' ? 'transferaccepted' : 'terminated'
  const ended = r.ended
  expect(ended?.how === how && E.isRight(ended.answer) && ended.answer.right.state === state, `key ${want.key} should end in a ${how} that resolves on ${state}, got ${ended?.how ?? 'nothing'} ${tagOf(ended?.answer)}`)
  expect(r.terminated === true, 'the bot should hear the call terminate')
  if (r.stopped !== undefined) expect(false, `the bot stopped early: ${r.stopped}`)
}
