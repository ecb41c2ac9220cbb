import * as crypto from 'node:crypto'

// A fixed namespace, so every instance derives the same id from the same request.
const NAMESPACE = Buffer.from('c4a1b0d2e3f44a5b8c6d7e8f90a1b2c3', 'hex')

// This runs for every request (issue 8): the hashed bytes are written into one reused buffer after
// the namespace and hashed in one call, rather than through a Hash object fed four times.
const scratch = Buffer.alloc(2048)
NAMESPACE.copy(scratch)
// `crypto.hash` exists from Node 20.12; older versions use a Hash object.
const sha1: (data: Buffer) => Buffer =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha1', data, 'buffer')
    : (data) => crypto.createHash('sha1').update(data).digest()

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'))

const digestOf = (callKey: string, clientContext: string): Buffer => {
  // At most 3 UTF-8 bytes per UTF-16 unit: longer input than the buffer holds is hashed from a fresh one.
  if ((callKey.length + 1 + clientContext.length) * 3 > scratch.length - NAMESPACE.length) {
    return crypto.createHash('sha1').update(NAMESPACE).update(callKey).update('\u0000').update(clientContext).digest()
  }
  const end = NAMESPACE.length + scratch.write(`${callKey}\u0000${clientContext}`, NAMESPACE.length, 'utf8')
  return sha1(scratch.subarray(0, end))
}

/**
 * The `client-request-id` of one request: a name-based UUID (version 5 layout) of the call and the
 * operation's clientContext. Every instance derives the same id, so a request resent after its
 * sender died carries the id of the first attempt, and Graph's logs show the two as one request.
 *
 * @example
 * ```ts
 * requestIdFor('e141b67c-…', 'hold-1') === requestIdFor('e141b67c-…', 'hold-1') // true
 * ```
 */
export const requestIdFor = (callKey: string, clientContext: string): string => {
  const h = digestOf(callKey, clientContext)
  let id = ''
  for (let i = 0; i < 16; i++) {
    // Version 5 in byte 6, the RFC 4122 variant in byte 8.
    const b = i === 6 ? ((h[i] ?? 0) & 0x0f) | 0x50 : i === 8 ? ((h[i] ?? 0) & 0x3f) | 0x80 : (h[i] ?? 0)
    id += HEX[b] ?? ''
    if (i === 3 || i === 5 || i === 7 || i === 9) id += '-'
  }
  return id
}
