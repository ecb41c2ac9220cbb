/**
 * Who someone is, as Graph's `identitySet` tells it, normalised: which member was set and its
 * fields. `encrypted` is how Graph shows a caller when the app lacks the permission to see them.
 *
 * @example
 * ```ts
 * const visible = (kind: IdentityKind): boolean => kind !== 'encrypted' && kind !== 'unknown'
 * ```
 */
export type IdentityKind =
  | 'user'
  | 'phone'
  | 'application'
  | 'applicationInstance'
  | 'guest'
  | 'device'
  | 'encrypted'
  | 'onPremises'
  | 'unknown'

/**
 * One identity of an identitySet (`null` members of the wire are left out).
 *
 * @example
 * ```ts
 * const phone = incoming.caller.find((i: Identity) => i.kind === 'phone')
 * if (phone !== undefined) console.log('calling from', phone.id) // e.g. +15550123
 * ```
 */
export interface Identity {
  readonly kind: IdentityKind
  readonly id?: string
  readonly displayName?: string
  readonly tenantId?: string
}

/**
 * Every non-null member of a Graph identitySet, in a stable order (user, phone, application,
 * applicationInstance, guest, device, encrypted, onPremises, then others as `unknown`).
 *
 * @example
 * ```ts
 * const nameOf = (ids: IdentityList): string => ids.find((i) => i.displayName !== undefined)?.displayName ?? ids[0]?.kind ?? 'unknown'
 * ```
 */
export type IdentityList = readonly Identity[]
