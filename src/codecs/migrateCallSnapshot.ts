import { timeout } from '../domain/CallOpsError.js'

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

/** The record v4 keeps for an operation v3 had no child for (none should exist): requested, or timed out. */
const recordWithoutChild = (callId: unknown, key: string, f: Json): unknown => {
  const operation = { clientContext: key, action: f.action, callId, ...(typeof f.participantId === 'string' ? { participantId: f.participantId } : {}), ...(typeof f.id === 'string' ? { id: f.id } : {}), status: 'notStarted' }
  const context = { operation, deadline: f.deadline, reportsToCall: true }
  return f.timedOut === true
    ? { value: { failed: 'timedOut' }, context: { ...context, error: timeout(key, typeof f.deadline === 'number' ? f.deadline : 0) } }
    : { value: 'requested', context }
}

/**
 * v3 → v4: an operation is no longer a child actor of its call (issue 17): its child's state value
 * and context move into its in-flight entry as `op`, and the call keeps no children. A child with
 * no in-flight entry is dropped (the call had forgotten it).
 */
const v3ToV4 = (call: unknown): unknown => {
  if (!isObject(call) || !isObject(call.context) || !isObject(call.context.inFlight)) return call
  const children = isObject(call.children) ? call.children : {}
  const inFlight = Object.entries(call.context.inFlight).map(([key, f]): [string, unknown] => {
    if (!isObject(f)) return [key, f]
    const child = Object.hasOwn(children, key) ? children[key] : undefined
    const snapshot = isObject(child) && isObject(child.snapshot) ? child.snapshot : undefined
    const op = snapshot === undefined ? recordWithoutChild(isObject(call.context) ? call.context.callId : undefined, key, f) : { value: snapshot.value, context: snapshot.context }
    return [key, { ...f, op }]
  })
  return { ...call, context: { ...call.context, inFlight: fromEntries(inFlight) }, children: {} }
}

const steps: Readonly<Record<number, (call: unknown) => unknown>> = { 1: v1ToV2, 2: v2ToV3, 3: v3ToV4 }

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
