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
export type ExpectedStatus = 202 | 204 | 400 | 413 | 415

// --- shapes

type Check = (u: unknown) => boolean

const isRecord = (u: unknown): u is Record<string, unknown> => Object.prototype.toString.call(u) === '[object Object]'
const isString: Check = (u) => typeof u === 'string'
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

// Codes are numbers or numeric strings (call-delete prints "200"); a subcode or message of another shape is ignored.
const isInteger: Check = (u) => (typeof u === 'number' && Number.isFinite(u)) || (typeof u === 'string' && /^\s*-?\d{1,15}\s*$/.test(u))
const resultInfo = object({ code: isInteger }, ['code'])
const identity = object({ id: nullable(isString), displayName: nullable(isString), tenantId: nullable(isString) })
const identitySet = object(
  Object.fromEntries(['user', 'application', 'device', 'phone', 'guest', 'applicationInstance', 'encrypted', 'onPremises'].map((k) => [k, nullable(identity)])),
)
const participantInfo = object({ identity: nullable(identitySet), region: nullable(isString), languageId: nullable(isString) })

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
  recordResourceLocation: nullable(isString),
  recordResourceAccessToken: nullable(isString),
  participants: arrayOf(
    object(
      { identity: identitySet, '@odata.type': isString, replacesCallId: nullable(isString), hidden: isBoolean, participantId: nullable(isString), removeFromDefaultAudioRoutingGroup: isBoolean },
      ['identity'],
    ),
  ),
})

const participant = object(
  {
    id: nullable(isString),
    '@odata.type': isString,
    info: participantInfo,
    mediaStreams: arrayOf(object({ mediaType: isString, label: nullable(isString), sourceId: isString, direction: isString, serverMuted: isBoolean })),
    isMuted: isBoolean,
    isInLobby: isBoolean,
  },
  ['id'],
)

const call = object({
  '@odata.type': isString,
  id: isString,
  state: nullable(isString),
  direction: nullable(isString),
  meetingInfo: nullable(isRecord),
  chatInfo: nullable(isRecord),
  resultInfo: nullable(resultInfo),
  terminationReason: nullable(isString),
  mediaState: nullable(object({ audio: nullable(isString) })),
  toneInfo: nullable(object({ tone: nullable(isString), sequenceId: nullable(isInteger) })),
  source: nullable(participantInfo),
  targets: nullable(arrayOf(participantInfo)),
  incomingContext: nullable(
    object({ sourceParticipantId: nullable(isString), observedParticipantId: nullable(isString), onBehalfOf: nullable(identitySet), transferor: nullable(identitySet) }),
  ),
  applicationMetadata: nullable(isRecord),
})

// `resource` stands in for `resourceUrl` in older formats; `@odata.type` is never read.
const envelope: Check = (u) =>
  object(
    { changeType: oneOf(['created', 'updated', 'deleted']), resourceUrl: isString, resource: isString, resourceData: (d) => d === null || isRecord(d) || arrayOf(isRecord)(d) },
    ['changeType'],
  )(u) &&
  isRecord(u) &&
  (isString(u['resourceUrl']) || isString(u['resource']))

const urlOf = (n: Record<string, unknown>): string => (isString(n['resourceUrl']) ? (n['resourceUrl'] as string) : (n['resource'] as string))
const isParticipantData = (u: unknown): boolean => isRecord(u) && ['#microsoft.graph.participant', 'microsoft.graph.participant'].includes(u['@odata.type'] as string)

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
  switch (route(urlOf(n))) {
    case 'operation':
      // The invite pages print the invited participants' roster on `…/operations/participants`.
      return items.length > 0 && items.every(isParticipantData) ? items.every(participant) : items.every(operation)
    case 'participants':
      return items.every(participant)
    case 'call':
      // Only the first item is read: a call notification describes one call.
      return items.length === 0 || call(items[0])
    case 'none':
      return true
  }
}

/** Whether one notification of a batch is read (the others of its batch are read regardless). */
export const notificationOk = (n: unknown): boolean => envelope(n) && resourceDataOk(n as Record<string, unknown>)

/**
 * The answer to a batch that is already a JavaScript value: 204 for the legacy (Skype calling)
 * format, 400 when it is no `{ value: [...] }` envelope, 413 past the batch bound, else 202 however
 * many of its notifications are odd (those are refused alone).
 */
export const expectedForValue = (value: unknown, limits: WireLimits): ExpectedStatus => {
  if (isRecord(value) && !('value' in value) && isString(value['callState'])) return 204
  if (!object({ value: Array.isArray }, ['value'])(value)) return 400
  const batch = (value as { value: unknown[] }).value
  if (batch.length > limits.maxNotificationsPerBatch) return 413
  return 202
}

/** Whether a batch (a JavaScript value) can change anything: it is accepted and one of its notifications is read. */
export const appliesSomething = (value: unknown, limits: WireLimits): boolean =>
  expectedForValue(value, limits) === 202 && (value as { value: unknown[] }).value.some(notificationOk)

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
