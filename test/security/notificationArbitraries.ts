import { readdirSync, readFileSync } from 'node:fs'
import fc from 'fast-check'
import { operationCodecs } from '../../src/codecs/CommsOperation.js'
import { LIVE, LIVE_CALL_IDS } from './liveCalls.js'
import { ACCEPTED_CONTENT_TYPES, REFUSED_CONTENT_TYPES, type Transport, type WireLimits } from './wireOracle.js'

/**
 * fast-check arbitraries of notification POSTs: valid batches built from Graph's documented shapes
 * (operations, rosters, call states; every resourceUrl spelling; ids in every casing), the real
 * examples of test/fixtures, and mutations of both (wrong types, missing fields, deep nesting,
 * huge arrays, prototype keys, hostile strings, odd numbers, broken JSON text and bytes).
 */

/** A leaf written into the JSON text as is: numbers JSON.stringify cannot write, deep nesting. */
export class Raw {
  constructor(readonly text: string) {}
}

// --- ids: the live calls' own (so applying a batch would change them), and strangers

const spellings = (guid: string): readonly string[] => [guid, guid.toUpperCase(), guid.replace(/-/g, '').toUpperCase(), guid.replace(/-/g, '')]
const spelled = (ids: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.tuple(ids, fc.nat(3)).map(([id, i]) => spellings(id)[i] ?? id)

const liveOperationIds = [LIVE.hold.operationId, LIVE.roster.operationId, LIVE.record.operationId, LIVE.invite.operationId]
// Keys every plain object answers through its prototype: as ids they must stay data.
const prototypeNames = fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__')
const liveClientContexts = [LIVE.hold.clientContext, LIVE.roster.clientContext, LIVE.record.clientContext, LIVE.invite.clientContext]

const callId = fc.oneof(
  { weight: 4, arbitrary: spelled(fc.constantFrom(...LIVE_CALL_IDS)) },
  { weight: 2, arbitrary: spelled(fc.uuid()) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9._~-]{1,24}$/) },
)
const operationId = fc.oneof(
  { weight: 6, arbitrary: spelled(fc.constantFrom(...liveOperationIds)) },
  { weight: 4, arbitrary: spelled(fc.uuid()) },
  { weight: 2, arbitrary: fc.constant('participants') },
  { weight: 1, arbitrary: prototypeNames },
)
const clientContext = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...liveClientContexts) },
  { weight: 4, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: fc.string({ maxLength: 300 }) },
  { weight: 1, arbitrary: prototypeNames },
)
const participantId = fc.oneof(
  { weight: 6, arbitrary: spelled(fc.constantFrom(LIVE.hold.participantId, LIVE.roster.participantId)) },
  { weight: 4, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 16 }) },
  { weight: 1, arbitrary: prototypeNames },
)

const urlPrefix = fc.constantFrom(
  'communications/calls/',
  '/communications/calls/',
  '/app/calls/',
  'https://graph.microsoft.com/v1.0/communications/calls/',
  'https://graph.microsoft.com/beta/communications/calls/',
)
const urlSuffix = fc.constantFrom('', '', '', '/', '?$select=id', '#part')

// --- resources

const nullable = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { nil: null, freq: 4 })

const resultInfo = fc.record(
  { code: fc.oneof(fc.constantFrom(200, 400, 404, 500), fc.integer()), subcode: fc.integer({ min: 0, max: 9999 }), message: fc.string({ maxLength: 30 }) },
  { requiredKeys: ['code'] },
)
const identity = nullable(fc.record({ id: nullable(fc.uuid()), displayName: nullable(fc.string({ maxLength: 20 })) }, { requiredKeys: [] }))
const identitySet = fc.record({ user: identity, application: identity, phone: identity, guest: identity }, { requiredKeys: [] })
const invitation = fc.record(
  { '@odata.type': fc.constant('#microsoft.graph.invitationParticipantInfo'), identity: identitySet, replacesCallId: nullable(fc.uuid()), hidden: fc.boolean(), participantId: nullable(fc.uuid()) },
  { requiredKeys: ['identity'] },
)

