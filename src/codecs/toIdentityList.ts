import * as t from 'io-ts'
import type { Identity, IdentityKind, IdentityList } from '../domain/Identity.js'
import type { Mutable } from '../domain/Mutable.js'

const Member = t.partial({ id: t.unknown, displayName: t.unknown, tenantId: t.unknown })

const order: readonly IdentityKind[] = ['user', 'phone', 'application', 'applicationInstance', 'guest', 'device', 'encrypted', 'onPremises']
const rank: ReadonlyMap<string, number> = new Map(order.map((k, i) => [k, i]))

const member = (kind: IdentityKind, value: unknown): Identity | undefined => {
  if (!Member.is(value)) return undefined
  const identity: Mutable<Identity> = { kind }
  // Only strings are read: a member callops cannot read is still listed, by its kind.
  if (typeof value.id === 'string') identity.id = value.id
  if (typeof value.displayName === 'string') identity.displayName = value.displayName
  if (typeof value.tenantId === 'string') identity.tenantId = value.tenantId
  return identity
}

/**
 * Every non-null member of a Graph `identitySet` as an {@link IdentityList}: user, phone,
 * application, applicationInstance, guest, device, encrypted, onPremises, then members Graph adds
 * later as `unknown`. `@odata.type` and other annotations are not members.
 *
 * @example
 * ```ts
 * toIdentityList({ encrypted: { id: '1xt4uextl99s' } }) // [{ kind: 'encrypted', id: '1xt4uextl99s' }]
 * ```
 */
export const toIdentityList = (set: object | null | undefined): IdentityList => {
  if (set === null || set === undefined) return []
  const known: Identity[] = []
  const others: Identity[] = []
  for (const [key, value] of Object.entries(set)) {
    if (key.startsWith('@') || value === null || value === undefined) continue
    const at = rank.get(key)
    const kind = at === undefined ? 'unknown' : (order[at] ?? 'unknown')
    const identity = member(kind, value)
    if (identity !== undefined) (at === undefined ? others : known).push(identity)
  }
  known.sort((a, b) => (rank.get(a.kind) ?? 0) - (rank.get(b.kind) ?? 0))
  return others.length === 0 ? known : [...known, ...others]
}
