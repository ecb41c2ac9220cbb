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

// Stands for a v1 hold attempt whose key v1 did not keep: it never resolves, so it keeps the slot
// until a stopHoldMusic succeeds, which is what v1's `uncertain` meant.
const UNKNOWN_EARLIER_ATTEMPT = 'callops:v1-earlier-attempt'

/** v1's hold slot (`uncertain`, `timedOutStopKey`) as v2's (`attempts`, `timedOutStops`). */
const holdV1ToV2 = (hold: unknown): unknown => {
  if (!isObject(hold) || typeof hold.holdKey !== 'string') return hold
  const { uncertain, timedOutStopKey, ...rest } = hold
  const attempts = uncertain === true ? [UNKNOWN_EARLIER_ATTEMPT, hold.holdKey] : [hold.holdKey]
  return {
    ...rest,
    attempts,
    ...(typeof timedOutStopKey === 'string' ? { timedOutStops: [{ clientContext: timedOutStopKey, covers: attempts }] } : {}),
  }
}

/**
 * v1 → v2:
 * - an operation child reports to its call through a `reportsToCall` flag in its context (before,
 *   the machine read XState's private `_parent`); every child of a stored call is the call's;
 * - the hold slot lists every attempt that may hold its participant (issue 14).
 */
const v1ToV2 = (call: unknown): unknown => {
  if (!isObject(call)) return call
  const context = isObject(call.context) && call.context.hold !== undefined ? { ...call.context, hold: holdV1ToV2(call.context.hold) } : call.context
  if (!isObject(call.children)) return { ...call, context }
  const children = Object.entries(call.children).map(([key, child]): [string, unknown] => {
    if (!isObject(child) || !isObject(child.snapshot) || !isObject(child.snapshot.context)) return [key, child]
    return [key, { ...child, snapshot: { ...child.snapshot, context: { ...child.snapshot.context, reportsToCall: true } } }]
  })
  return { ...call, context, children: fromEntries(children) }
}

/** v2's state value as v3's: the hold slot's `active.*` lives in `established`, `ended` is `terminated`. */
const stateV2ToV3 = (value: unknown): unknown => {
  if (value === 'ended') return 'terminated'
  if (isObject(value) && typeof value.active === 'string' && Object.keys(value).length === 1) return { established: { hold: value.active, transfer: 'idle' } }
  return value
}

/**
 * v2 → v3: the call machine models the call's lifecycle (issue 15). A v2 call was always one
 * callops met established: `active.<slot>` → `established.hold.<slot>` (no transfer under way),
 * `ended` → `terminated`. The context gains only optional fields.
 */
const v2ToV3 = (call: unknown): unknown => (isObject(call) ? { ...call, value: stateV2ToV3(call.value) } : call)

const steps: Readonly<Record<number, (call: unknown) => unknown>> = { 1: v1ToV2, 2: v2ToV3 }

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
