/**
 * Who someone is, as Graph's `identitySet` tells it, normalised: which member was set and its
 * fields. `encrypted` is how Graph shows a caller when the app lacks the permission to see them.
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

/** One identity of an identitySet (`null` members of the wire are left out). */
export interface Identity {
  readonly kind: IdentityKind
  readonly id?: string
  readonly displayName?: string
  readonly tenantId?: string
}

/**
 * Every non-null member of a Graph identitySet, in a stable order (user, phone, application,
 * applicationInstance, guest, device, encrypted, onPremises, then others as `unknown`).
 */
export type IdentityList = readonly Identity[]
