import type { EndToEndResult, VariantSummary } from './e2e/runEndToEnd.js'
import type { BenchResults } from './runSuite.js'
import { formatProfile } from './support/summarizeProfile.js'
import type { Spread } from './support/summarize.js'

const n = (x: number, digits = 0): string =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–'

const mmm = (s: Spread | null, digits = 0, unit = ''): string =>
  s === null ? '–' : `${n(s.min, digits)} / **${n(s.median, digits)}** / ${n(s.max, digits)}${unit}`

const table = (head: readonly string[], rows: readonly (readonly string[])[]): string[] => [
  `| ${head.join(' | ')} |`,
  `|${head.map(() => '---').join('|')}|`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
]

const label = (v: VariantSummary['variant']): string => {
  switch (v) {
    case 'callops':
      return 'callops (memory store)'
    case 'fetch':
      return 'baseline fetch + Map'
    case 'undici':
      return 'baseline undici.request + Map'
    case 'callops-redis':
      return 'callops, Redis store, 1 instance'
    case 'callops-redis-2':
      return 'callops, Redis store, 2 instances'
  }
}

const e2eTable = (e: EndToEndResult): string[] =>
  table(
    ['variant', 'operations/s', 'bot CPU µs/op', 'of it system', 'CPU vs undici', 'ops/s vs undici', 'latency p50 ms', 'latency p99 ms', 'failed / unsettled'],
    e.summary.map((s) => [
      label(s.variant),
      mmm(s.opsPerSec),
      mmm(s.cpuUsPerOp),
      n(s.systemCpuUsPerOp.median),
      mmm(s.cpuVsUndici, 2, '×'),
      mmm(s.opsVsUndici, 2, '×'),
      mmm(s.latencyP50Ms, 1),
      mmm(s.latencyP99Ms, 1),
      `${s.failures} / ${s.unsettled}`,
    ]),
  )

/**
 * The results as Markdown: one table per item (min / **median** / max), the budget, and the
 * profiles' top items when there are any. Printed by `npm run bench` and pasted into
 * docs/performance.md.
 */