const operation = fc.record(
  {
    '@odata.type': fc.constantFrom(...Object.keys(operationCodecs)).map((n) => `#microsoft.graph.${n}`),
    '@odata.etag': fc.constant('W/"54451"'),
    id: nullable(operationId),
    // Now and then a status or changeType no casing makes valid (the batch is then refused).
    status: fc.oneof({ weight: 30, arbitrary: fc.mixedCase(fc.constantFrom('notStarted', 'running', 'completed', 'failed')) }, { weight: 1, arbitrary: fc.mixedCase(prototypeNames) }),
    clientContext: nullable(clientContext),
    resultInfo: nullable(resultInfo),
    completionReason: nullable(fc.constantFrom('completedSuccessfully', 'mediaOperationCanceled', 'unknown')),
    recordingLocation: nullable(fc.webUrl()),
    recordingAccessToken: nullable(fc.base64String({ minLength: 4, maxLength: 40 })),
    participants: fc.array(invitation, { maxLength: 2 }),
  },
  { requiredKeys: [] },
)

const participant = fc.record(
  {
    '@odata.type': fc.constant('#microsoft.graph.participant'),
    id: participantId,
    info: fc.record({ identity: identitySet, region: nullable(fc.constantFrom('westus', 'amer')), languageId: nullable(fc.constantFrom('en-US', 'fr-FR')) }, { requiredKeys: [] }),
    mediaStreams: fc.array(
      fc.record(
        { mediaType: fc.constantFrom('audio', 'video'), label: nullable(fc.string({ maxLength: 10 })), sourceId: fc.nat().map(String), direction: fc.constantFrom('sendReceive', 'receiveOnly', 'inactive'), serverMuted: fc.boolean() },
        { requiredKeys: [] },
      ),
      { maxLength: 2 },
    ),
    isMuted: fc.boolean(),
    isInLobby: fc.boolean(),
  },
  { requiredKeys: ['id'] },
)

const callResource = fc.record(
  {
    '@odata.type': fc.constant('#microsoft.graph.call'),
    id: fc.uuid(),
    state: fc.mixedCase(fc.constantFrom('incoming', 'establishing', 'established', 'hold', 'transferring', 'terminating', 'terminated')),
    meetingInfo: nullable(fc.constant({ '@odata.type': '#microsoft.graph.organizerMeetingInfo' })),
    chatInfo: nullable(fc.record({ threadId: fc.string({ maxLength: 20 }) })),
    resultInfo: nullable(resultInfo),
  },
  { requiredKeys: [] },
)

// --- notifications

const changeType = fc.oneof({ weight: 30, arbitrary: fc.mixedCase(fc.constantFrom('created', 'updated', 'deleted')) }, { weight: 1, arbitrary: fc.mixedCase(prototypeNames) })

const notification = (url: fc.Arbitrary<string>, data: fc.Arbitrary<unknown>) =>
  fc
    .record(
      { '@odata.type': fc.constant('#microsoft.graph.commsNotification'), changeType, resourceUrl: url, resourceData: data, resource: url },
      { requiredKeys: ['changeType', 'resourceUrl'] },
    )
    .map((n) => n as Record<string, unknown>)

const oneOrMany = <T>(item: fc.Arbitrary<T>, max: number) => fc.oneof(item, fc.array(item, { maxLength: max }), fc.constant(null))

