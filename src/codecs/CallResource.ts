import * as t from 'io-ts'
import { nullable } from './loopGuards.js'
import { IdentitySet, ParticipantInfo } from './Participant.js'
import { ResultInfo } from './ResultInfo.js'
import { WireInteger } from './WireInteger.js'


/** Graph's `toneInfo`: one DTMF key after subscribeToTone. `tone` is kept as Graph spells it. */
export const ToneInfo = t.partial({ tone: nullable(t.string), sequenceId: nullable(WireInteger) }, 'ToneInfo')
/** A decoded toneInfo. */
export type ToneInfo = t.TypeOf<typeof ToneInfo>

/** Graph's `incomingContext`: on whose behalf and through whom a call came. */
export const IncomingContextResource = t.partial(
  {
    sourceParticipantId: nullable(t.string),
    observedParticipantId: nullable(t.string),
    onBehalfOf: nullable(IdentitySet),
    transferor: nullable(IdentitySet),
  },
  'IncomingContext',
)
/** A decoded incomingContext. */
export type IncomingContextResource = t.TypeOf<typeof IncomingContextResource>

/**
 * The parts of Graph's `call` resource that callops reads from call-state notifications. Call-state
 * notifications carry a partial call (often only `state`); every field is optional and unknown
 * fields pass. `state`, `direction`, `terminationReason` and `mediaState.audio` are strings, so a
 * value Graph adds later is kept, not refused.
 */
export const CallResource = t.partial(
  {
    '@odata.type': t.string,
    id: t.string,
    state: nullable(t.string),
    direction: nullable(t.string),
    /** Present for meetings and group calls: unmute is allowed there. */
    meetingInfo: nullable(t.UnknownRecord),
    chatInfo: nullable(t.UnknownRecord),
    resultInfo: nullable(ResultInfo),
    terminationReason: nullable(t.string),
    mediaState: nullable(t.partial({ audio: nullable(t.string) })),
    toneInfo: nullable(ToneInfo),
    /** The caller of an incoming call. */
    source: nullable(ParticipantInfo),
    /** Whom an incoming call is for (invitationParticipantInfo). */
    targets: nullable(t.array(ParticipantInfo)),
    incomingContext: nullable(IncomingContextResource),
    /** Opaque; its `botData.inviteReasons` tells a policy-based recording invite. */
    applicationMetadata: nullable(t.UnknownRecord),
  },
  'CallResource',
)
/** A decoded call resource. */
export type CallResource = t.TypeOf<typeof CallResource>
