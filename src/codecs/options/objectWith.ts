import { OptionType } from './OptionType.js'

/** What one member of a service object must be. */
export type MemberKind = 'function' | 'optional function' | 'boolean'

const fits = (value: unknown, kind: MemberKind): boolean =>
  kind === 'boolean' ? typeof value === 'boolean' : typeof value === 'function' || (kind === 'optional function' && value === undefined)

const isObject = (u: unknown): u is Record<string, unknown> => (typeof u === 'object' && u !== null) || typeof u === 'function'

/**
 * An object that has the given members (a store, a logger, a clock, a credential): each is read
 * through the prototype chain, so class instances (a pino logger, an ioredis client) pass. Other
 * members are not looked at. The message names the members that are missing or of the wrong kind
 * (all of them are listed when nothing fits).
 *
 * @param expected - What is allowed: `a SnapshotStore`.
 * @example
 * ```ts
 * const Clock = objectWith<Clock>('a clock', { now: 'function', setTimeout: 'function', clearTimeout: 'function' })
 * ```
 */
export const objectWith = <A>(expected: string, members: Readonly<Record<string, MemberKind>>): OptionType<A> => {
  const entries = Object.entries(members)
  const required = entries.filter(([, kind]) => kind !== 'optional function').map(([name]) => name)
  const describe = `${expected}: an object with ${required.join(', ')}`
  const fault = (value: unknown, name: string, kind: MemberKind): string =>
    value === undefined ? `${name} is missing` : `${name} is not ${kind === 'boolean' ? 'true or false' : 'a function'}`
  return new OptionType<A>(
    describe,
    (u): u is A => isObject(u) && entries.every(([name, kind]) => fits(u[name], kind)),
    (u) => {
      if (!isObject(u)) return { expected: describe }
      const faults = entries.filter(([name, kind]) => !fits(u[name], kind)).map(([name, kind]) => fault(u[name], name, kind))
      return { expected: faults.length >= required.length ? describe : `${describe} (${faults.join(', ')})` }
    },
  )
}
