/** Where an action's path hangs: under the call, or under one participant of the call. */
export type ActionScope = 'call' | 'participant'

/**
 * Every Graph call action callops runs, with where its path hangs. Plain data, so the machines can
 * name actions without loading the catalog's codecs (`src/graph/actionCatalog.ts` adds those).
 */
export const actionScopes = {
  startHoldMusic: 'participant',
  stopHoldMusic: 'participant',
  unmute: 'call',
  mute: 'call',
  muteParticipant: 'participant',
  playPrompt: 'call',
  recordResponse: 'call',
  sendDtmfTones: 'call',
  subscribeToTone: 'call',
  cancelMediaProcessing: 'call',
  updateRecordingStatus: 'call',
  inviteParticipants: 'call',
  addLargeGalleryView: 'call',
} as const satisfies Record<string, ActionScope>

/** The name of an action of the catalog. */
export type ActionName = keyof typeof actionScopes

/** Every action name, in catalog order. */
export const actionNames = Object.keys(actionScopes) as readonly ActionName[]

/** Whether `u` names an action (own keys only: `constructor` is not an action). */
export const isActionName = (u: unknown): u is ActionName =>
  typeof u === 'string' && Object.prototype.hasOwnProperty.call(actionScopes, u)
