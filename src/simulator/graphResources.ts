import type { ResultInfo } from '../domain/ResultInfo.js'
import type { SimCall, SimParticipant } from './SimCall.js'

// The Graph JSON the simulator writes, shaped like the documented examples.

/** `resultInfo` of an operation that succeeded (the wording is the simulator's own). */
export const successInfo: ResultInfo = { code: 200, subcode: 0, message: 'Action completed successfully.' }

/** Wraps a resultInfo with its `@odata.type`, as Graph writes it. */
export const resultInfoResource = (r: ResultInfo): Record<string, unknown> => ({ '@odata.type': '#microsoft.graph.resultInfo', ...r })

/** A participant of the roster (`mediaStreams` turn `inactive` while on hold, as one user reports). */
export const participantResource = (p: SimParticipant): Record<string, unknown> => ({
  '@odata.type': '#microsoft.graph.participant',
  id: p.id,
  info: {
    '@odata.type': '#microsoft.graph.participantInfo',
    identity: { '@odata.type': '#microsoft.graph.identitySet', user: { id: p.userId, displayName: p.displayName } },
    region: 'westus',
    languageId: 'en-US',
  },
  mediaStreams: [
    {
      '@odata.type': '#microsoft.graph.mediaStream',
      mediaType: 'audio',
      label: 'main-audio',
      sourceId: '1',
      direction: p.holdIndex >= 0 ? 'inactive' : 'sendReceive',
      serverMuted: false,
    },
  ],
  isMuted: p.isMuted,
  isInLobby: false,
})

/** The bot itself as a participant of the roster. */
export const botResource = (call: SimCall, appId: string): Record<string, unknown> => ({
  '@odata.type': '#microsoft.graph.participant',
  id: call.bot.id,
  info: {
    '@odata.type': '#microsoft.graph.participantInfo',
    identity: { '@odata.type': '#microsoft.graph.identitySet', application: { id: appId, displayName: 'callops simulator bot' } },
  },
  mediaStreams: [{ '@odata.type': '#microsoft.graph.mediaStream', mediaType: 'audio', label: 'main-audio', sourceId: '0', direction: 'sendReceive', serverMuted: false }],
  isMuted: call.bot.isMuted,
  isInLobby: false,
})

/** The whole roster: the bot first, then the participants in joining order. */
export const rosterResource = (call: SimCall, appId: string): Record<string, unknown>[] => [
  botResource(call, appId),
  ...[...call.participants.values()].map(participantResource),
]

/** The call resource of a call-state notification; group calls carry meetingInfo. */
export const callResource = (call: SimCall, state: 'established' | 'terminated'): Record<string, unknown> => {
  const base: Record<string, unknown> = { '@odata.type': '#microsoft.graph.call', id: call.id, state }
  if (call.group) base['meetingInfo'] = { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: call.id.slice(0, 8) }
  if (state === 'terminated') base['resultInfo'] = resultInfoResource({ code: 200, subcode: 0, message: 'The call was ended by the simulator.' })
  return base
}