/** A notification as Graph documents it, of any kind, in any spelling. */
export const validNotification = fc.oneof(
  {
    weight: 4,
    arbitrary: notification(
      fc.tuple(urlPrefix, callId, operationId, urlSuffix).map(([p, c, o, s]) => `${p}${c}/operations/${o}${s}`),
      oneOrMany(operation, 3),
    ),
  },
  {
    weight: 3,
    arbitrary: notification(
      fc.tuple(urlPrefix, callId, urlSuffix).map(([p, c, s]) => `${p}${c}/participants${s}`),
      oneOrMany(participant, 4),
    ),
  },
  {
    weight: 1,
    arbitrary: notification(
      fc.tuple(urlPrefix, callId, participantId, urlSuffix).map(([p, c, id, s]) => `${p}${c}/participants/${encodeURIComponent(id)}${s}`),
      fc.oneof(fc.constant(null), fc.array(participant, { maxLength: 1 })),
    ),
  },
  { weight: 2, arbitrary: notification(fc.tuple(urlPrefix, callId, urlSuffix).map(([p, c, s]) => `${p}${c}${s}`), oneOrMany(callResource, 1)) },
  {
    weight: 1,
    arbitrary: notification(
      fc.oneof(fc.tuple(urlPrefix, callId).map(([p, c]) => `${p}${c}/audioRoutingGroups/x`), fc.constant('/communications/onlineMeetings/x'), fc.constant('')),
      oneOrMany(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), 2),
    ),
  },
)

/** A valid batch (`commsNotifications`), 0 to 6 notifications. */
export const validBatch = fc
  .record({ '@odata.type': fc.constant('#microsoft.graph.commsNotifications'), value: fc.array(validNotification, { maxLength: 6 }) }, { requiredKeys: ['value'] })
  .map((b) => b as Record<string, unknown>)

const fixturesDir = new URL('../fixtures/', import.meta.url)
/** The documented notification examples of test/fixtures (they name the live calls). */
export const fixtureBatches: readonly { readonly name: string; readonly body: unknown }[] = readdirSync(fixturesDir)
  .filter((f) => f.endsWith('-notification.json') || (f.startsWith('quirk-') && !f.endsWith('-answer.json')))
  .map((f) => ({ name: f.replace(/\.json$/, ''), body: JSON.parse(readFileSync(new URL(f, fixturesDir), 'utf8')) as unknown }))

// --- hostile values

// Parsed from JSON, as a body parser would: `__proto__` is an own key here, not the prototype.
const polluting = JSON.parse(
  '{"__proto__": {"polluted": "yes", "status": "completed", "clientContext": "d45324c1-fcb5-430a-902c-f20af696537c"}, "constructor": {"prototype": {"polluted": "yes"}}, "prototype": {"polluted": "yes"}}',
) as unknown

/** Strings meant to break parsers, routers, logs and lookups. */
export const hostileString = fc.oneof(
  fc.constantFrom(
    '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf',
    '../../../etc/passwd', '..%2f..%2f', '%00', 'a/b?c#d', '/communications/calls/', 'calls',
    '\u0000', '\r\n', '\u2028', '\u202e', '\ud800', '\udfff', '\ufeff', '💥', '',
    'null', 'undefined', 'NaN', 'true', '{}', '[]', ' deleted', 'running ', 'comp\u0000leted', 'terminated', 'TERMINATED',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.nat(3).map((i) => ['x'.repeat(10 * 1024), 'é'.repeat(50 * 1024), '\u0000'.repeat(2048), '🙂'.repeat(70_000)][i] ?? ''),
)

/** Any value in a wrong place: wrong types, nulls, odd numbers, prototype keys, random JSON. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 2 ** 53 + 1, 1e308, 5e-324, '', [], {}, [[]], [{}], [null], [1], { value: [] }, undefined) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -0, new Raw('1e999'), new Raw('-1e999'), new Raw('1e-999'), new Raw('-0'), new Raw('123456789012345678901234567890')) },
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constant(polluting) },
)

// --- mutations of a JSON model

/** One change to a batch; `at` picks the place, modulo the number of candidates. */
export type Mutation =
  | { readonly kind: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'remove'; readonly at: number }
  | { readonly kind: 'addKey'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly kind: 'deepen'; readonly at: number; readonly depth: number; readonly shape: 'array' | 'object' }
  | { readonly kind: 'repeat'; readonly at: number; readonly times: number }
  | { readonly kind: 'recase'; readonly at: number; readonly upper: boolean }

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('addKey' as const),
      at: fc.nat(),
      key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__', 'value', 'status', 'id'), fc.string({ maxLength: 12 })),
      value: hostileValue,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deepen' as const), at: fc.nat(), depth: fc.integer({ min: 2, max: 20_000 }), shape: fc.constantFrom('array' as const, 'object' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), times: fc.oneof(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 1_000, max: 2_000 })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('recase' as const), at: fc.nat(), upper: fc.boolean() }) },
)

