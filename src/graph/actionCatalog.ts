import type * as t from 'io-ts'
import type { ActionName, ActionScope, actionScopes } from '../domain/ActionName.js'
import type { OperationType } from '../codecs/CommsOperation.js'
import {
  EmptyBody,
  InviteParticipantsBody,
  PlayPromptBody,
  RecordResponseBody,
  SendDtmfTonesBody,
  StartHoldMusicBody,
  UpdateRecordingStatusBody,
} from '../codecs/requestBodies.js'

/** One action of the catalog: how to send it and what answers it. */
export interface ActionSpec<B> {
  /** Under the call (`/calls/{callId}/<segment>`) or a participant (`/calls/{callId}/participants/{participantId}/<segment>`). */
  readonly scope: ActionScope
  /** The last path segments, e.g. `startHoldMusic` or `participants/invite`. */
  readonly segment: string
  /** The request body (clientContext is added by callops). */
  readonly body: t.Type<B, unknown, unknown>
  /** The operation subtype that answers. */
  readonly operationType: OperationType
  /** What the docs show: `final` answers carry completed/failed and no notification follows. */
  readonly documentedAnswer: { readonly status: number; readonly final: boolean }
  /** How long callops waits for the outcome unless configured otherwise. */
  readonly defaultTimeoutMs: number
}

// Keeps each entry's scope literal, so request types can tell participant actions apart.
const spec = <B, S extends ActionScope>(s: ActionSpec<B> & { readonly scope: S }): ActionSpec<B> & { readonly scope: S } => s

/**
 * Every Graph call action that answers with a commsOperation. Adding an action is one entry here.
 * Answers and bodies follow graph-reference.md.
 */
export const actionCatalog = {
  startHoldMusic: spec({ scope: 'participant', segment: 'startHoldMusic', body: StartHoldMusicBody, operationType: 'startHoldMusicOperation', documentedAnswer: { status: 202, final: false }, defaultTimeoutMs: 60_000 }),
  stopHoldMusic: spec({ scope: 'participant', segment: 'stopHoldMusic', body: EmptyBody, operationType: 'stopHoldMusicOperation', documentedAnswer: { status: 202, final: false }, defaultTimeoutMs: 60_000 }),
  unmute: spec({ scope: 'call', segment: 'unmute', body: EmptyBody, operationType: 'unmuteParticipantOperation', documentedAnswer: { status: 200, final: true }, defaultTimeoutMs: 30_000 }),
  mute: spec({ scope: 'call', segment: 'mute', body: EmptyBody, operationType: 'muteParticipantOperation', documentedAnswer: { status: 200, final: true }, defaultTimeoutMs: 30_000 }),
  muteParticipant: spec({ scope: 'participant', segment: 'mute', body: EmptyBody, operationType: 'muteParticipantOperation', documentedAnswer: { status: 200, final: true }, defaultTimeoutMs: 30_000 }),
  playPrompt: spec({ scope: 'call', segment: 'playPrompt', body: PlayPromptBody, operationType: 'playPromptOperation', documentedAnswer: { status: 200, final: false }, defaultTimeoutMs: 300_000 }),
  recordResponse: spec({ scope: 'call', segment: 'recordResponse', body: RecordResponseBody, operationType: 'recordOperation', documentedAnswer: { status: 200, final: false }, defaultTimeoutMs: 300_000 }),
  sendDtmfTones: spec({ scope: 'call', segment: 'sendDtmfTones', body: SendDtmfTonesBody, operationType: 'sendDtmfTonesOperation', documentedAnswer: { status: 200, final: false }, defaultTimeoutMs: 120_000 }),
  subscribeToTone: spec({ scope: 'call', segment: 'subscribeToTone', body: EmptyBody, operationType: 'subscribeToToneOperation', documentedAnswer: { status: 200, final: true }, defaultTimeoutMs: 30_000 }),
  cancelMediaProcessing: spec({ scope: 'call', segment: 'cancelMediaProcessing', body: EmptyBody, operationType: 'cancelMediaProcessingOperation', documentedAnswer: { status: 200, final: true }, defaultTimeoutMs: 30_000 }),
  updateRecordingStatus: spec({ scope: 'call', segment: 'updateRecordingStatus', body: UpdateRecordingStatusBody, operationType: 'updateRecordingStatusOperation', documentedAnswer: { status: 200, final: true }, defaultTimeoutMs: 30_000 }),
  inviteParticipants: spec({ scope: 'call', segment: 'participants/invite', body: InviteParticipantsBody, operationType: 'inviteParticipantsOperation', documentedAnswer: { status: 200, final: false }, defaultTimeoutMs: 120_000 }),
  addLargeGalleryView: spec({ scope: 'call', segment: 'addLargeGalleryView', body: EmptyBody, operationType: 'addLargeGalleryViewOperation', documentedAnswer: { status: 202, final: false }, defaultTimeoutMs: 60_000 }),
} as const satisfies { readonly [A in ActionName]: { readonly scope: (typeof actionScopes)[A] } }

export type { ActionName, ActionScope }

/** The request body of an action, without clientContext (callops sets it). */
export type ActionBody<A extends ActionName> = Omit<t.TypeOf<(typeof actionCatalog)[A]['body']>, 'clientContext'>

export { actionNames } from '../domain/ActionName.js'
