import * as E from 'fp-ts/lib/Either.js'
import type { Identity } from '../domain/Identity.js'
import type { IncomingCall } from '../domain/IncomingCall.js'
import { canonicalId } from '../domain/canonicalId.js'
import type { CallActionAnswer } from '../orchestrator/CallActionMethods.js'
import type { ActionResult, CallOrchestrator } from '../orchestrator/CallOrchestrator.js'
import { collectDigits, type CollectDigitsFailure, type DigitsCollected } from '../orchestrator/collectDigits.js'
import type { RosterEntry } from '../domain/CallNotice.js'
import { nextEvent } from './nextEvent.js'

/** The steps of the bot, in order; the demo's world is told each before the bot takes it. */
export type BotStep = 'answer' | 'menu' | 'collect' | 'hold' | 'invite' | 'secondHold' | 'release' | 'refusedTransfer' | 'transfer' | 'hangUp'

/** What happened to one call, step by step: the demo checks it against the rules. */
export interface CallRecord {
  readonly callId: string
  readonly incoming: IncomingCall
  answered?: CallActionAnswer
  subscribed?: ActionResult
  prompted?: ActionResult
  digits?: E.Either<CollectDigitsFailure, DigitsCollected>
  caller?: RosterEntry | undefined
  held?: ActionResult
  invited?: ActionResult
  agent?: RosterEntry | undefined
  secondHold?: ActionResult
  released?: ActionResult
  /** Key 1: a transfer asked after the invite made the call a group call (refused before anything is sent). */
  refusedTransfer?: CallActionAnswer
  ended?: { readonly how: 'transfer' | 'hangUp'; readonly answer: CallActionAnswer }
  terminated?: boolean
  /** The bot stopped early: why. */
  stopped?: string
}

/** The callops demo's call-center bot, and where its calls' records come out. */
export interface CallCenterBot {
  /** The record of `callId` once the bot is done with it (it rang, or it never rings: after `ms`, `undefined`). */
  finished(callId: string, ms?: number): Promise<CallRecord | undefined>
  stop(): void
}

const serviceHosted = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } as const
const prompt = (name: string) => ({ mediaInfo: { uri: `https://bot.contoso.com/${name}.wav` } })
/** The agent the demo's call center has on duty. */
export const AGENT = { user: { id: '550fae72-d251-43ec-868c-373732c2704f', displayName: 'Heidi (agent)' } } as const
const WAIT_MS = 10_000

const isApplication = (p: RosterEntry): boolean => p.identity?.some((i: Identity) => i.kind === 'application') === true

/**
 * A call-center bot on the orchestrator: on each `incoming` event it answers, plays the menu and
 * collects one key, and holds the caller with music. Key 1: it invites the agent into the call (a
 * second hold meanwhile shows the single-hold rule), releases the caller, is refused a transfer
 * (Graph cannot transfer a call an invite made a group call) and leaves the caller with the agent by
 * hanging up. Any other key: it releases the caller and transfers her to the agent. `before` is awaited before each step: the demo narrates, sets Graph's
 * faults and plays the caller there.
 */
export const startCallCenterBot = (orchestrator: CallOrchestrator, before: (callId: string, step: BotStep) => Promise<void>): CallCenterBot => {
  const done = new Map<string, Promise<CallRecord>>()
  const waiting = new Map<string, (r: CallRecord) => void>()
  const same = (a: string) => (b: string) => canonicalId(a) === canonicalId(b)

  // The roster may have told of the participant before the bot asks: look there first, then wait.
  const participant = (callId: string, match: (p: RosterEntry) => boolean): Promise<RosterEntry | undefined> => {
    const next = nextEvent(orchestrator, (e) => (e.type === 'participantJoined' && same(callId)(e.callId) && match(e.participant) ? e.participant : undefined), WAIT_MS)
    const known = orchestrator.getCall(callId)?.roster.find(match)
    return known === undefined ? next : Promise.resolve(known)
  }

  const play = async (r: CallRecord): Promise<CallRecord> => {
    const { callId } = r
    const ended = nextEvent(orchestrator, (e) => (e.type === 'terminated' && same(callId)(e.callId) ? true : undefined), 3 * WAIT_MS)
    const callerJoined = participant(callId, (p) => !isApplication(p))
    await before(callId, 'answer')
    r.answered = await orchestrator.answer({ callId, body: { acceptedModalities: ['audio'], mediaConfig: serviceHosted } })
    if (E.isLeft(r.answered)) return { ...r, stopped: 'not answered' }

    await before(callId, 'menu')
    r.subscribed = await orchestrator.subscribeToTone({ callId })
    // Listening before the prompt plays: a caller who knows the menu presses early.
    const digit = collectDigits(orchestrator, { callId, count: 1, timeoutMs: WAIT_MS })
    r.prompted = await orchestrator.playPrompt({ callId, prompts: [prompt('menu')] })
    await before(callId, 'collect')
    r.digits = await digit
    r.caller = await callerJoined
    if (E.isLeft(r.digits) || r.caller === undefined) return { ...r, stopped: 'no key or no caller' }
    const caller = r.caller.id

    await before(callId, 'hold')
    r.held = await orchestrator.startHoldMusic({ callId, participantId: caller, customPrompt: prompt('onHold') })

    const conference = r.digits.right.tones[0] === 'tone1'
    if (conference) {
      await before(callId, 'invite')
      const agentJoined = participant(callId, (p) => p.identity?.some((i) => i.id === AGENT.user.id) === true)
      r.invited = await orchestrator.inviteParticipants({ callId, participants: [{ identity: AGENT }] })
      r.agent = await agentJoined
      if (r.agent !== undefined) {
        await before(callId, 'secondHold')
        r.secondHold = await orchestrator.startHoldMusic({ callId, participantId: r.agent.id })
      }
    }

    await before(callId, 'release')
    r.released = await orchestrator.stopHoldMusic({ callId, participantId: caller })

    if (conference) {
      await before(callId, 'refusedTransfer')
      r.refusedTransfer = await orchestrator.transfer({ callId, body: { transferTarget: { identity: AGENT } } })
    }
    const how = conference ? 'hangUp' : 'transfer'
    await before(callId, how)
    const answer = how === 'transfer' ? await orchestrator.transfer({ callId, body: { transferTarget: { identity: AGENT } } }) : await orchestrator.hangUp({ callId })
    r.ended = { how, answer }
    r.terminated = (await ended) === true
    return r
  }

  const recordOf = (callId: string): Promise<CallRecord> => {
    const known = done.get(canonicalId(callId))
    if (known !== undefined) return known
    const p = new Promise<CallRecord>((resolve) => waiting.set(canonicalId(callId), resolve))
    done.set(canonicalId(callId), p)
    return p
  }

  const unsubscribe = orchestrator.subscribe((e) => {
    if (e.type !== 'incoming') return
    void recordOf(e.callId)
    const resolve = waiting.get(canonicalId(e.callId))
    waiting.delete(canonicalId(e.callId))
    void play({ callId: e.callId, incoming: e.incoming }).then((r) => resolve?.(r))
  })

  return {
    finished: (callId, ms = 5 * WAIT_MS) =>
      Promise.race([recordOf(callId), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref())]),
    stop: unsubscribe,
  }
}
