import { describe, expect, it } from 'vitest'
import { formatResults } from '../../bench/formatResults.js'
import { runSuite, smokeSuiteOptions } from '../../bench/runSuite.js'

// The benchmark suite is not a timed test: this only proves that every part still runs end to end
// (child processes, the simulator, the baselines, the dispatch and memory probes) and that what
// it reports is sane. The figures of a run this small mean nothing.
describe('the benchmark suite (smoke sizes)', () => {
  it('runs items 1–5 and reports positive figures with every operation settled', async () => {
    const lines: string[] = []
    const r = await runSuite({ ...smokeSuiteOptions, runner: { kind: 'tsx' }, seed: 1, log: (l) => lines.push(l) }, 'vitest smoke')

    const e2e = r.e2e
    expect(e2e).not.toBeNull()
    expect(e2e?.summary.map((s) => s.variant)).toEqual(['callops', 'fetch', 'undici'])
    for (const run of e2e?.rounds.flat() ?? []) {
      expect(run.operations).toBe(smokeSuiteOptions.e2e.calls * 3)
      expect(run.failures).toBe(0)
      expect(run.unsettled).toBe(0)
      expect(run.opsPerSec).toBeGreaterThan(0)
      expect(run.cpuUsPerOp).toBeGreaterThan(0)
      // Each call's hold and release completions came through the webhook, at least.
      expect(run.notificationPosts).toBeGreaterThanOrEqual(smokeSuiteOptions.e2e.calls * 2)
    }
    expect(e2e?.summary.find((s) => s.variant === 'undici')?.cpuVsUndici?.median).toBe(1)

    expect(r.dispatch?.summary.map((s) => [s.openCalls, s.auth])).toEqual([
      [50, false],
      [50, true],
    ])
    for (const s of r.dispatch?.summary ?? []) {
      expect(s.errors).toBe(0)
      expect(s.perCpuSec.median).toBeGreaterThan(0)
      expect(s.baselineCpuUsPerNotification.median).toBeGreaterThan(0)
      expect(s.vsBaseline.median).toBeCloseTo(s.cpuUsPerNotification.median / s.baselineCpuUsPerNotification.median, 6)
      expect(s.latencyP99Us.median).toBeGreaterThanOrEqual(s.latencyP50Us.median)
    }

    const memory = r.memory?.[0]
    expect(memory?.calls).toBe(500)
    expect(memory?.heapIdleBytesPerCall).toBeGreaterThan(0)
    expect(memory?.heapInFlightBytesPerCall).toBeGreaterThan(memory?.heapIdleBytesPerCall ?? Infinity)

    // Item 4 needs redis-server; without it the suite says why instead of failing.
    if (r.redis.status === 'ran') {
      expect(r.redis.summary.map((s) => s.variant)).toEqual(['callops-redis', 'callops-redis-2', 'undici'])
      for (const run of r.redis.rounds.flat()) {
        expect(run.failures + run.unsettled).toBe(0)
        expect(run.cpuUsPerOp).toBeGreaterThan(0)
      }
    } else {
      expect(r.redis.reason).toMatch(/redis/i)
    }

    const calls = r.calls
    expect(calls?.summary.map((s) => s.variant)).toEqual(['callops', 'undici'])
    for (const run of calls?.rounds.flat() ?? []) {
      expect(run.calls).toBe(smokeSuiteOptions.calls.calls)
      expect(run.failures).toBe(0)
      expect(run.unsettled).toBe(0)
      expect(run.callsPerCpuSec).toBeGreaterThan(0)
      // Ringing, established, terminated and four operation completions per call, at least.
      expect(run.notificationPosts).toBeGreaterThanOrEqual(smokeSuiteOptions.calls.calls * 7)
    }
    expect(calls?.summary.find((s) => s.variant === 'undici')?.vsUndici.median).toBe(1)

    // Every line of issue 17's table is printed with its target and the baseline's figure beside it;
    // the smoke has one dispatch size, so only the growth line is not measured.
    const printed = formatResults(r)
    const items = [
      'bot CPU per operation vs the undici bot',
      'dispatch, auth off, 50 open calls',
      'dispatch cost, most open calls vs fewest',
      'dispatch, auth on, the same token again',
      'Redis store, one instance / two, vs the undici bot',
      'heap per open call with one operation in flight',
      'whole calls (answer → prompt → hold → release → hang up) per CPU-second',
    ]
    expect(r.budget.map((b) => b.item)).toEqual(items)
    for (const b of r.budget) expect(printed).toContain(`| ${b.item} | ${b.target} | ${b.measured} | ${b.baseline} |`)
    const unmeasured = r.redis.status === 'ran' ? ['dispatch cost, most open calls vs fewest'] : ['dispatch cost, most open calls vs fewest', 'Redis store, one instance / two, vs the undici bot']
    expect(r.budget.filter((b) => b.met === null).map((b) => b.item)).toEqual(unmeasured)
    for (const b of r.budget.filter((x) => x.met !== null)) expect(b.baseline).toMatch(/\d/)
  }, 90_000)
})
