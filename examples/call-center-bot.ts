// A whole call-center call against the callops Graph simulator: a customer dials in, the bot
// answers, plays the IVR menu, collects a key and holds the caller with music. Key 1: it invites an
// agent, releases the hold and hangs up (Graph cannot transfer a call an invite made a group call).
// Key 2: it releases the hold and transfers the caller to the agent.
//
//   npx tsx examples/call-center-bot.ts        # the caller presses 1
//   npx tsx examples/call-center-bot.ts 2      # the caller presses 2
//
// In your own project, import from 'callops' and 'callops/simulator' instead of '../src/…'.

import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { collectDigits, createCallOrchestrator, type OrchestratorEvent } from '../src/index.js'
import { createSimulator } from '../src/simulator/index.js'

const sim = await createSimulator({ seed: 1 }) // a local stand-in for Graph's calls API
const orchestrator = createCallOrchestrator({
  graph: { baseUrl: sim.graphUrl, getToken: async () => 'simulator-token' },
  notificationAuth: { appId: sim.appId, openIdConfigUrl: sim.openIdConfigUrl },
})
const server = http.createServer(orchestrator.webhook).listen(0, '127.0.0.1')
await new Promise((resolve) => server.once('listening', resolve))
const callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`

const media = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } as const
const agent = { user: { id: '550fae72-d251-43ec-868c-373732c2704f', displayName: 'Heidi' } }
const wav = (name: string) => ({ mediaInfo: { uri: `https://bot.contoso.com/${name}.wav` } })
const say = (step: string, r: E.Either<{ readonly _tag: string }, unknown>): boolean => {
  console.log(`${step}: ${E.isRight(r) ? 'ok' : r.left._tag}`)
  return E.isRight(r)
}

/** The first event `pick` returns something for (listening from now on). */
const next = <T>(pick: (e: OrchestratorEvent) => T | undefined): Promise<T> =>
  new Promise((resolve) => {
    const stop = orchestrator.subscribe((e) => {
      const v = pick(e)
      if (v !== undefined) (stop(), resolve(v))
    })
  })

// The bot: everything starts from the `incoming` event.
const handleCall = async (callId: string): Promise<boolean> => {
  const joined = (match: (name: string) => boolean) =>
    next((e) => (e.type === 'participantJoined' && e.callId === callId && match(e.participant.displayName ?? '') ? e.participant.id : undefined))
  const callerJoined = joined((name) => name.startsWith('Dana'))
  if (!say('answer', await orchestrator.answer({ callId, body: { acceptedModalities: ['audio'], mediaConfig: media } }))) return false
  if (!say('subscribe to tones', await orchestrator.subscribeToTone({ callId }))) return false
  const key = collectDigits(orchestrator, { callId, count: 1, timeoutMs: 10_000 })
  if (!say('menu', await orchestrator.playPrompt({ callId, prompts: [wav('press-1-for-an-agent')] }))) return false
  const pressed = await key
  if (!say('key', pressed) || E.isLeft(pressed)) return false
  console.log(`the caller pressed ${pressed.right.tones.join()}`)
  const caller = await callerJoined

  if (!say('hold the caller', await orchestrator.startHoldMusic({ callId, participantId: caller, customPrompt: wav('on-hold') }))) return false
  if (pressed.right.tones[0] !== 'tone1') {
    // Key 2: release the caller and transfer her to the agent.
    if (!say('release the caller', await orchestrator.stopHoldMusic({ callId, participantId: caller }))) return false
    return say('transfer to the agent', await orchestrator.transfer({ callId, body: { transferTarget: { identity: agent } } }))
  }
  // Key 1: bring the agent into this call; the bot then leaves the two of them.
  const agentJoined = joined((name) => name === 'Heidi')
  if (!say('invite the agent', await orchestrator.inviteParticipants({ callId, participants: [{ identity: agent }] }))) return false
  const second = await orchestrator.startHoldMusic({ callId, participantId: await agentJoined })
  const refused = E.isLeft(second) && second.left._tag === 'HoldConflict'
  console.log(refused ? 'a second hold is refused: one participant on hold at a time' : 'unexpected: a second hold')
  if (!say('release the caller', await orchestrator.stopHoldMusic({ callId, participantId: caller }))) return false
  const transfer = await orchestrator.transfer({ callId, body: { transferTarget: { identity: agent } } })
  console.log(E.isLeft(transfer) ? `a transfer is refused: ${transfer.left._tag}` : 'unexpected: a transfer of a group call')
  return say('hang up', await orchestrator.hangUp({ callId })) && refused && E.isLeft(transfer)
}

const done = next((e) => (e.type === 'incoming' ? handleCall(e.callId) : undefined))
const ended = next((e) => (e.type === 'terminated' ? true : undefined))

// The customer: dials in, and presses a key once the menu has played.
const call = sim.ring({ callbackUrl, caller: { kind: 'phone', id: '+15550100', displayName: 'Dana' } })
if (E.isLeft(call)) throw new Error(call.left.message)
const tone = process.argv[2] === '2' ? 'tone2' : 'tone1'
void next((e) => (e.type === 'settled' && e.action === 'playPrompt' ? true : undefined)).then(() => sim.pressKeys(call.right.callId, [tone]))

const ok = (await done) && (await ended)
console.log(ok ? 'the call went as the rules say' : 'something went differently')
await orchestrator.close()
server.close()
await sim.close()
process.exitCode = ok ? 0 : 1
