import * as t from 'io-ts'
import { ClientContext } from './ClientContext.js'
import { InvitationParticipantInfo } from './CommsOperation.js'
import { IdentitySet, ParticipantInfo } from './Participant.js'
import { integerIn, sizedArray } from './requestBodies.js'

// The bodies of the call actions that are not commsOperations (answer, reject, redirect, transfer,
// POST /communications/calls), as call-answer.md, call-reject.md, call-redirect.md,
// call-transfer.md and application-post-calls.md print them. The client checks a body with these
// and sends it as given: fields not named here go to Graph untouched.

const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null])

// --- media

/** One media file Graph fetches before the call starts (`mediaInfo` of `preFetchMedia`). */
export const PreFetchMedia = t.intersection(
  [t.type({ uri: t.string }), t.partial({ '@odata.type': t.string, resourceId: t.string })],
  'PreFetchMedia',
)
/**
 * One media file Graph fetches before the call starts.
 *
 * @example
 * ```ts
 * const media: PreFetchMedia = { uri: 'https://bot.example/welcome.wav', resourceId: 'welcome' }
 * ```
 */
export type PreFetchMedia = t.TypeOf<typeof PreFetchMedia>

/** Graph hosts the media (prompts, tones, recording): `serviceHostedMediaConfig`. */
export const ServiceHostedMediaConfig = t.intersection(
  [
    t.type({ '@odata.type': t.literal('#microsoft.graph.serviceHostedMediaConfig') }),
    t.partial({ preFetchMedia: t.array(PreFetchMedia), removeFromDefaultAudioGroup: t.boolean }),
  ],
  'ServiceHostedMediaConfig',
)
/**
 * Graph hosts the media: prompts, tones and recordings work (tones need it).
 *
 * @example
 * ```ts
 * const media: ServiceHostedMediaConfig = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig', preFetchMedia: [{ uri: 'https://bot.example/hold.wav', resourceId: 'hold' }] }
 * ```
 */
export type ServiceHostedMediaConfig = t.TypeOf<typeof ServiceHostedMediaConfig>

/** The bot hosts the media (the Real-time Media SDK's session blob): `appHostedMediaConfig`. */
export const AppHostedMediaConfig = t.intersection(
  [
    t.type({ '@odata.type': t.literal('#microsoft.graph.appHostedMediaConfig') }),
    t.partial({ blob: t.string, removeFromDefaultAudioGroup: t.boolean }),
  ],
  'AppHostedMediaConfig',
)
/**
 * The bot hosts the media.
 *
 * @example
 * ```ts
 * const media: AppHostedMediaConfig = { '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: mediaSession.getMediaConfiguration() }
 * ```
 */
export type AppHostedMediaConfig = t.TypeOf<typeof AppHostedMediaConfig>

/** `mediaConfig` of answer and of a new call: service-hosted or app-hosted, told apart by `@odata.type`. */
export const MediaConfig = t.union(
  [ServiceHostedMediaConfig, AppHostedMediaConfig],
  'a mediaConfig ({ "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" } or appHostedMediaConfig)',
)
/**
 * `mediaConfig` of answer and of a new call.
 *
 * @example
 * ```ts
 * const media: MediaConfig = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' }
 * ```
 */
export type MediaConfig = t.TypeOf<typeof MediaConfig>

/** A modality of a call (`audio` is the one service-hosted media serves). */
export const Modality = t.keyof(
  { audio: null, video: null, videoBasedScreenSharing: null, data: null, unknown: null, unknownFutureValue: null },
  'a modality',
)
/**
 * A modality of a call.
 *
 * @example
 * ```ts
 * const modalities: Modality[] = ['audio']
 * ```
 */
export type Modality = t.TypeOf<typeof Modality>

/** `callOptions` of answer and of a new call (contrib: hideBotAfterEscalation, isContentSharingNotificationEnabled). */
export const CallOptions = t.partial(
  { '@odata.type': t.string, hideBotAfterEscalation: t.boolean, isContentSharingNotificationEnabled: t.boolean, isDeltaRosterEnabled: t.boolean },
  'CallOptions',
)
/**
 * `callOptions` of answer and of a new call.
 *
 * @example
 * ```ts
 * const callOptions: CallOptions = { hideBotAfterEscalation: true }
 * ```
 */
export type CallOptions = t.TypeOf<typeof CallOptions>

// --- answer, reject, redirect

