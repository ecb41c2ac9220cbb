import { canonicalId } from '../domain/canonicalId.js'

const queryOrFragment = /[?#]/

/** What a notification's resourceUrl points at, with ids in canonical form. */
export type ResourceRef =
  | { readonly kind: 'call'; readonly callId: string }
  | { readonly kind: 'participants'; readonly callId: string }
  | { readonly kind: 'participant'; readonly callId: string; readonly participantId: string }
  /** `operationId` is absent for the documented invite completion (`…/operations/participants`, `id: null`). */
  | { readonly kind: 'operation'; readonly callId: string; readonly operationId?: string }
  | { readonly kind: 'other'; readonly callId: string }

/**
 * Reads a resourceUrl in any of its documented spellings: with or without a leading slash, the
 * legacy `/app/calls/…` form, a full URL, ids upper-case without dashes or lower-case with.
 * `undefined` when the URL names no call.
 *
 * @example
 * ```ts
 * parseResourceUrl('communications/calls/E141B67C90FD455D858BB48A40B9CC8D/operations/x')
 * // { kind: 'operation', callId: 'e141b67c-90fd-455d-858b-b48a40b9cc8d', operationId: 'x' }
 * ```
 */
export const parseResourceUrl = (url: string): ResourceRef | undefined => {
  // Runs for every notification: one split and no intermediate arrays (issue 8).
  const cut = url.search(queryOrFragment)
  const parts = (cut < 0 ? url : url.slice(0, cut)).split('/')
  const at = parts.indexOf('calls')
  const rawCallId = at < 0 ? undefined : parts[at + 1]
  if (rawCallId === undefined || rawCallId === '') return undefined
  const callId = canonicalId(rawCallId)
  // The first three non-empty segments after the call id (`//` between segments is tolerated).
  let collection: string | undefined
  let item: string | undefined
  let extra: string | undefined
  for (let i = at + 2; i < parts.length && extra === undefined; i++) {
    const p = parts[i]
    if (p === undefined || p === '') continue
    if (collection === undefined) collection = p
    else if (item === undefined) item = p
    else extra = p
  }
  if (collection === undefined) return { kind: 'call', callId }
  if (collection === 'participants') {
    return item === undefined ? { kind: 'participants', callId } : { kind: 'participant', callId, participantId: canonicalId(item) }
  }
  if (collection === 'operations') {
    // `…/operations/participants` is the invite completion without an operation id.
    if (item === undefined || (item === 'participants' && extra === undefined)) return { kind: 'operation', callId }
    return { kind: 'operation', callId, operationId: canonicalId(item) }
  }
  return { kind: 'other', callId }
}