type Key = string | number
const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u) && !(u instanceof Raw)

// Own data property, as JSON.parse makes it: `obj.__proto__ = v` would set the prototype instead.
const put = (obj: Record<string, unknown>, key: string, value: unknown): void => {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
}

/** A deep copy that keeps `__proto__` keys as own keys and Raw leaves as they are. */
export const clone = (u: unknown): unknown => {
  if (Array.isArray(u)) return u.map(clone)
  if (!isRecord(u)) return u
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(u)) put(out, k, clone(v))
  return out
}

/** Every place in the model (depth-first, bounded), the root being `[]`. */
const places = (model: unknown): Key[][] => {
  const out: Key[][] = []
  const walk = (u: unknown, path: Key[]): void => {
    if (out.length >= 2_000) return
    out.push(path)
    if (path.length >= 8) return
    if (Array.isArray(u)) u.slice(0, 50).forEach((v, i) => walk(v, [...path, i]))
    else if (isRecord(u)) for (const [k, v] of Object.entries(u)) walk(v, [...path, k])
  }
  walk(model, [])
  return out
}

const getAt = (model: unknown, path: readonly Key[]): unknown => {
  let u = model
  for (const k of path) u = Array.isArray(u) ? u[k as number] : isRecord(u) ? Object.getOwnPropertyDescriptor(u, k)?.value : undefined
  return u
}

const setAt = (model: unknown, path: readonly Key[], value: unknown): unknown => {
  if (path.length === 0) return value
  const parent = getAt(model, path.slice(0, -1))
  const key = path[path.length - 1] as Key
  if (Array.isArray(parent)) parent[key as number] = value
  else if (isRecord(parent)) put(parent, String(key), value)
  return model
}

// About the size of the JSON text in bytes: past the body limit (256 KiB in the fuzz run), cheap to build.
const SIZE_BUDGET = 1024 * 1024

/** About the size of the model's JSON text (16 per node, plus string lengths); counting stops past the budget. */
const weight = (model: unknown): number => {
  let n = 0
  const stack: unknown[] = [model]
  while (stack.length > 0 && n <= SIZE_BUDGET) {
    const u = stack.pop()
    n += typeof u === 'string' ? 16 + u.length : u instanceof Raw ? u.text.length : 16
    if (Array.isArray(u)) stack.push(...u)
    else if (isRecord(u)) stack.push(...Object.values(u))
  }
  return n
}

const pick = <T>(items: readonly T[], at: number): T | undefined => (items.length === 0 ? undefined : items[at % items.length])

