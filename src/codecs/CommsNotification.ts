import * as t from 'io-ts'

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

/**
 * Graph's `commsNotification`. `resourceData` is one object or an array; what it holds depends on
 * `resourceUrl` (an operation, the participants, the call), so the pipeline decodes it once it has
 * routed the URL.
 */
export const CommsNotification = t.intersection(
  [
    t.type({ changeType: ChangeType, resourceUrl: t.string }),
    t.partial({
      '@odata.type': t.string,
      resourceData: t.union([t.UnknownRecord, t.array(t.UnknownRecord), t.null]),
    }),
  ],
  'CommsNotification',
)
/** One notification. */
export type CommsNotification = t.TypeOf<typeof CommsNotification>

/** Graph's `commsNotifications`: the body of every POST to the bot's callback URL. */
export const CommsNotifications = t.intersection(
  [t.type({ value: t.array(CommsNotification) }), t.partial({ '@odata.type': t.string })],
  'CommsNotifications',
)
/** A batch of notifications. */
export type CommsNotifications = t.TypeOf<typeof CommsNotifications>
