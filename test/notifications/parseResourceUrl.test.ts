import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalId } from '../../src/domain/canonicalId.js'
import { parseResourceUrl, type ResourceRef } from '../../src/notifications/parseResourceUrl.js'

// The reading of a resourceUrl as segments split on `/`: the definition the in-place scan must keep.
const bySplit = (url: string): ResourceRef | undefined => {
  const cut = url.search(/[?#]/)
  const parts = (cut < 0 ? url : url.slice(0, cut)).split('/')
  const at = parts.indexOf('calls')
  const raw = at < 0 ? undefined : parts[at + 1]
  if (raw === undefined || raw === '') return undefined
  const callId = canonicalId(raw)
  const [collection, item, extra] = parts.slice(at + 2).filter((p) => p !== '')
  if (collection === undefined) return { kind: 'call', callId }
  if (collection === 'participants') return item === undefined ? { kind: 'participants', callId } : { kind: 'participant', callId, participantId: canonicalId(item) }
  if (collection === 'operations') {
    if (item === undefined || (item === 'participants' && extra === undefined)) return { kind: 'operation', callId }
    return { kind: 'operation', callId, operationId: canonicalId(item) }
  }
  return { kind: 'other', callId }
}

describe('parseResourceUrl', () => {
  it('reads the documented spellings', () => {
    expect(parseResourceUrl('communications/calls/E141B67C90FD455D858BB48A40B9CC8D/operations/x')).toEqual({ kind: 'operation', callId: 'e141b67c-90fd-455d-858b-b48a40b9cc8d', operationId: 'x' })
    expect(parseResourceUrl('/app/calls/421f0c00-4a1f-4c4f-9b5a-2a3b4c5d6e7f')).toEqual({ kind: 'call', callId: '421f0c00-4a1f-4c4f-9b5a-2a3b4c5d6e7f' })
    expect(parseResourceUrl('https://graph.microsoft.com/v1.0/communications/calls/c1/participants/p1?x=/calls/z')).toEqual({ kind: 'participant', callId: 'c1', participantId: 'p1' })
    expect(parseResourceUrl('communications/calls/c1/operations/participants')).toEqual({ kind: 'operation', callId: 'c1' })
    expect(parseResourceUrl('communications/calls/c1//participants')).toEqual({ kind: 'participants', callId: 'c1' })
    expect(parseResourceUrl('communications/calls/c1/operations/participants/p1')).toEqual({ kind: 'operation', callId: 'c1', operationId: 'participants' })
    expect(parseResourceUrl('communications/calls/')).toBeUndefined()
    expect(parseResourceUrl('communications/callsx/c1')).toBeUndefined()
  })

  it('reads any URL as its segments split on / do', () => {
    const segment = fc.oneof(
      fc.constantFrom('communications', 'calls', 'app', 'operations', 'participants', '', 'x', 'v1.0', 'callsx', 'https:', 'graph.microsoft.com'),
      fc.uuid(),
      fc.uuid().map((u) => u.replaceAll('-', '').toUpperCase()),
      fc.string({ maxLength: 6 }),
    )
    const anyPath = fc.array(segment, { maxLength: 9 })
    // Most of them about a call, as Graph's are: then the segments after its id decide.
    const after = fc.oneof(fc.constantFrom('operations', 'participants', '', 'x'), fc.uuid())
    const callPath = fc.tuple(fc.constantFrom('communications/calls', '/app/calls', 'calls'), segment, fc.array(after, { maxLength: 4 })).map(([head, id, rest]) => [head, id, ...rest])
    const url = fc.tuple(fc.oneof(anyPath, callPath), fc.constantFrom('', '?a=b/calls/c', '#f/x', '?')).map(([parts, tail]) => parts.join('/') + tail)
    fc.assert(
      fc.property(url, (u) => {
        expect(parseResourceUrl(u)).toEqual(bySplit(u))
      }),
      { seed: 20261204, numRuns: 3000 },
    )
  })
})
