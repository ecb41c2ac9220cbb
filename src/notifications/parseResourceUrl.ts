import { canonicalId } from '../domain/canonicalId.js'

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
  // Runs for every notification: the segments are read off the string in place (no split array,
  // no string per segment but the ids).
  const end = Math.min(endAt(url, '?'), endAt(url, '#'))
  // The first segment that is exactly `calls`.
  let at = 0
  for (;;) {
    const slash = segmentEnd(url, at, end)
    if (slash - at === 5 && url.startsWith('calls', at)) {
      at = slash + 1
      break
    }
    if (slash >= end) return undefined
    at = slash + 1
  }
  if (at > end) return undefined
  const callEnd = segmentEnd(url, at, end)
  if (callEnd === at) return undefined
  const callId = canonicalId(url.slice(at, callEnd))
  // The first three non-empty segments after the call id (`//` between segments is tolerated).
  // The collection is compared in place (no string of it); only the item is cut out.
  let collection: string | undefined
  let item: string | undefined
  let extra = false
  for (let i = callEnd + 1; i <= end && !extra; ) {
    const j = segmentEnd(url, i, end)
    if (j > i) {
      if (collection === undefined) collection = segmentIs(url, i, j, 'operations') ? 'operations' : segmentIs(url, i, j, 'participants') ? 'participants' : ''
      else if (item === undefined) item = url.slice(i, j)
      else extra = true
    }
    i = j + 1
  }
  if (collection === undefined) return { kind: 'call', callId }
  if (collection === 'participants') {
    return item === undefined ? { kind: 'participants', callId } : { kind: 'participant', callId, participantId: canonicalId(item) }
  }
  if (collection === 'operations') {
    // `…/operations/participants` is the invite completion without an operation id.
    if (item === undefined || (item === 'participants' && !extra)) return { kind: 'operation', callId }
    return { kind: 'operation', callId, operationId: canonicalId(item) }
  }
  return { kind: 'other', callId }
}

/** Where the path ends: at the first `c` (`?` or `#`), or at the end of the URL. */
const endAt = (url: string, c: string): number => {
  const at = url.indexOf(c)
  return at < 0 ? url.length : at
}

/** Whether the segment `url[from, to)` is exactly `name`. */
const segmentIs = (url: string, from: number, to: number, name: string): boolean => to - from === name.length && url.startsWith(name, from)

/** Where the segment starting at `from` ends: the next `/` before `end`, or `end`. */
const segmentEnd = (url: string, from: number, end: number): number => {
  const slash = url.indexOf('/', from)
  return slash < 0 || slash > end ? end : slash
}
