import * as t from 'io-ts'
import { intersection, nullable } from './loopGuards.js'

const Identity = t.partial({ id: nullable(t.string), displayName: nullable(t.string), tenantId: nullable(t.string) })

// Graph spells an absent member `null` in some answers (the documented invite answer has
// `"application": null, "device": null, "phone": null`).
const NullableIdentity = nullable(Identity)

/**
 * Graph's `identitySet`: who a participant is (user, application, phone, ...). Unused members may
 * be `null`; `encrypted` is how a caller shows when the app may not see who calls. Members this
 * codec does not name are kept as they are (see `toIdentityList`).
 */
export const IdentitySet = t.partial(
  {
    user: NullableIdentity,
    application: NullableIdentity,
    device: NullableIdentity,
    phone: NullableIdentity,
    guest: NullableIdentity,
    applicationInstance: NullableIdentity,
    encrypted: NullableIdentity,
    onPremises: NullableIdentity,
  },
  'IdentitySet',
)
/** Who a participant is. */
export type IdentitySet = t.TypeOf<typeof IdentitySet>

const NullableIdentitySet = nullable(IdentitySet)

/** Graph's `participantInfo`. */
export const ParticipantInfo = t.partial(
  { identity: NullableIdentitySet, region: nullable(t.string), languageId: nullable(t.string) },
  'ParticipantInfo',
)
/** Details of a participant. */
export type ParticipantInfo = t.TypeOf<typeof ParticipantInfo>

/** Graph's `mediaStream` of a participant. */
export const MediaStream = t.partial(
  { mediaType: t.string, label: nullable(t.string), sourceId: t.string, direction: t.string, serverMuted: t.boolean },
  'MediaStream',
)
/** One media stream of a participant. */
export type MediaStream = t.TypeOf<typeof MediaStream>

/**
 * Graph's `participant` as roster notifications carry it. `id` is `null` for a participant an
 * invite is still bringing in (every participant-invite page prints it so).
 */
export const Participant = intersection(
  [
    t.type({ id: nullable(t.string) }),
    t.partial({
      '@odata.type': t.string,
      info: ParticipantInfo,
      mediaStreams: t.array(MediaStream),
      isMuted: t.boolean,
      isInLobby: t.boolean,
    }),
  ],
  'Participant',
)
/** A participant of a call. */
export type Participant = t.TypeOf<typeof Participant>