/** Applies `m` to `model` (which it may change in place) and returns the new model. */
export const applyMutation = (model: unknown, m: Mutation): unknown => {
  const all = places(model)
  switch (m.kind) {
    case 'replace': {
      const path = pick(all, m.at)
      return path === undefined ? model : setAt(model, path, clone(m.value))
    }
    case 'remove': {
      const path = pick(all.filter((p) => p.length > 0), m.at)
      if (path === undefined) return model
      const parent = getAt(model, path.slice(0, -1))
      const key = path[path.length - 1] as Key
      if (Array.isArray(parent)) parent.splice(key as number, 1)
      else if (isRecord(parent)) delete parent[String(key)]
      return model
    }
    case 'addKey': {
      const path = pick(all.filter((p) => isRecord(getAt(model, p))), m.at)
      const target = path === undefined ? undefined : getAt(model, path)
      if (isRecord(target)) put(target, m.key, clone(m.value))
      return model
    }
    case 'deepen': {
      const path = pick(all, m.at)
      const text = m.shape === 'array' ? `${'['.repeat(m.depth)}${']'.repeat(m.depth)}` : `${'{"a":'.repeat(m.depth)}null${'}'.repeat(m.depth)}`
      return path === undefined ? model : setAt(model, path, new Raw(text))
    }
    case 'repeat': {
      const path = pick(all.filter((p) => Array.isArray(getAt(model, p))), m.at)
      const target = path === undefined ? undefined : getAt(model, path)
      if (!Array.isArray(target)) return model
      const item = target[0] ?? null
      // Copies while the model stays within the size budget: far past the batch limit, cheap to build.
      const room = SIZE_BUDGET - weight(model)
      const times = Math.min(m.times, target.length + Math.floor(room / weight(item)))
      for (let i = target.length; i < times; i++) target.push(clone(item))
      return model
    }
    case 'recase': {
      const path = pick(all.filter((p) => typeof getAt(model, p) === 'string'), m.at)
      const s = path === undefined ? undefined : getAt(model, path)
      return path === undefined || typeof s !== 'string' ? model : setAt(model, path, m.upper ? s.toUpperCase() : s.toLowerCase())
    }
  }
}

/** The model as JSON text: Raw leaves as they are, other values as JSON.stringify writes them. */
export const toText = (u: unknown): string => {
  if (u instanceof Raw) return u.text
  if (Array.isArray(u)) return `[${u.map((v) => (v === undefined ? 'null' : toText(v))).join(',')}]`
  if (isRecord(u)) {
    const fields = Object.entries(u).filter(([, v]) => v !== undefined)
    return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${toText(v)}`).join(',')}}`
  }
  if (typeof u === 'number') return Number.isFinite(u) ? JSON.stringify(u) : 'null'
  return JSON.stringify(u) ?? 'null'
}

/** The model as a JavaScript value, as a body parser hands it over (Raw leaves parsed; shared values stay shared). */
export const materialise = (u: unknown, done = new Map<unknown, unknown>()): unknown => {
  if (typeof u !== 'object' || u === null) return u
  if (done.has(u)) return done.get(u)
  let out: unknown
  if (u instanceof Raw) out = JSON.parse(u.text) as unknown
  else if (Array.isArray(u)) out = u.map((v) => materialise(v, done))
  else {
    const record: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(u)) put(record, k, materialise(v, done))
    out = record
  }
  done.set(u, out)
  return out
}

// --- broken text and bytes

/** A change to the JSON text itself. */
export type TextMutation =
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'append'; readonly text: string }
  | { readonly kind: 'bom' }
  | { readonly kind: 'duplicateValueKey'; readonly first: boolean }
  | { readonly kind: 'replaceAll'; readonly text: string }
  | { readonly kind: 'badUtf8'; readonly at: number }

export const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), text: fc.constantFrom(']', '}', ',', 'x', '\u0000', ' \n', '{}', '//') }),
  fc.record({ kind: fc.constant('bom' as const) }),
  fc.record({ kind: fc.constant('duplicateValueKey' as const), first: fc.boolean() }),
  fc.record({ kind: fc.constant('replaceAll' as const), text: fc.constantFrom('', ' ', 'null', '[]', '"x"', '42', 'true', '{}', '{"value":null}', '<value/>', 'value=1', '{"value":[]}') }),
  fc.record({ kind: fc.constant('badUtf8' as const), at: fc.nat() }),
)

