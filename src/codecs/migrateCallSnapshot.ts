// Each step takes a snapshot of one schema version to the next. Steps are pure and read the
// snapshot defensively (it is stored data); the result is decoded afterwards, so a step never has
// to prove the shape it passes on.

type Json = Readonly<Record<string, unknown>>

const isObject = (u: unknown): u is Json => u !== null && typeof u === 'object' && !Array.isArray(u)

/** Builds an object from entries with own properties only (a key such as `__proto__` stays data). */
const fromEntries = (entries: readonly (readonly [string, unknown])[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true })
  return out
}

/**
 * v1 → v2: an operation child reports to its call through a `reportsToCall` flag in its context
 * (before, the machine read XState's private `_parent`). Every child of a stored call is the call's.
 */
const v1ToV2 = (call: unknown): unknown => {
  if (!isObject(call) || !isObject(call.children)) return call
  const children = Object.entries(call.children).map(([key, child]): [string, unknown] => {
    if (!isObject(child) || !isObject(child.snapshot) || !isObject(child.snapshot.context)) return [key, child]
    const context = { ...child.snapshot.context, reportsToCall: true }
    return [key, { ...child, snapshot: { ...child.snapshot, context } }]
  })
  return { ...call, children: fromEntries(children) }
}

const steps: Readonly<Record<number, (call: unknown) => unknown>> = { 1: v1ToV2 }

/**
 * Brings a persisted call snapshot of schema version `from` to the current version, one step per
 * version. Pure; the input is not modified.
 *
 * @example
 * ```ts
 * const current = migrateCallSnapshot(storedBeforeVersions, 1)
 * ```
 */
export const migrateCallSnapshot = (call: unknown, from: number): unknown => {
  let out = call
  for (let v = from; steps[v] !== undefined; v++) out = steps[v]?.(out)
  return out
}
