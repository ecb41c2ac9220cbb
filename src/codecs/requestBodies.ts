import * as t from 'io-ts'
import { ClientContext } from './ClientContext.js'
import { InvitationParticipantInfo } from './CommsOperation.js'
import { MediaPrompt } from './MediaPrompt.js'

// --- combinators

// The codecs' names are what a failed decode says was expected ("prompts: expected an array of 1
// to 20 media prompts …"), so they are written for the bot's developer, not as type names.

/** An array of `min` to `max` items: Graph bounds prompts, tones and invitees. */
export const sizedArray = <C extends t.Mixed>(item: C, min: number, max: number, items: string) => {
  const array = t.array(item)
  const name = `an array of ${min} to ${max} ${items}`
  return new t.Type<t.TypeOf<C>[], t.OutputOf<C>[], unknown>(
    name,
    (u): u is t.TypeOf<C>[] => array.is(u) && u.length >= min && u.length <= max,
    (u, c) => {
      if (Array.isArray(u) && (u.length < min || u.length > max)) {
        return t.failure(u, c, `expected ${name}, got ${u.length === 1 ? '1 item' : `${u.length} items`}`)
      }
      return array.validate(u, c)
    },
    array.encode,
  )
}

/** An integer from `min` to `max`, both included. */
export const integerIn = (min: number, max: number) =>
  new t.Type<number, number, unknown>(
    `an integer from ${min} to ${max}`,
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max,
    (u, c) => (typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max ? t.success(u) : t.failure(u, c)),
    (n) => n,
  )

const withClientContext = <P extends t.Props>(props: P, name: string) =>
  t.partial({ clientContext: ClientContext, ...props }, name)

// --- bodies

/** Body of actions that take only a clientContext (stopHoldMusic, unmute, mute, ...). */
export const EmptyBody = withClientContext({}, 'EmptyBody')
/** Body of actions that take only a clientContext. */
export type EmptyBody = t.TypeOf<typeof EmptyBody>

/** Body of `participant: startHoldMusic`. */
export const StartHoldMusicBody = withClientContext({ customPrompt: MediaPrompt }, 'StartHoldMusicBody')
/** Body of `participant: startHoldMusic`. */
export type StartHoldMusicBody = t.TypeOf<typeof StartHoldMusicBody>

/** Body of `call: playPrompt`: 1 to 20 prompts. */
export const PlayPromptBody = t.intersection(
  [t.type({ prompts: sizedArray(MediaPrompt, 1, 20, 'media prompts ({ mediaInfo: { uri } })') }), withClientContext({}, 'PlayPromptOptions')],
  'PlayPromptBody',
)
/** Body of `call: playPrompt`. */
export type PlayPromptBody = t.TypeOf<typeof PlayPromptBody>

const seconds = integerIn(1, 86_400)
/** Body of `call: recordResponse`. */
export const RecordResponseBody = withClientContext(
  {
    prompts: sizedArray(MediaPrompt, 0, 1, 'media prompts ({ mediaInfo: { uri } })'),
    bargeInAllowed: t.boolean,
    initialSilenceTimeoutInSeconds: seconds,
    maxSilenceTimeoutInSeconds: seconds,
    maxRecordDurationInSeconds: integerIn(1, 120),
    playBeep: t.boolean,
    stopTones: t.array(t.string),
  },
  'RecordResponseBody',
)
/** Body of `call: recordResponse`. */
export type RecordResponseBody = t.TypeOf<typeof RecordResponseBody>

const tones = {
  tone0: null, tone1: null, tone2: null, tone3: null, tone4: null, tone5: null, tone6: null, tone7: null,
  tone8: null, tone9: null, star: null, pound: null, a: null, b: null, c: null, d: null, flash: null,
} as const
/** A DTMF tone name (`tone0`…`tone9`, `star`, `pound`, `a`…`d`, `flash`). */
export const Tone = t.keyof(tones, 'a DTMF tone')
/** A DTMF tone name. */
export type Tone = t.TypeOf<typeof Tone>

/** Body of `call: sendDtmfTones`. */
export const SendDtmfTonesBody = t.intersection(
  [
    t.type({ tones: sizedArray(Tone, 1, 100, 'DTMF tones') }),
    withClientContext({ delayBetweenTonesMs: integerIn(0, 60_000) }, 'SendDtmfTonesOptions'),
  ],
  'SendDtmfTonesBody',
)
/** Body of `call: sendDtmfTones`. */
export type SendDtmfTonesBody = t.TypeOf<typeof SendDtmfTonesBody>

/** Body of `call: updateRecordingStatus`. */
export const UpdateRecordingStatusBody = t.intersection(
  [
    t.type({ status: t.keyof({ notRecording: null, recording: null, failed: null }, 'a recording status') }),
    withClientContext({}, 'UpdateRecordingStatusOptions'),
  ],
  'UpdateRecordingStatusBody',
)
/** Body of `call: updateRecordingStatus`. */
export type UpdateRecordingStatusBody = t.TypeOf<typeof UpdateRecordingStatusBody>

/** Body of `participant: invite`: 1 to 5 participants. */
export const InviteParticipantsBody = t.intersection(
  [
    t.type({ participants: sizedArray(InvitationParticipantInfo, 1, 5, 'invitees ({ identity })') }),
    withClientContext({}, 'InviteOptions'),
  ],
  'InviteParticipantsBody',
)
/** Body of `participant: invite`. */
export type InviteParticipantsBody = t.TypeOf<typeof InviteParticipantsBody>
