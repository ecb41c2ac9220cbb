/**
 * The documented spellings of a notification that a client must accept: the resourceUrl with the
 * leading slash flipped, the legacy `/app/calls/...` prefix, ids upper-case without dashes, and a
 * capitalised status (`Completed`).
 */
export type IdVariant = 'slash' | 'legacyApp' | 'upperIds' | 'capitalStatus'

/** Every {@link IdVariant}, in the order the simulator draws them. */
export const idVariants: readonly IdVariant[] = ['slash', 'legacyApp', 'upperIds', 'capitalStatus']

/** What a notification says, before it is spelled. */
export interface NotificationSpec {
  readonly changeType: 'created' | 'updated' | 'deleted'
  readonly callId: string
  /** The path after `communications/calls/{callId}`: `['operations', id]`, `['participants']` or `[]`. */
  readonly rest: readonly string[]
  /** The docs show operation URLs without the slash and roster and call URLs with it. */
  readonly leadingSlash: boolean
  readonly resourceData: Readonly<Record<string, unknown>> | readonly Readonly<Record<string, unknown>>[]
}

/** The wire form of one notification. */
export interface SpelledNotification {
  readonly '@odata.type': '#microsoft.graph.commsNotification'
  readonly changeType: 'created' | 'updated' | 'deleted'
  readonly resourceUrl: string
  readonly resourceData: Readonly<Record<string, unknown>> | readonly Readonly<Record<string, unknown>>[]
}

const upper = (id: string): string => id.replace(/-/g, '').toUpperCase()

const capitalise = (s: string): string => (s === '' ? s : s[0]?.toUpperCase() + s.slice(1))

/**
 * Spells a notification in its canonical form, or in one documented variant.
 *
 * @example
 * ```ts
 * spellNotification({ changeType: 'deleted', callId: 'c', rest: ['operations', 'o'], leadingSlash: false, resourceData: {} }, 'legacyApp')
 * // resourceUrl: '/app/calls/c/operations/o'
 * ```
 */
export const spellNotification = (spec: NotificationSpec, variant?: IdVariant): SpelledNotification => {
  const isOperation = spec.rest[0] === 'operations'
  const callId = variant === 'upperIds' ? upper(spec.callId) : spec.callId
  const rest = variant === 'upperIds' && isOperation ? spec.rest.map((s, i) => (i === 1 ? upper(s) : s)) : spec.rest
  const tail = [callId, ...rest].join('/')
  const resourceUrl =
    variant === 'legacyApp'
      ? `/app/calls/${tail}`
      : `${(variant === 'slash' ? !spec.leadingSlash : spec.leadingSlash) ? '/' : ''}communications/calls/${tail}`
  let resourceData = spec.resourceData
  if (!Array.isArray(resourceData)) {
    const data = resourceData as Readonly<Record<string, unknown>>
    const id = data['id']
    const status = data['status']
    if (variant === 'upperIds' && typeof id === 'string' && (isOperation || spec.rest.length === 0)) {
      resourceData = { ...data, id: upper(id) }
    } else if (variant === 'capitalStatus' && typeof status === 'string') {
      resourceData = { ...data, status: capitalise(status) }
    }
  }
  return { '@odata.type': '#microsoft.graph.commsNotification', changeType: spec.changeType, resourceUrl, resourceData }
}