export const formatResults = (r: BenchResults): string => {
  const m = r.machine
  const out: string[] = [
    `Run ${r.startedAt} → ${r.finishedAt} on ${m.cpuModel}, nproc ${m.nproc}, ${m.totalMemoryGiB} GiB, Node ${m.node} (${m.platform}); ` +
      `load average ${n(m.loadAverage.start, 1)} at the start, ${n(m.loadAverage.end, 1)} at the end.`,
    `Command: \`${r.command}\``,
    '',
    '**Issue 17\'s table** (medians; each figure beside the baseline\'s in the same run)',
    '',
    ...table(['line', 'target', 'callops', 'baseline', 'met'], r.budget.map((b) => [b.item, b.target, b.measured, b.baseline, b.met === null ? '–' : b.met ? 'yes' : '**no**'])),
    '',
  ]
  if (r.e2e !== null) {
    const o = r.options.e2e
    out.push(
      `**1. End to end** against the simulator (own process, latency 0, faults off): ${n(r.e2e.calls)} calls, each startHoldMusic → stopHoldMusic → unmute, ` +
        `${n(r.e2e.concurrency)} at a time; each bot in its own process, variants alternated in ${o.runs} measured rounds after ${o.warmupRounds} warm-up round(s) ` +
        `and ${o.warmupCalls} warm-up calls per process. Bot CPU is \`process.cpuUsage()\` of the bot process, webhook included. min / **median** / max.`,
      '',
      ...e2eTable(r.e2e),
      '',
    )
  }
  if (r.dispatch !== null) {
    out.push(
      `**2. Notification dispatch** in one process: \`handleNotification(body, headers)\` called in-process with each POST's JSON bytes, every open call waiting for one ` +
        `operation; ${n(r.dispatch.notifications)} completions (or one per open call, when there are more) decoded, routed and applied per run (64 at a time); latency from handler entry to the operation's ` +
        'promise settling, one at a time. Auth on: RS256 tokens checked against a local OpenID metadata server. Baseline: the hand-written bots\' handler ' +
        '(parse, find the waiting promise by clientContext, settle it) on the same bodies in the same process. min / **median** / max.',
      '',
      ...table(
        ['open calls', 'auth', 'notifications / CPU-second', 'notifications / s (wall)', 'CPU µs each', 'baseline CPU µs each', 'CPU vs baseline', 'latency p50 µs', 'latency p99 µs', 'errors'],
        r.dispatch.summary.map((s) => [
          n(s.openCalls),
          s.auth ? 'on' : 'off',
          mmm(s.perCpuSec),
          mmm(s.perSec),
          mmm(s.cpuUsPerNotification, 1),
          mmm(s.baselineCpuUsPerNotification, 1),
          mmm(s.vsBaseline, 1, '×'),
          mmm(s.latencyP50Us),
          mmm(s.latencyP99Us),
          String(s.errors),
        ]),
      ),
      '',
    )
  }
  if (r.memory !== null) {
    out.push(
      '**3. Memory** per open call after full GCs (`node --expose-gc`), against the same process before the calls existed; "in flight" adds one startHoldMusic waiting for its completion (the caller\'s promise included).',
      '',
      ...table(
        ['open calls', 'heap idle', 'RSS idle', 'heap, one op in flight', 'RSS, one op in flight'],
        r.memory.map((x) => [
          n(x.calls),
          `${n(x.heapIdleBytesPerCall / 1024, 1)} KiB`,
          `${n(x.rssIdleBytesPerCall / 1024, 1)} KiB`,
          `${n(x.heapInFlightBytesPerCall / 1024, 1)} KiB`,
          `${n(x.rssInFlightBytesPerCall / 1024, 1)} KiB`,
        ]),
      ),
      '',
    )
  }
  if (r.redis.status === 'not run') out.push(`**4. Redis store**: not run (${r.redis.reason}).`, '')
  else {
    const o = r.options.redis
    out.push(
      `**4. Redis store** (${r.redis.redis}): item 1's scenario, ${n(r.redis.calls)} calls, ${n(r.redis.concurrency)} at a time, ${o.runs} rounds after ${o.warmupRounds} warm-up round(s). ` +
        'Two instances: two bot processes on one Redis, each commanding half the calls and receiving the notifications of the other half (CPU is the sum of both; latency the worse). ' +
        'Redis\'s own CPU is not counted.',
      '',
      ...e2eTable(r.redis),
      '',
    )
  }
  if (r.calls !== null) {
    const o = r.options.calls
    out.push(
      `**5. Whole calls**: the simulator (own process) rings the bot ${n(r.calls.calls)} times, ${n(r.calls.concurrency)} calls at a time; the bot answers, plays a prompt, ` +
        'puts the caller on hold, takes them off and hangs up, each step awaited until the notification that ends it. Baseline: a hand-written undici bot doing the same requests ' +
        `and waiting for the same notifications. ${o.runs} rounds after ${o.warmupRounds} warm-up round(s), bots alternated, a fresh process each run with ${o.warmupCalls} warm-up calls. ` +
        'Bot CPU includes the ring request (one undici POST to the simulator, the same for both). min / **median** / max.',
      '',
      ...table(
        ['bot', 'calls / CPU-second', 'CPU µs per call', 'calls / s (wall)', 'vs undici (calls / CPU-s)', 'failed steps / unsettled'],
        r.calls.summary.map((s) => [
          s.variant === 'callops' ? 'callops (memory store)' : 'baseline undici.request + Maps',
          mmm(s.callsPerCpuSec),
          mmm(s.cpuUsPerCall),
          mmm(s.callsPerSec),
          mmm(s.vsUndici, 2, '×'),
          `${s.failures} / ${s.unsettled}`,
        ]),
      ),
      '',
    )
  }
  for (const p of r.profiles) out.push('```', ...formatProfile(p), '```', '')
  return out.join('\n')
}
