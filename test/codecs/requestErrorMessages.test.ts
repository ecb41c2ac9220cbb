// What a bot developer reads when a request is refused before sending: the fix, in their terms.
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, describe, expect, it } from 'vitest'
import { createCallOrchestrator, type ActionResult } from '../../src/index.js'

// Nothing listens on port 9: a request that got past validation would fail as Http, not InvalidRequest.
const orchestrator = createCallOrchestrator({
  graph: { baseUrl: 'http://127.0.0.1:9/v1.0', getToken: async () => 'token', retry: { retries: 0 } },
  notificationAuth: false,
  keepAlive: false,
})
afterAll(() => orchestrator.close())

const refusal = (result: ActionResult) => {
  if (E.isRight(result) || result.left._tag !== 'InvalidRequest') throw new Error(`expected InvalidRequest, got ${JSON.stringify(result)}`)
  return result.left
}

// The public types refuse these requests; a bot written in JavaScript, or fed from JSON, sends them anyway.
type Untyped = never

describe('a refused request says what is allowed', () => {
  it('lists the DTMF tones when a tone is spelled as a digit', async () => {
    const error = refusal(await orchestrator.sendDtmfTones({ callId: 'call-1', tones: ['1' as Untyped] }))
    expect(error.path).toBe('tones.0')
    expect(error.message).toBe(
      'tones.0: expected a DTMF tone (one of "tone0", "tone1", "tone2", "tone3", "tone4", "tone5", "tone6", "tone7", "tone8", "tone9", "star", "pound", "a", "b", "c", "d", "flash"), got "1"',
    )
  })

  it('describes the prompts a playPrompt needs when they are missing, without a codec name', async () => {
    const error = refusal(await orchestrator.playPrompt({ callId: 'call-1' } as Untyped))
    expect(error.message).toBe('prompts: expected an array of 1 to 20 media prompts ({ mediaInfo: { uri } }), got undefined')
  })

  it('gives the bounds and the count of a list that is too long or empty', async () => {
    const tooMany = Array.from({ length: 21 }, () => ({ mediaInfo: { uri: 'https://bot.example/p.wav' } }))
    expect(refusal(await orchestrator.playPrompt({ callId: 'call-1', prompts: tooMany })).message).toBe(
      'prompts: expected an array of 1 to 20 media prompts ({ mediaInfo: { uri } }), got 21 items',
    )
    expect(refusal(await orchestrator.inviteParticipants({ callId: 'call-1', participants: [] })).message).toBe(
      'participants: expected an array of 1 to 5 invitees ({ identity }), got 0 items',
    )
  })

  it('gives the range and the value of a number out of range, and the choices of a status', async () => {
    const record = await orchestrator.recordResponse({ callId: 'call-1', maxRecordDurationInSeconds: 500 })
    expect(refusal(record).message).toBe('maxRecordDurationInSeconds: expected an integer from 1 to 120, got 500')
    const status = await orchestrator.updateRecordingStatus({ callId: 'call-1', status: 'on' as Untyped })
    expect(refusal(status).message).toBe('status: expected a recording status (one of "notRecording", "recording", "failed"), got "on"')
  })
})
