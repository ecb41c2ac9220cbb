import * as E from 'fp-ts/lib/Either.js'
import { TONE_GAP_MS } from '../../machines/toneOrder.js'
import { canonicalId } from '../../src/domain/canonicalId.js'
import type { PressedTone } from '../../src/simulator/index.js'
import type { ChaosRun } from './ChaosRun.js'
import type { Settled } from './runCallAction.js'

/** How long the webhook may take, after the tap saw a notification, to check its token and hand it to the call. */
const TAP_LEAD_MS = 50

/**
 * The tones of one whole call, against what the caller pressed and what reached the webhook:
 * - the `tone` events are pressed tones in strictly increasing sequenceId order, each once, each the
 *   key pressed under that sequenceId (repeats and reorders of the faults change nothing);
 * - every pressed tone whose notification reached the webhook is delivered, unless it came after a
 *   later tone had already come `TONE_GAP_MS` before it (callops waits that long from the first
 *   later tone for a missing one, then moves on: a tone later still is stale, and counted so);
 * - a pressed tone is missing only when its notification was dropped (none reached the webhook);
 * - `collectDigits` (as many keys as were pressed) gets exactly the tones delivered before it settled:
 *   all of them (`count`), or `Timeout` with those when some had not come by its timeout.
 */
export const checkTones = (
  run: ChaosRun,
  callId: string,
  pressed: readonly PressedTone[],
  digits: Settled<{ readonly tones: readonly string[] }> | undefined,
  settledAt: number,
): void => {
  const key = canonicalId(callId)
  const delivered = run.tonesDelivered.get(key) ?? []
  const arrivals = run.toneArrivals.get(key) ?? []
  const fail = (what: string): void => void run.violations.push(`call ${callId}: ${what} (pressed ${JSON.stringify(pressed)}, delivered ${JSON.stringify(delivered)}, arrived ${JSON.stringify(arrivals)})`)
  run.tonesPressed += pressed.length
  run.tonesHeard += delivered.length
  for (const [i, d] of delivered.entries()) {
    const prev = delivered[i - 1]
    if (prev !== undefined && d.sequenceId <= prev.sequenceId) fail(`tone ${d.sequenceId} delivered after ${prev.sequenceId}`)
    const p = pressed.find((x) => x.sequenceId === d.sequenceId)
    if (p === undefined || p.tone !== d.tone) fail(`tone ${d.sequenceId} (${d.tone}) delivered but not pressed so`)
  }
  for (const p of pressed) {
    if (delivered.some((d) => d.sequenceId === p.sequenceId)) continue
    const came = arrivals.filter((a) => a.sequenceId === p.sequenceId)
    if (came.length === 0) {
      run.tonesDropped++
      continue
    }
    // callops waits TONE_GAP_MS from the first later tone for a missing one, then moves on. The tap
    // sees a notification before the webhook has checked its token: allow it TAP_LEAD_MS.
    const first = Math.min(...came.map((a) => a.at))
    const later = arrivals.filter((a) => a.sequenceId > p.sequenceId).map((a) => a.at)
    const stale = later.length > 0 && first - Math.min(...later) >= TONE_GAP_MS - TAP_LEAD_MS
    if (stale) run.tonesStale++
    else fail(`tone ${p.sequenceId} reached the webhook but was never delivered`)
  }
  if (digits === undefined) return
  // What collectDigits could have heard: the tones delivered before it settled.
  const heard = delivered.filter((d) => d.at <= settledAt).map((d) => d.tone)
  if (E.isRight(digits)) {
    if (JSON.stringify(digits.right.tones) !== JSON.stringify(heard) || heard.length !== pressed.length) fail(`collectDigits got ${JSON.stringify(digits.right.tones)}`)
    return
  }
  const partial = 'tones' in digits.left && Array.isArray(digits.left.tones) ? digits.left.tones : undefined
  if (digits.left._tag !== 'Timeout' || heard.length >= pressed.length || JSON.stringify(partial) !== JSON.stringify(heard)) {
    fail(`collectDigits ended ${digits.left._tag} with ${JSON.stringify(partial)}`)
  }
}
