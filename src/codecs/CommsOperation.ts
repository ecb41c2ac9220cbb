import * as t from 'io-ts'
import { intersection, nullable } from './loopGuards.js'
import { IdentitySet } from './Participant.js'
import { OperationStatus } from './OperationStatus.js'
import { ResultInfo } from './ResultInfo.js'


const base = {
  '@odata.type': t.string,
  '@odata.id': t.string,
  '@odata.etag': t.string,
  /** `null` in the documented invite completion: only clientContext identifies it then. */
  id: nullable(t.string),
  status: OperationStatus,
  clientContext: nullable(t.string),
  resultInfo: nullable(ResultInfo),
}

/**
 * Graph's `commsOperation`, the common part of every operation subtype. Every field is optional
 * because notifications and answers are often shortened; `status` is normalised to lower case.
 */
export const CommsOperation = t.partial(base, 'CommsOperation')
/** A decoded commsOperation. */
export type CommsOperation = t.TypeOf<typeof CommsOperation>

const recordFields = {
  recordingLocation: nullable(t.string),
  recordingAccessToken: nullable(t.string),
  /** The names of the two fields above on the historical beta record page (`recordResponse`'s predecessor). */
  recordResourceLocation: nullable(t.string),
  recordResourceAccessToken: nullable(t.string),
}

/** `recordOperation` (recordResponse): where the recording is and the token to fetch it. */
export const RecordOperation = t.partial({ ...base, ...recordFields, completionReason: nullable(t.string) }, 'RecordOperation')
/** A decoded recordOperation. */
export type RecordOperation = t.TypeOf<typeof RecordOperation>

/** `sendDtmfTonesOperation`: `completionReason` is unknown, completedSuccessfully or mediaOperationCanceled. */
export const SendDtmfTonesOperation = t.partial({ ...base, completionReason: nullable(t.string) }, 'SendDtmfTonesOperation')
/** A decoded sendDtmfTonesOperation. */
export type SendDtmfTonesOperation = t.TypeOf<typeof SendDtmfTonesOperation>

/** `playPromptOperation` (`completionReason` exists in beta only, accepted when present). */
export const PlayPromptOperation = t.partial({ ...base, completionReason: nullable(t.string) }, 'PlayPromptOperation')
/** A decoded playPromptOperation. */
export type PlayPromptOperation = t.TypeOf<typeof PlayPromptOperation>

/** Graph's `invitationParticipantInfo`: one participant to invite. */
export const InvitationParticipantInfo = intersection(
  [
    t.type({ identity: IdentitySet }),
    t.partial({
      '@odata.type': t.string,
      replacesCallId: nullable(t.string),
      hidden: t.boolean,
      participantId: nullable(t.string),
      removeFromDefaultAudioRoutingGroup: t.boolean,
    }),
  ],
  'InvitationParticipantInfo',
)
/** One participant to invite. */
export type InvitationParticipantInfo = t.TypeOf<typeof InvitationParticipantInfo>

/** `inviteParticipantsOperation`: the participants that were invited. */
export const InviteParticipantsOperation = t.partial(
  { ...base, participants: t.array(InvitationParticipantInfo) },
  'InviteParticipantsOperation',
)
/** A decoded inviteParticipantsOperation. */
export type InviteParticipantsOperation = t.TypeOf<typeof InviteParticipantsOperation>

/** The operation subtypes of the catalog, by the name their `@odata.type` carries. */
export const operationCodecs = {
  startHoldMusicOperation: CommsOperation,
  stopHoldMusicOperation: CommsOperation,
  unmuteParticipantOperation: CommsOperation,
  muteParticipantOperation: CommsOperation,
  playPromptOperation: PlayPromptOperation,
  recordOperation: RecordOperation,
  sendDtmfTonesOperation: SendDtmfTonesOperation,
  subscribeToToneOperation: CommsOperation,
  cancelMediaProcessingOperation: CommsOperation,
  updateRecordingStatusOperation: CommsOperation,
  inviteParticipantsOperation: InviteParticipantsOperation,
  addLargeGalleryViewOperation: CommsOperation,
} as const
/** The name of an operation subtype, e.g. `startHoldMusicOperation`. */
export type OperationType = keyof typeof operationCodecs

/** Any operation subtype: the common fields plus every subtype's own, all optional. */
export const AnyOperation = t.partial(
  {
    ...base,
    completionReason: nullable(t.string),
    ...recordFields,
    participants: t.array(InvitationParticipantInfo),
  },
  'AnyOperation',
)
/** A decoded operation of any subtype. */
export type AnyOperation = t.TypeOf<typeof AnyOperation>

const prefix = '#microsoft.graph.'
/**
 * Tells the subtype of a decoded operation from its `@odata.type` (`#microsoft.graph.recordOperation`
 * → `recordOperation`); `undefined` when absent or not an operation of the catalog.
 */
export const operationTypeOf = (op: { readonly '@odata.type'?: string | undefined }): OperationType | undefined => {
  const odata = op['@odata.type']
  if (odata === undefined) return undefined
  const name = odata.startsWith(prefix) ? odata.slice(prefix.length) : odata.startsWith('microsoft.graph.') ? odata.slice(16) : odata
  return Object.prototype.hasOwnProperty.call(operationCodecs, name) ? (name as OperationType) : undefined
}
