import * as t from 'io-ts'
import { nullable } from './loopGuards.js'
import { InvitationParticipantInfo } from './CommsOperation.js'
import { CallOptions, MediaConfig, Modality } from './MediaConfig.js'
import { IdentitySet, ParticipantInfo } from './Participant.js'
import { sizedArray } from './requestBodies.js'

// The body of POST /communications/calls (application-post-calls.md): an outgoing call, or joining
// a meeting, and the call Graph answers with. The client checks a body with these and sends it as
// given: fields not named here go to Graph untouched.


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
