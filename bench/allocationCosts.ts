// `npx tsc -p bench/tsconfig.json && node .cache/callops-bench/bench/allocationCosts.js [calls]` (or
// `npx tsx bench/allocationCosts.ts`, whose sites are unnamed): bytes the orchestrator allocates in
// process (no HTTP) per notification and per command, with the sites that allocate most. V8's
// sampling heap profiler counts every object, collected ones included: unlike CPU time on these noisy
// machines, the figure repeats to within a few tenths of a per cent, so a change of 1 % can be read off it.
import { Session } from 'node:inspector/promises'
import { startInProcessScenario } from './support/inProcessScenario.js'

const CALLS = Number(process.argv[2] ?? 1000)
const WARM_PASSES = 10
const PASSES = 10
const TOP = 12

interface SamplingNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly selfSize: number
  readonly children: readonly SamplingNode[]
}

const session = new Session()
session.connect()
const bySite = new Map<string, Map<string, number>>()
const totals = new Map<string, number>()

/** Runs `phase` with the sampling heap profiler on; its bytes go to `name`. */
const weighed = async (name: string, phase: () => Promise<void>): Promise<void> => {
  await session.post('HeapProfiler.startSampling', { samplingInterval: 64, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never)
  await phase()
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: SamplingNode } }
  const sites = bySite.get(name) ?? new Map<string, number>()
  bySite.set(name, sites)
  const walk = (n: SamplingNode): void => {
    if (n.selfSize > 0) {
      const site = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*?\/(src|machines|bench|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}`
      sites.set(site, (sites.get(site) ?? 0) + n.selfSize)
      totals.set(name, (totals.get(name) ?? 0) + n.selfSize)
    }
    for (const c of n.children) walk(c)
  }
  walk(profile.head)
}

const scenario = await startInProcessScenario(CALLS)
for (let pass = 0; pass < WARM_PASSES + PASSES; pass++) {
  const measured = pass >= WARM_PASSES
  const completions = scenario.completionBodies()
  if (measured) await weighed('notification: operation completed (settles the caller)', () => scenario.complete(completions))
  else await scenario.complete(completions)
  const rosters = scenario.rosterBodies()
  if (measured) await weighed('notification: roster updated (2 participants, no entry changed)', () => scenario.roster(rosters))
  else await scenario.roster(rosters)
  if (measured) await weighed('command: startHoldMusic/stopHoldMusic until its answer is applied', scenario.command)
  else await scenario.command()
}
await scenario.close()
session.disconnect()

const each = CALLS * PASSES
process.stdout.write(`bytes allocated in process, ${CALLS} open calls, ${PASSES} passes after ${WARM_PASSES} warm-up passes:\n`)
for (const [name, total] of totals) {
  process.stdout.write(`  ${Math.round(total / each).toLocaleString('en-US').padStart(7)} B  ${name}\n`)
  const top = [...(bySite.get(name) ?? [])].sort((a, b) => b[1] - a[1]).slice(0, TOP)
  for (const [site, bytes] of top) process.stdout.write(`      ${Math.round(bytes / each).toLocaleString('en-US').padStart(6)} B  ${site}\n`)
}
process.stdout.write(`  ${Math.round([...totals.values()].reduce((a, b) => a + b, 0) / each).toLocaleString('en-US').padStart(7)} B  a round of the three\n`)
