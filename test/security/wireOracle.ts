/**
 * What the notification endpoint must answer, restated from Graph's documented shapes (see
 * graph-reference.md and the v1.0 resource pages) without the io-ts codecs: the fuzz test compares
 * the pipeline's answer with this. It knows nothing of the pipeline's code; where the two disagree,
 * one of them is wrong.
 */

/** The bounds the endpoint was configured with. */
export interface WireLimits {
  readonly maxBodyBytes: number
  readonly maxNotificationsPerBatch: number
}

/** Content types a JSON endpoint accepts (the fuzz cases only use these and {@link REFUSED_CONTENT_TYPES}). */
export const ACCEPTED_CONTENT_TYPES: readonly string[] = [
  'application/json',
  'application/json; charset=utf-8',
  'Application/JSON',
  'application/json;charset=UTF-8',
  'application/vnd.microsoft.graph+json',
]

/** Content types that are not JSON, or no content type at all (`undefined`). */
export const REFUSED_CONTENT_TYPES: readonly (string | undefined)[] = [
  undefined,
  '',
  'text/plain',
  'text/json',
  'application/jsonp',
  'application/json-seq',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
]

/** How the body reaches the endpoint: parsed already (as Express's `req.body`), or raw. */
export type Transport = 'object' | 'text' | 'bytes' | 'http'

/** The expected answer. */
export type ExpectedStatus = 202 | 400 | 413 | 415

// --- shapes

type Check = (u: unknown) => boolean

const isRecord = (u: unknown): u is Record<string, unknown> => Object.prototype.toString.call(u) === '[object Object]'
const isString: Check = (u) => typeof u === 'string'
const isNumber: Check = (u) => typeof u === 'number'
const isBoolean: Check = (u) => typeof u === 'boolean'
const nullable = (c: Check): Check => (u) => u === null || c(u)
const arrayOf = (c: Check): Check => (u) => Array.isArray(u) && u.every((x) => c(x))

/** An object whose listed fields, when present (not undefined), pass their check; `required` must be present. */
const object = (fields: Readonly<Record<string, Check>>, required: readonly string[] = []): Check => (u) => {
  if (!isRecord(u)) return false
  for (const [k, check] of Object.entries(fields)) {
    const v = u[k]
    if (v === undefined ? required.includes(k) : !check(v)) return false
  }
  return true
}

const oneOf = (words: readonly string[]): Check => (u) => typeof u === 'string' && words.includes(u.toLowerCase())

const resultInfo = object({ code: isNumber, subcode: isNumber, message: isString }, ['code'])
const identity = object({ id: nullable(isString), displayName: nullable(isString) })
const identitySet = object(Object.fromEntries(['user', 'application', 'device', 'phone', 'guest', 'applicationInstance'].map((k) => [k, nullable(identity)])))

const operation = object({
  '@odata.type': isString,
  '@odata.id': isString,
  '@odata.etag': isString,
  id: nullable(isString),
  status: oneOf(['notstarted', 'running', 'completed', 'failed']),
  clientContext: nullable(isString),
  resultInfo: nullable(resultInfo),
  completionReason: nullable(isString),
  recordingLocation: nullable(isString),
  recordingAccessToken: nullable(isString),
  participants: arrayOf(
    object(
      { identity: identitySet, '@odata.type': isString, replacesCallId: nullable(isString), hidden: isBoolean, participantId: nullable(isString), removeFromDefaultAudioRoutingGroup: isBoolean },
      ['identity'],
    ),
  ),
})

const participant = object(
  {
    id: isString,
    '@odata.type': isString,
    info: object({ identity: identitySet, region: nullable(isString), languageId: nullable(isString) }),
    mediaStreams: arrayOf(object({ mediaType: isString, label: nullable(isString), sourceId: isString, direction: isString, serverMuted: isBoolean })),
    isMuted: isBoolean,
    isInLobby: isBoolean,
  },
  ['id'],
)

const call = object({
  '@odata.type': isString,
  id: isString,
  state: isString,
  meetingInfo: nullable(isRecord),
  chatInfo: nullable(isRecord),
  resultInfo: nullable(resultInfo),
})

const envelope = object(
  {
    changeType: oneOf(['created', 'updated', 'deleted']),
    resourceUrl: isString,
    '@odata.type': isString,
    resourceData: (u) => u === null || isRecord(u) || arrayOf(isRecord)(u),
  },
  ['changeType', 'resourceUrl'],
)

/** What a resourceUrl names: `…/calls/{id}`, `…/calls/{id}/participants[/{id}]`, `…/calls/{id}/operations[/{id}]`, or nothing callops reads. */
const route = (url: string): 'call' | 'participants' | 'operation' | 'none' => {
  const parts = (url.split(/[?#]/)[0] ?? '').split('/')
  const at = parts.indexOf('calls')
  if (at < 0 || (parts[at + 1] ?? '') === '') return 'none'
  const [collection] = parts.slice(at + 2).filter((p) => p !== '')
  if (collection === undefined) return 'call'
  if (collection === 'participants') return 'participants'
  if (collection === 'operations') return 'operation'
  return 'none'
}

const resourceDataOk = (n: Record<string, unknown>): boolean => {
  const data = n['resourceData']
  const items: unknown[] = data === undefined || data === null ? [] : Array.isArray(data) ? data : [data]
  switch (route(n['resourceUrl'] as string)) {
    case 'operation':
      return items.every(operation)
    case 'participants':
      return items.every(participant)
    case 'call':
      // Only the first item is read: a call notification describes one call.
      return items.length === 0 || call(items[0])
    case 'none':
      return true
  }
}

/** The answer to a batch that is already a JavaScript value. */
export const expectedForValue = (value: unknown, limits: WireLimits): ExpectedStatus => {
  if (!object({ value: arrayOf(envelope), '@odata.type': isString }, ['value'])(value)) return 400
  const batch = (value as { value: Record<string, unknown>[] }).value
  if (batch.length > limits.maxNotificationsPerBatch) return 413
  return batch.every(resourceDataOk) ? 202 : 400
}

/**
 * The answer to a POST whose body is `payload`: a raw body (a string or bytes) is checked for media
 * type, size and JSON syntax first; any other value is a body parsed already (Express's `req.body`).
 */
export const expectedStatus = (payload: unknown, contentType: string | undefined, limits: WireLimits): ExpectedStatus => {
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) return expectedForValue(payload, limits)
  if (contentType === undefined || !ACCEPTED_CONTENT_TYPES.includes(contentType)) return 415
  const text = typeof payload === 'string' ? payload : (payload as Buffer).toString('utf8')
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : (payload as Buffer).byteLength
  if (size > limits.maxBodyBytes) return 413
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return 400
  }
  return expectedForValue(value, limits)
}