/** Body of `call: answer`: accept an incoming call within its answer deadline. */
export const AnswerBody = t.intersection(
  [
    t.type({ acceptedModalities: sizedArray(Modality, 1, 4, 'modalities'), mediaConfig: MediaConfig }),
    t.partial({ callbackUri: t.string, participantCapacity: integerIn(0, 2_147_483_647), callOptions: CallOptions }),
  ],
  'AnswerBody',
)
/**
 * Body of `call: answer`.
 *
 * @example
 * ```ts
 * const body: AnswerBody = {
 *   acceptedModalities: ['audio'],
 *   mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig', preFetchMedia: [{ uri: 'https://bot.example/welcome.wav', resourceId: 'welcome' }] },
 *   callbackUri: 'https://bot.example/api/calls',
 * }
 * await graph.answer(callId, body)()
 * ```
 */
export type AnswerBody = t.TypeOf<typeof AnswerBody>

/** Why the bot rejects a call (the docs write None/Busy/Forbidden; the examples send lower case). */
export const RejectReason = t.keyof({ none: null, busy: null, forbidden: null, unknownFutureValue: null }, 'a reject reason')
/**
 * Why the bot rejects a call.
 *
 * @example
 * ```ts
 * const reason: RejectReason = 'forbidden'
 * ```
 */
export type RejectReason = t.TypeOf<typeof RejectReason>

/** Body of `call: reject`: decline an incoming call. */
export const RejectBody = t.partial({ reason: RejectReason, callbackUri: t.string }, 'RejectBody')
/**
 * Body of `call: reject`.
 *
 * @example
 * ```ts
 * const body: RejectBody = { reason: 'busy' }
 * await graph.reject(callId, body)()
 * ```
 */
export type RejectBody = t.TypeOf<typeof RejectBody>

/** Body of `call: redirect`: ring 1 to 25 targets at once instead of answering; timeout 15 to 90 seconds. */
export const RedirectBody = t.intersection(
  [
    t.type({ targets: sizedArray(InvitationParticipantInfo, 1, 25, 'redirect targets ({ identity })') }),
    t.partial({ timeout: integerIn(15, 90), callbackUri: t.string }),
  ],
  'RedirectBody',
)
/**
 * Body of `call: redirect`.
 *
 * @example
 * ```ts
 * const body: RedirectBody = { targets: [{ identity: { user: { id: agentId } } }], timeout: 30 }
 * await graph.redirect(callId, body)()
 * ```
 */
export type RedirectBody = t.TypeOf<typeof RedirectBody>

// --- transfer

/** The participant of a group call to transfer (`participantInfo` with its `participantId`). */
export const Transferee = t.intersection([ParticipantInfo, t.partial({ participantId: t.string })], 'Transferee')
/**
 * The participant of a group call to transfer.
 *
 * @example
 * ```ts
 * const transferee: Transferee = { identity: { user: { id: callerId } }, participantId }
 * ```
 */
export type Transferee = t.TypeOf<typeof Transferee>

/**
 * Body of `call: transfer`: blind, or consultative when `transferTarget.replacesCallId` names the
 * call with the target; `transferee` only when transferring out of a group call.
 */
export const TransferBody = t.intersection(
  [t.type({ transferTarget: InvitationParticipantInfo }), t.partial({ transferee: Transferee, clientContext: ClientContext })],
  'TransferBody',
)
/**
 * Body of `call: transfer`.
 *
 * @example
 * ```ts
 * // blind
 * const blind: TransferBody = { transferTarget: { identity: { user: { id: agentId } } } }
 * // consultative: the bot's call with the agent replaces this one
 * const consultative: TransferBody = { transferTarget: { identity: { user: { id: agentId } }, replacesCallId: agentCallId } }
 * await graph.transfer(callId, blind)()
 * ```
 */
export type TransferBody = t.TypeOf<typeof TransferBody>

// --- a new call

/** `chatInfo` of a meeting to join. */
export const ChatInfo = t.intersection(
  [t.type({ threadId: t.string }), t.partial({ '@odata.type': t.string, messageId: nullable(t.string), replyChainMessageId: nullable(t.string) })],
  'ChatInfo',
)
/**
 * `chatInfo` of a meeting to join (from its join URL).
 *
 * @example
 * ```ts
 * const chatInfo: ChatInfo = { threadId: '19:meeting_xyz@thread.v2', messageId: '0' }
 * ```
 */
export type ChatInfo = t.TypeOf<typeof ChatInfo>

