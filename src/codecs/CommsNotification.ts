import * as t from 'io-ts'
import { intersection, union } from './loopGuards.js'

const changeTypes = { created: null, updated: null, deleted: null } as const
/** What happened to the resource of a notification. */
export type ChangeType = keyof typeof changeTypes

// A Set, not `in`: `'constructor' in changeTypes` is true through Object.prototype.
const known: ReadonlySet<string> = new Set(Object.keys(changeTypes))

/** `changeType`, accepted in any casing and normalised to lower case. */
export const ChangeType = new t.Type<ChangeType, string, unknown>(
  'ChangeType',
  (u): u is ChangeType => typeof u === 'string' && known.has(u),
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c)
    const s = u.toLowerCase()
    return known.has(s) ? t.success(s as ChangeType) : t.failure(u, c)
  },
  (s) => s,
)

const Fields = intersection([
  t.type({ changeType: ChangeType }),
  t.partial({
    resourceUrl: t.string,
    /** The older spelling (`/app/calls/…`), printed alone by historical pages and the samples article. */
    resource: t.string,
    resourceData: union([t.UnknownRecord, t.array(t.UnknownRecord), t.null]),
  }),
])

/**
 * One notification, with `resourceUrl` always set (taken from `resource` when only that is there).
 *
 * @example
 * ```ts
 * const n: CommsNotification = {
 *   changeType: 'updated',
 *   resourceUrl: `/communications/calls/${callId}`,
 *   resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established' },
 * }
 * ```
 */
export interface CommsNotification {
  readonly changeType: ChangeType
  readonly resourceUrl: string
  /** The older spelling of the URL, when the notification carried it. */
  readonly resource?: string
  /** One object or an array; what it holds depends on `resourceUrl`. */
  readonly resourceData?: Record<string, unknown> | Record<string, unknown>[] | null
}

const hasResourceUrl = (f: t.TypeOf<typeof Fields>): f is CommsNotification => typeof f.resourceUrl === 'string'

/**
 * Graph's `commsNotification`. `resourceData` is one object or an array; what it holds depends on
 * `resourceUrl` (an operation, the participants, the call), so the pipeline decodes it once it has
 * routed the URL. Older formats carry `resource` and no `resourceUrl`: `resource` is read then.
 * Fields callops does not read (`@odata.type`, `subscriptionId`, ...) are never checked.
 */
export const CommsNotification = new t.Type<CommsNotification, CommsNotification, unknown>(
  'CommsNotification',
  (u): u is CommsNotification => Fields.is(u) && hasResourceUrl(u),
  (u, c) => {
    // Under an unnamed entry: the path of a failure stays `value.0.changeType` (see pathOf).
    const fields = Fields.validate(u, t.appendContext(c, '', Fields, u))
    if (fields._tag === 'Left') return fields
    const f = fields.right
    if (hasResourceUrl(f)) return t.success(f)
    if (typeof f.resource === 'string') return t.success({ ...f, resourceUrl: f.resource })
    return t.failure(undefined, t.appendContext(c, 'resourceUrl', t.string, undefined), 'expected a resourceUrl (or the older resource)')
  },
  (n) => n,
)

/** Graph's `commsNotifications`: the body of every POST to the bot's callback URL. */
export const CommsNotifications = t.type({ value: t.array(CommsNotification) }, 'CommsNotifications')
/** A batch of notifications. */
export type CommsNotifications = t.TypeOf<typeof CommsNotifications>

/**
 * The envelope of a POST alone: `value` is an array. Each item is decoded on its own
 * ({@link CommsNotification}), so one odd notification does not cost the rest of its batch.
 */
export const CommsNotificationEnvelope = t.type({ value: t.array(t.unknown) }, 'CommsNotificationEnvelope')
/** A batch whose items are not decoded yet. */
export type CommsNotificationEnvelope = t.TypeOf<typeof CommsNotificationEnvelope>
