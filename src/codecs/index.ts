export { decode } from './decode.js'
export type { DecodeError } from './decode.js'
export { ClientContext } from './ClientContext.js'
export { OperationStatus } from './OperationStatus.js'
export { ResultInfo } from './ResultInfo.js'
export { MediaInfo, MediaPrompt } from './MediaPrompt.js'
export { IdentitySet, MediaStream, Participant, ParticipantInfo } from './Participant.js'
export {
  AnyOperation,
  CommsOperation,
  InvitationParticipantInfo,
  InviteParticipantsOperation,
  PlayPromptOperation,
  RecordOperation,
  SendDtmfTonesOperation,
  operationCodecs,
  operationTypeOf,
} from './CommsOperation.js'
export type { OperationType } from './CommsOperation.js'
export { CallResource, IncomingContextResource, ToneInfo } from './CallResource.js'
export { ChangeType, CommsNotification, CommsNotificationEnvelope, CommsNotifications } from './CommsNotification.js'
export { isLegacyNotification } from './isLegacyNotification.js'
export { WireInteger } from './WireInteger.js'
export { toIdentityList } from './toIdentityList.js'
export { ANSWER_WINDOW_MS, POLICY_RECORDING_ANSWER_WINDOW_MS, isPolicyRecordingInvite, toIncomingCall } from './toIncomingCall.js'
export { toCallStateDetail, toToneReceived } from './toCallStateDetail.js'
export { toRosterEntry } from './toRosterEntry.js'
export { GraphErrorBody } from './GraphErrorBody.js'
export {
  EmptyBody,
  InviteParticipantsBody,
  PlayPromptBody,
  RecordResponseBody,
  SendDtmfTonesBody,
  StartHoldMusicBody,
  Tone,
  UpdateRecordingStatusBody,
} from './requestBodies.js'
