import { describe, expect, it } from 'vitest'
import type { DispatchSummary } from '../../bench/dispatch/runDispatch.js'
import { budgetOf, DISPATCH_RATIO_OFF, DISPATCH_RATIO_ON } from '../../bench/runSuite.js'

const spread = (median: number) => ({ min: median, median, max: median })

/** One dispatch configuration measured at `callopsUs` and the handler at `handlerUs` per notification. */
const summary = (openCalls: number, auth: boolean, callopsUs: number, handlerUs: number): DispatchSummary => ({
  openCalls,
  auth,
  perSec: spread(1e6 / callopsUs),
  perCpuSec: spread(1e6 / callopsUs),
  cpuUsPerNotification: spread(callopsUs),
  baselineCpuUsPerNotification: spread(handlerUs),
  vsBaseline: spread(callopsUs / handlerUs),
  latencyP50Us: spread(callopsUs),
  latencyP99Us: spread(callopsUs),
  errors: 0,
})

const dispatchLines = (off: DispatchSummary, on: DispatchSummary) => {
  const lines = budgetOf({ e2e: null, dispatch: { notifications: 1000, runs: [], summary: [off, on] }, memory: null, redis: { status: 'not run', reason: 'test' }, calls: null })
  return { off: lines.find((l) => l.item.startsWith('dispatch, auth off')), on: lines.find((l) => l.item.startsWith('dispatch, auth on')) }
}

describe("issue 17's dispatch lines", () => {
  it('are the absolute targets on the machine the issue measured: 50,000 and 25,000 /CPU-s with its 4.6 µs handler', () => {
    expect(4.6 * DISPATCH_RATIO_OFF).toBeCloseTo(20, 10)
    expect(4.6 * DISPATCH_RATIO_ON).toBeCloseTo(40, 10)
  })

  it('are read as ratios to the handler: a faster machine that clears 50,000 /CPU-s at 7.6× the handler does not meet them', () => {
    // This machine's figures of 2026-12-04: the handler at 2.65 µs, callops at 20.2 µs auth off and 24.9 µs on.
    const { off, on } = dispatchLines(summary(1000, false, 19.9, 2.65), summary(1000, true, 24.9, 2.65))
    expect(off).toMatchObject({ met: false, measured: '50,251 /CPU-s (7.51× the handler)' })
    expect(on?.met).toBe(false)
  })

  it('are met at or under the ratios, whatever the absolute figure', () => {
    const { off, on } = dispatchLines(summary(1000, false, 4.3 * 6, 6), summary(1000, true, 8.6 * 6, 6))
    expect(off?.met).toBe(true)
    expect(on?.met).toBe(true)
    expect(off?.target).toBe('≥ 50,000 /CPU-s (≤ 4.35× the handler)')
    expect(on?.target).toBe('≥ 25,000 /CPU-s (≤ 8.70× the handler)')
  })
})