/** `organizerMeetingInfo`: joins with `chatInfo`, naming the organizer. */
export const OrganizerMeetingInfo = t.intersection(
  [
    t.type({ '@odata.type': t.literal('#microsoft.graph.organizerMeetingInfo'), organizer: IdentitySet }),
    t.partial({ allowConversationWithoutHost: t.boolean }),
  ],
  'OrganizerMeetingInfo',
)
/** `tokenMeetingInfo`: joins with the meeting's token alone. */
export const TokenMeetingInfo = t.type({ '@odata.type': t.literal('#microsoft.graph.tokenMeetingInfo'), token: t.string }, 'TokenMeetingInfo')
/** `joinMeetingIdMeetingInfo` (contrib): joins with the meeting id and passcode. */
export const JoinMeetingIdMeetingInfo = t.intersection(
  [
    t.type({ '@odata.type': t.literal('#microsoft.graph.joinMeetingIdMeetingInfo'), joinMeetingId: t.string }),
    t.partial({ passcode: nullable(t.string) }),
  ],
  'JoinMeetingIdMeetingInfo',
)
/** How to find the meeting to join: organizer (with chatInfo), token, or join meeting id. */
export const MeetingInfo = t.union([OrganizerMeetingInfo, TokenMeetingInfo, JoinMeetingIdMeetingInfo], 'a meetingInfo (organizerMeetingInfo, tokenMeetingInfo or joinMeetingIdMeetingInfo)')
/**
 * How to find the meeting to join.
 *
 * @example
 * ```ts
 * const byToken: MeetingInfo = { '@odata.type': '#microsoft.graph.tokenMeetingInfo', token: meetingToken }
 * const byOrganizer: MeetingInfo = { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { user: { id: organizerId, tenantId } } }
 * ```
 */
export type MeetingInfo = t.TypeOf<typeof MeetingInfo>

const CreateCallFields = t.intersection(
  [
    t.type({ mediaConfig: MediaConfig }),
    t.partial({
      '@odata.type': t.string,
      callbackUri: t.string,
      direction: t.string,
      targets: sizedArray(InvitationParticipantInfo, 1, 5, 'call targets ({ identity })'),
      requestedModalities: t.array(Modality),
      subject: nullable(t.string),
      tenantId: t.string,
      source: ParticipantInfo,
      chatInfo: ChatInfo,
      meetingInfo: MeetingInfo,
      callOptions: CallOptions,
    }),
  ],
  'CreateCallBody',
)

/**
 * Body of `POST /communications/calls`: an outgoing call to 1 (peer-to-peer) to 5 (group)
 * `targets`, or a meeting to join (`chatInfo` + organizerMeetingInfo, or tokenMeetingInfo alone).
 * A call with neither targets nor meetingInfo, or organizerMeetingInfo without chatInfo, is refused.
 */
export const CreateCallBody = new t.Type<t.TypeOf<typeof CreateCallFields>, unknown, unknown>(
  'CreateCallBody',
  (u): u is t.TypeOf<typeof CreateCallFields> => CreateCallFields.is(u) && whatIsMissing(u) === undefined,
  (u, c) => {
    const r = CreateCallFields.validate(u, c)
    if (r._tag === 'Left') return r
    const missing = whatIsMissing(r.right)
    return missing === undefined ? r : t.failure(u, c, missing)
  },
  (a) => a,
)
/**
 * Body of `POST /communications/calls`.
 *
 * @example
 * ```ts
 * const body: CreateCallBody = {
 *   targets: [{ identity: { user: { id: agentId } } }],
 *   requestedModalities: ['audio'],
 *   mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
 *   callbackUri: 'https://bot.example/api/calls',
 * }
 * const r = await graph.createCall(body)() // Right({ callId, state: 'establishing', ... })
 * ```
 */
export type CreateCallBody = t.TypeOf<typeof CreateCallBody>

function whatIsMissing(b: t.TypeOf<typeof CreateCallFields>): string | undefined {
  if (b.targets === undefined && b.meetingInfo === undefined) return 'a new call needs targets, or meetingInfo to join a meeting'
  const organizer = b.meetingInfo?.['@odata.type'] === '#microsoft.graph.organizerMeetingInfo'
  if (organizer && b.chatInfo === undefined) return 'joining a meeting with organizerMeetingInfo needs chatInfo'
  return undefined
}

/** The call Graph answers a `POST /communications/calls` with (201): the fields callops reads. */
export const CreatedCallAnswer = t.intersection(
  [
    t.type({ id: t.string }),
    t.partial({ state: t.string, myParticipantId: nullable(t.string), callChainId: nullable(t.string), direction: nullable(t.string) }),
  ],
  'CreatedCallAnswer',
)
/** The call Graph answers a `POST /communications/calls` with. */
export type CreatedCallAnswer = t.TypeOf<typeof CreatedCallAnswer>
