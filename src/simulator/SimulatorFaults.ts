import * as t from 'io-ts'

const rate = new t.Type<number, number, unknown>(
  'Rate',
  (u): u is number => typeof u === 'number' && u >= 0 && u <= 1,
  (u, c) => (typeof u === 'number' && u >= 0 && u <= 1 ? t.success(u) : t.failure(u, c, 'expected a share from 0 to 1')),
  (n) => n,
)

const nonNegative = new t.Type<number, number, unknown>(
  'NonNegative',
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u >= 0,
  (u, c) =>
    typeof u === 'number' && Number.isFinite(u) && u >= 0 ? t.success(u) : t.failure(u, c, 'expected a number ≥ 0'),
  (n) => n,
)

const range = new t.Type<readonly [number, number], readonly [number, number], unknown>(
  'MsRange',
  (u): u is readonly [number, number] =>
    Array.isArray(u) && u.length === 2 && nonNegative.is(u[0]) && nonNegative.is(u[1]) && u[0] <= u[1],
  (u, c) =>
    Array.isArray(u) && u.length === 2 && nonNegative.is(u[0]) && nonNegative.is(u[1]) && u[0] <= u[1]
      ? t.success([u[0], u[1]] as const)
      : t.failure(u, c, 'expected [min, max] milliseconds with 0 ≤ min ≤ max'),
  (r) => r,
)

/**
 * Fault injection settings, for the whole simulator or one call (a call's settings override the
 * simulator's key by key). Shares are from 0 to 1; every fault is off by default.
 */
export const SimulatorFaults = t.partial(
  {
    /** Delay before each Graph answer is written, drawn in [min, max] ms. */
    answerLatencyMs: range,
    /** Delay before each notification is posted (and before a pending operation completes), in [min, max] ms. */
    notificationLatencyMs: range,
    /** Share of Graph requests answered 429 with `Retry-After`. */
    throttleRate: rate,
    /** The `Retry-After` of 429 and 503 answers, in seconds (default 1; 0 for fast tests). */
    retryAfterSeconds: nonNegative,
    /** Share of Graph requests answered 503. */
    unavailableRate: rate,
    /** Share of notification POSTs never sent. */
    dropRate: rate,
    /** Share of notification POSTs sent twice. */
    duplicateRate: rate,
    /** Hold back a call's notifications for this many ms, then send them shuffled (0 = in order). */
    reorderWindowMs: nonNegative,
    /** Share of operations whose notification is delivered before their HTTP answer is written. */
    notifyBeforeAnswer: rate,
    /** Share of notifications spelled in a documented variant (slash, `/app/calls`, upper-case ids, `Running`). */
    idVariants: rate,
    /** Share of operations that end `failed` with resultInfo 500/8500. */
    failRate: rate,
    /** Share of invite completions in the documented form with `"id": null` and `…/operations/participants`. */
    inviteIdNull: rate,
    // --- whole calls
    /** Share of answered and outgoing calls whose `established` is posted before `establishing` (documented as possible). */
    establishedFirst: rate,
    /** Share of pressed keys whose `toneInfo` notification is posted twice. */
    toneRepeatRate: rate,
    /** Share of pressed keys whose `toneInfo` notification is posted after the next key's. */
    toneReorderRate: rate,
    /** Share of answers that reach the simulator after the answer deadline: 202, then `terminated` with 408/1106. */
    answerTooLate: rate,
    /** Share of transfers that fail back to `established` with resultInfo 500/7000 (blind) or 500/7700 (consultative). */
    transferFailRate: rate,
    /** Share of DELETE-call `terminated` notifications spelling `code` and `subcode` as strings, as call-delete.md prints them. */
    stringResultCodes: rate,
    /**
     * Share of action requests refused with 400 or 404 only after `lateRefusalMs` (the action is not
     * carried out): Graph's refusal reaching a bot that has already timed the operation out.
     */
    lateRefusalRate: rate,
    /** How long a late refusal takes, in ms (default 0). */
    lateRefusalMs: nonNegative,
  },
  'SimulatorFaults',
)
/** Fault injection settings (all optional, all off by default). */
export type SimulatorFaults = t.TypeOf<typeof SimulatorFaults>

/** Every fault setting with its value in force. */
export type ResolvedFaults = Required<SimulatorFaults>

/** No fault at all, no latency: the fast default. */
export const noFaults: ResolvedFaults = {
  answerLatencyMs: [0, 0],
  notificationLatencyMs: [0, 0],
  throttleRate: 0,
  retryAfterSeconds: 1,
  unavailableRate: 0,
  dropRate: 0,
  duplicateRate: 0,
  reorderWindowMs: 0,
  notifyBeforeAnswer: 0,
  idVariants: 0,
  failRate: 0,
  inviteIdNull: 0,
  establishedFirst: 0,
  toneRepeatRate: 0,
  toneReorderRate: 0,
  answerTooLate: 0,
  transferFailRate: 0,
  stringResultCodes: 0,
  lateRefusalRate: 0,
  lateRefusalMs: 0,
}

/** Lays `override` over `base`, key by key (an absent key keeps the base value). */
export const mergeFaults = (base: ResolvedFaults, override: SimulatorFaults | undefined): ResolvedFaults => {
  if (override === undefined) return base
  const merged: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(override)) if (v !== undefined) merged[k] = v
  return merged as ResolvedFaults
}
