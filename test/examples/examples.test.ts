import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSimulator, type Simulator } from '../../src/simulator/index.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs an example as `npx tsx examples/<name>.ts` would, in a child process with a time limit. */
const runExample = (name: string, args: readonly string[] = []): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', `examples/${name}.ts`, ...args],
      { cwd: root, timeout: 45_000, env: { ...process.env, NODE_OPTIONS: '' } },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
    )
  })

const EXPECTED_LINES = [/^Alice is on hold \(operation [0-9a-f-]{36}\)$/m, /^Holding Bob too is refused/m, /^Alice is back$/m]

let sim: Simulator
beforeAll(async () => {
  sim = await createSimulator({ seed: 3 })
})
afterAll(async () => {
  await sim.close()
})

describe.concurrent('the examples run against the simulator and exit 0', () => {
  it.each(['node-http-bot', 'express-bot', 'fastify-bot'])('%s (simulator in-process)', async (name) => {
    const run = await runExample(name)
    expect(run.stderr).toBe('')
    for (const line of EXPECTED_LINES) expect(run.stdout).toMatch(line)
    expect(run.code).toBe(0)
  }, 60_000)

  it('getting-started (the guide’s 30-line bot)', async () => {
    const run = await runExample('getting-started')
    expect(run.stderr).toBe('')
    expect(run.stdout).toBe('hold alice: completed\nhold bob: HoldConflict\nunhold alice: completed\n')
    expect(run.code).toBe(0)
  }, 60_000)

  const head = (tone: string) => ['answer: ok', 'subscribe to tones: ok', 'menu: ok', 'key: ok', `the caller pressed ${tone}`, 'hold the caller: ok']
  it.each([
    ['1', [...head('tone1'), 'invite the agent: ok', 'a second hold is refused: one participant on hold at a time', 'release the caller: ok', 'a transfer is refused: InvalidRequest', 'hang up: ok']],
    ['2', [...head('tone2'), 'release the caller: ok', 'transfer to the agent: ok']],
  ])('call-center-bot %s (a whole call: answer, menu, key, hold; key 1 invites the agent, a second hold and a transfer refused, hang-up; key 2 release and transfer)', async (arg, steps) => {
    const run = await runExample('call-center-bot', [arg])
    expect(run.stderr).toBe('')
    expect(run.stdout).toBe([...steps, 'the call went as the rules say', ''].join('\n'))
    expect(run.code).toBe(0)
  }, 60_000)

  it('call-center-bot stays under 100 lines', () => {
    expect(readFileSync(path.join(root, 'examples', 'call-center-bot.ts'), 'utf8').split('\n').length).toBeLessThan(100)
  })

  it('express-bot --simulator URL uses a simulator that is already running', async () => {
    const run = await runExample('express-bot', ['--simulator', sim.url])
    expect(run.stderr).toBe('')
    for (const line of EXPECTED_LINES) expect(run.stdout).toMatch(line)
    expect(run.code).toBe(0)
    expect(sim.stats().calls.created).toBe(1)
    expect(sim.requests().map((r) => r.action)).toEqual(['startHoldMusic', 'stopHoldMusic'])
  }, 60_000)
})

// The headers say "import from 'callops' instead of '../src/index.js'": that works only when every
// import of the examples is one of the package's entry points, an example file, or another package.
it('import callops only through its public entry points, so they run once copied into a project', () => {
  const { exports } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { exports: Record<string, { types?: string }> }
  const entries = new Set(
    Object.values(exports).flatMap((e) => (typeof e === 'object' && e.types !== undefined ? [e.types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '.js')] : [])),
  )
  expect(entries).toContain('src/index.js')
  const files = readdirSync(path.join(root, 'examples'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
  expect(files.length).toBeGreaterThanOrEqual(5)
  const internal: string[] = []
  for (const file of files) {
    const code = readFileSync(path.join(root, 'examples', file), 'utf8')
    for (const m of code.matchAll(/^(?:import|export)\b[^'"]*?from '([^']+)'/gm)) {
      const spec = m[1] ?? ''
      if (!spec.startsWith('.')) continue
      const target = path.relative(root, path.resolve(root, 'examples', path.dirname(file), spec))
      if (!target.startsWith('examples/') && !entries.has(target)) internal.push(`${file} → ${spec}`)
    }
  }
  expect(internal).toEqual([])
})
