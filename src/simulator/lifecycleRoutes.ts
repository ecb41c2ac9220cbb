/** The requests of a call's own lifecycle the simulator serves (not commsOperations). */
export type LifecycleAction = 'answer' | 'reject' | 'redirect' | 'transfer' | 'createCall' | 'deleteCall' | 'deleteParticipant'

/** A lifecycle request: which one, and the ids its path names. */
export interface LifecycleMatch {
  readonly action: LifecycleAction
  readonly callId?: string
  readonly participantId?: string
}

const callsPath = '/v1.0/communications/calls'
const postActions: Readonly<Record<string, LifecycleAction>> = { answer: 'answer', reject: 'reject', redirect: 'redirect', transfer: 'transfer' }

/**
 * Names the lifecycle request of `method` and `path`, or `undefined` for any other request (the
 * catalog's router serves those).
 *
 * @example
 * ```ts
 * matchLifecycle('DELETE', '/v1.0/communications/calls/c1') // { action: 'deleteCall', callId: 'c1' }
 * ```
 */
export const matchLifecycle = (method: string, path: string): LifecycleMatch | undefined => {
  const q = path.indexOf('?')
  const clean = q < 0 ? path : path.slice(0, q)
  if (method === 'POST' && clean === callsPath) return { action: 'createCall' }
  if (!clean.startsWith(`${callsPath}/`)) return undefined
  let parts: string[]
  try {
    parts = clean.slice(callsPath.length + 1).split('/').map(decodeURIComponent)
  } catch {
    return undefined
  }
  const [callId, a, b, ...rest] = parts
  if (callId === undefined || callId === '' || rest.length > 0) return undefined
  if (method === 'DELETE' && a === undefined) return { action: 'deleteCall', callId }
  if (method === 'DELETE' && a === 'participants' && b !== undefined && b !== '') return { action: 'deleteParticipant', callId, participantId: b }
  const action = method === 'POST' && a !== undefined && b === undefined && Object.hasOwn(postActions, a) ? postActions[a] : undefined
  return action === undefined ? undefined : { action, callId }
}
