import * as t from 'io-ts'
import { intersection, union } from './loopGuards.js'

const Identity = t.partial({ id: union([t.string, t.null]), displayName: union([t.string, t.null]), tenantId: union([t.string, t.null]) })

// Graph spells an absent member `null` in some answers (the documented invite answer has
// `"application": null, "device": null, "phone": null`).
const NullableIdentity = union([Identity, t.null])

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

const NullableIdentitySet = union([IdentitySet, t.null])

/** Graph's `participantInfo`. */
export const ParticipantInfo = t.partial(
  { identity: NullableIdentitySet, region: union([t.string, t.null]), languageId: union([t.string, t.null]) },
  'ParticipantInfo',
)
/** Details of a participant. */
export type ParticipantInfo = t.TypeOf<typeof ParticipantInfo>

/** Graph's `mediaStream` of a participant. */
export const MediaStream = t.partial(
  { mediaType: t.string, label: union([t.string, t.null]), sourceId: t.string, direction: t.string, serverMuted: t.boolean },
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
    t.type({ id: union([t.string, t.null]) }),
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
