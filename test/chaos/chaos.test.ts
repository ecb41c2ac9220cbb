import { randomInt } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { chaosOptionsFromEnv, formatChaosSummary, runChaos, type ChaosReport } from './chaos.js'

// `npm test` plays the small run with a fixed seed (60 calls, 600 operations); `npm run test:chaos`
// sets CHAOS_FULL=1 for 1,000 calls and 10,000 operations with a fresh seed. CHAOS_SEED replays one.
const full = process.env['CHAOS_FULL'] === '1'
// The small run's seed exercises every fault, the bot's retake of a timed-out hold included: 20250101
// stopped doing so once an aborted hold was no longer retried (its timing changed), 12 does (retries 12 in two runs).
const options = chaosOptionsFromEnv(process.env, { seed: full ? randomInt(2 ** 31) : 12 })
const scale = options.faultScale === undefined || options.faultScale === 1 ? '' : ` CHAOS_FAULT_SCALE=${options.faultScale}`
const replay = `replay: CHAOS_SEED=${options.seed}${full ? ' CHAOS_FULL=1' : ''}${scale} npx vitest run test/chaos/chaos.test.ts`

/**
 * Warm-up (compiled code, connection pools, signing keys: ~4 MiB measured) and the simulator's
 * request log (at most 10,000 entries of ~0.6 KiB; ~0.7 requests per operation), both with room.
 */
const heapBound = (r: ChaosReport): number => 8 * 1_048_576 + 1_024 * Math.min(r.operations, 10_000)

/** Outcomes the faults and the script can cause; anything else (Decode, CapacityExceeded, ...) is a bug. */
const expectedOutcomes = ['completed', 'HoldConflict', 'OperationFailed', 'Timeout', 'Http', 'InvalidRequest', 'CallEnded', 'Cancelled']

describe(`chaos: ${options.calls} calls × ${options.operationsPerCall} operations, every fault on, seed ${options.seed}`, () => {
  let report: ChaosReport

  beforeAll(async () => {
    console.log(`chaos seed=${options.seed} (${replay})`)
    report = await runChaos({
      ...options,
      ...(full ? { onCallDone: (done, total) => (done % 100 === 0 ? console.log(`chaos ${done}/${total} calls`) : undefined) } : {}),
    })
    console.log(formatChaosSummary(report))
    const failed = report.violations.length + report.processErrors.length > 0
    // Outcomes by action and reason: what to read first when a seed fails, and the figures of the full run.
    if (full || failed) console.log(Object.entries(report.details).map(([k, v]) => `  ${String(v).padStart(6)}  ${k}`).join('\n'))
    if (full || failed) console.log(Object.entries(report.whole.callActionOutcomes).map(([k, v]) => `  ${String(v).padStart(6)}  whole call: ${k}`).join('\n'))
  }, full ? 1_800_000 : 180_000)

  it('settles every operation, each exactly once', () => {
    expect(report.violations, replay).toEqual([])
    expect(report.whole.calls + report.whole.establishedCalls).toBe(options.calls)
    expect(report.operations).toBe(report.whole.establishedCalls * options.operationsPerCall + report.whole.operations + report.retries)
    expect(report.settled, replay).toBe(report.operations)
  })

  it('ends every operation completed, or failed for a reason the faults provoke', () => {
    expect(Object.keys(report.outcomes).filter((k) => !expectedOutcomes.includes(k)), replay).toEqual([])
    // Most operations complete under the default faults; harsher scales only need some to.
    expect(report.outcomes['completed'] ?? 0).toBeGreaterThan((options.faultScale ?? 1) <= 1 ? report.operations / 3 : 0)
  })

  it('never has two participants of a call on hold at once, by the simulator, and Graph never had to refuse a hold', () => {
    expect(report.holds).toBeGreaterThan(0)
    expect(report.overlaps, replay).toBe(0)
    expect(report.graphHoldRefusals, replay).toBe(0)
  })

  it('leaves no call with a hold slot nobody holds unless an outcome of the call never reached callops', () => {
    expect(report.stuckSlots, replay).toBe(0)
  })

  it('has no unhandled rejection or uncaught exception', () => {
    expect(report.processErrors, replay).toEqual([])
  })

  it('tracks no call and no pending operation once every call ended, and the heap is back near its start', () => {
    expect(report.tracked, replay).toEqual({ calls: 0, pendingOperations: 0, pendingCallActions: 0 })
    expect(report.heap.afterBytes - report.heap.beforeBytes, `${replay} (gc ${report.heap.mode})`).toBeLessThan(heapBound(report))
  })

  it('plays whole calls: every call action and digit collection settles once, for an expected reason, and tones come in order', () => {
    // The per-action expected tags are checked as each settles (playWholeCall.ts); a stray one is a violation above.
    expect(report.whole.calls).toBeGreaterThan(0)
    expect(report.whole.callActionsSettled, replay).toBe(report.whole.callActions)
    expect(report.whole.callActionOutcomes['answer ok'] ?? 0).toBeGreaterThan(0)
    expect(report.whole.tones.pressed).toBeGreaterThan(0)
    expect(report.whole.tones.delivered + report.whole.tones.dropped + report.whole.tones.stale, replay).toBe(report.whole.tones.pressed)
  })

  it('really injected the faults', () => {
    const n = report.simulator.notifications
    expect(report.simulator.throttled).toBeGreaterThan(0)
    expect(report.simulator.unavailable).toBeGreaterThan(0)
    expect(n.dropped).toBeGreaterThan(0)
    expect(n.duplicated).toBeGreaterThan(0)
    expect(n.variants).toBeGreaterThan(0)
    expect(report.outcomes['Timeout'] ?? 0).toBeGreaterThan(0)
    expect(report.outcomes['OperationFailed'] ?? 0).toBeGreaterThan(0)
    expect(report.simulator.refusedLate).toBeGreaterThan(0)
    expect(report.retries).toBeGreaterThan(0)
    expect(report.clockSteps).toBeGreaterThan(0)
  })
})