const applyText = (text: string, m: TextMutation | undefined): string | Buffer => {
  if (m === undefined) return text
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, m.at % Math.max(1, text.length))
    case 'append':
      return text + m.text
    case 'bom':
      return `\ufeff${text}`
    case 'duplicateValueKey':
      // JSON.parse keeps the last of duplicate keys; a checker that read the first would be fooled.
      return m.first ? text.replace(/^\{/, '{"value":"not an array",') : text.replace(/\}$/, ',"value":"not an array"}')
    case 'replaceAll':
      return m.text
    case 'badUtf8': {
      const bytes = Buffer.from(text, 'utf8')
      const at = m.at % (bytes.length + 1)
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff, 0xc0, 0x80]), bytes.subarray(at)])
    }
  }
}

// --- cases

/** One POST of the fuzz run. */
export interface FuzzCase {
  /** What it was made of, for the report: base, mutations, transport. */
  readonly label: string
  readonly transport: Transport
  readonly contentType: string | undefined
  /** The parsed value (transport `object`), or the raw body (a string, or bytes). */
  readonly payload: unknown
}

const base = fc.oneof(
  { weight: 3, arbitrary: validBatch.map((body) => ({ name: 'generated', body: body as unknown })) },
  { weight: 2, arbitrary: fc.constantFrom(...fixtureBatches) },
)

const transport = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Transport>('object') },
  { weight: 6, arbitrary: fc.constant<Transport>('text') },
  { weight: 7, arbitrary: fc.constant<Transport>('bytes') },
  { weight: 1, arbitrary: fc.constant<Transport>('http') },
)

const contentType = fc.oneof(
  { weight: 16, arbitrary: fc.constant<string | undefined>('application/json') },
  { weight: 2, arbitrary: fc.constantFrom<string | undefined>(...ACCEPTED_CONTENT_TYPES) },
  { weight: 1, arbitrary: fc.constantFrom<string | undefined>(...REFUSED_CONTENT_TYPES) },
)

/** What a {@link FuzzCase} is made from. */
export interface CaseRecipe {
  readonly base: { readonly name: string; readonly body: unknown }
  readonly mutations: readonly Mutation[]
  readonly transport: Transport
  readonly contentType: string | undefined
  readonly text: TextMutation | undefined
}

/** The recipes of {@link fuzzCase}. */
export const caseRecipe: fc.Arbitrary<CaseRecipe> = fc.record({
  base,
  mutations: fc.oneof({ weight: 1, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 3, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }) }),
  transport,
  contentType,
  text: fc.option(textMutation, { freq: 7, nil: undefined }),
})

/**
 * POSTs for the endpoint: a quarter unmutated (generated or documented examples), the rest with 1
 * to 4 mutations; one in eight text-level breakage; bodies over HTTP only when within the limit.
 */
export const fuzzCase = (limits: WireLimits): fc.Arbitrary<FuzzCase> => caseRecipe.map((r) => buildCase(r, limits))

/** Cooks a recipe: mutates a copy of the base, then writes it as the transport needs. */
export const buildCase = (recipe: CaseRecipe, limits: WireLimits): FuzzCase => {
  const { base: b, mutations, transport: t, contentType: ct, text } = recipe
  {
      let model = clone(b.body)
      for (const m of mutations) model = applyMutation(model, m)
      const label = [b.name, ...mutations.map((m) => m.kind), ...(t === 'object' || text === undefined ? [] : [text.kind])].join('+')
      if (t === 'object') return { label: `${label}@object`, transport: t, contentType: ct, payload: materialise(model) }
      const body = applyText(toText(model), text)
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
      // Over HTTP only bodies within the limit: larger ones have their own test (bounds.test.ts).
      const via: Transport = t === 'http' && bytes.byteLength > limits.maxBodyBytes ? 'bytes' : typeof body !== 'string' && t === 'text' ? 'bytes' : t
      return { label: `${label}@${via}`, transport: via, contentType: ct, payload: via === 'text' ? body : bytes }
  }
}
