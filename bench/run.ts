// `npm run bench` / `npm run bench:smoke`: runs the suite of issue 8, prints Markdown tables and
// writes the JSON. Flags: see `--help`.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { formatResults } from './formatResults.js'
import { defaultSuiteOptions, runSuite, smokeSuiteOptions, type SuiteOptions, type SuitePart } from './runSuite.js'
import { compileBench } from './support/compileBench.js'

const usage = `Usage: npm run bench -- [options]     (npm run bench:smoke: the tiny version)

  --calls <n>                 item 1: calls per run (default 2000)
  --concurrency <n>           item 1: calls at a time (default 200)
  --runs <n>                  item 1: measured rounds (default 5)
  --warmup-rounds <n>         item 1: rounds thrown away first (default 1)
  --warmup-calls <n>          item 1: calls each bot process runs before measuring (default 200)
  --dispatch-calls <a,b>      item 2: open calls (default 1000,100000)
  --dispatch-notifications <n> item 2: notifications per run (default 20000; at least one per open call)
  --dispatch-runs <n>         item 2: runs per configuration (default 3)
  --memory-calls <a,b>        item 3: open calls (default 10000,100000)
  --only <parts>              some of e2e,dispatch,memory,redis,calls
  --redis <url>               item 4: the Redis to use (default: a private redis-server on a free port)
  --redis-calls <n>           item 4: calls per run (default 1000)
  --redis-runs <n>            item 4: measured rounds (default 3)
  --whole-calls <n>           item 5: rung calls per run (default 1000)
  --whole-runs <n>            item 5: measured rounds (default 3)
  --profile                   also profile one extra round of items 1 and 4 and one dispatch run
  --runner <tsx|compiled>     how children run (default compiled; smoke: tsx)
  --out <file>                JSON output (default bench/results/latest.json; smoke: bench/results/smoke.json)
  --smoke                     tiny sizes, seconds`

const { values } = parseArgs({
  options: {
    calls: { type: 'string' },
    concurrency: { type: 'string' },
    runs: { type: 'string' },
    'warmup-rounds': { type: 'string' },
    'warmup-calls': { type: 'string' },
    'dispatch-calls': { type: 'string' },
    'dispatch-notifications': { type: 'string' },
    'dispatch-runs': { type: 'string' },
    'memory-calls': { type: 'string' },
    only: { type: 'string' },
    redis: { type: 'string' },
    'redis-calls': { type: 'string' },
    'redis-runs': { type: 'string' },
    'whole-calls': { type: 'string' },
    'whole-runs': { type: 'string' },
    profile: { type: 'boolean' },
    runner: { type: 'string' },
    out: { type: 'string' },
    smoke: { type: 'boolean' },
    help: { type: 'boolean' },
  },
  strict: true,
})

if (values.help === true) {
  process.stdout.write(`${usage}\n`)
  process.exit(0)
}

const integer = (flag: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback
  const v = Number(text)
  if (!Number.isInteger(v) || v < 0) throw new TypeError(`--${flag}: expected a non-negative integer, got ${JSON.stringify(text)}`)
  return v
}
const list = (flag: string, text: string | undefined, fallback: readonly number[]): number[] =>
  text === undefined ? [...fallback] : text.split(',').map((x) => integer(flag, x.trim(), 0))

const parts = ['e2e', 'dispatch', 'memory', 'redis', 'calls'] as const
const isPart = (p: string): p is SuitePart => (parts as readonly string[]).includes(p)

const smoke = values.smoke === true
const base = smoke ? smokeSuiteOptions : defaultSuiteOptions
const only = values.only?.split(',').map((p) => p.trim())
const bad = only?.find((p) => !isPart(p))
if (bad !== undefined) throw new TypeError(`--only: unknown part ${JSON.stringify(bad)} (expected some of ${parts.join(',')})`)
const runnerKind = values.runner ?? (smoke ? 'tsx' : 'compiled')
if (runnerKind !== 'tsx' && runnerKind !== 'compiled') throw new TypeError('--runner: expected tsx or compiled')
const here = dirname(fileURLToPath(import.meta.url))
const log = (line: string): void => void process.stderr.write(`${line}\n`)

if (runnerKind === 'compiled') log('compiling the bench with tsc (bench/tsconfig.json)…')
const options: SuiteOptions = {
  parts: only?.filter(isPart) ?? base.parts,
  e2e: {
    calls: integer('calls', values.calls, base.e2e.calls),
    concurrency: integer('concurrency', values.concurrency, base.e2e.concurrency),
    runs: integer('runs', values.runs, base.e2e.runs),
    warmupRounds: integer('warmup-rounds', values['warmup-rounds'], base.e2e.warmupRounds),
    warmupCalls: integer('warmup-calls', values['warmup-calls'], base.e2e.warmupCalls),
  },
  dispatch: {
    openCalls: list('dispatch-calls', values['dispatch-calls'], base.dispatch.openCalls),
    notifications: integer('dispatch-notifications', values['dispatch-notifications'], base.dispatch.notifications),
    latencySamples: base.dispatch.latencySamples,
    runs: integer('dispatch-runs', values['dispatch-runs'], base.dispatch.runs),
  },
  memory: { calls: list('memory-calls', values['memory-calls'], base.memory.calls) },
  redis: {
    ...base.redis,
    calls: integer('redis-calls', values['redis-calls'], base.redis.calls),
    runs: integer('redis-runs', values['redis-runs'], base.redis.runs),
  },
  calls: {
    ...base.calls,
    calls: integer('whole-calls', values['whole-calls'], base.calls.calls),
    runs: integer('whole-runs', values['whole-runs'], base.calls.runs),
  },
  ...(values.redis === undefined ? {} : { redisUrl: values.redis }),
  ...(values.profile === true ? { profileDir: `${here}/results/profiles` } : {}),
  ...(smoke ? { concurrent: true } : {}),
  runner: runnerKind === 'tsx' ? { kind: 'tsx' } : { kind: 'compiled', dir: await compileBench() },
  seed: 8,
  log,
}
if (options.profileDir !== undefined) mkdirSync(options.profileDir, { recursive: true })

const command = `npm run ${smoke ? 'bench:smoke' : 'bench'}${process.argv.slice(2).filter((a) => a !== '--smoke').length > 0 ? ` -- ${process.argv.slice(2).filter((a) => a !== '--smoke').join(' ')}` : ''}`
const results = await runSuite(options, command)
const out = values.out ?? `${here}/results/${smoke ? 'smoke' : 'latest'}.json`
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
process.stdout.write(`${formatResults(results)}\n`)
log(`results written to ${out}`)
