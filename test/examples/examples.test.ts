import { execFile } from 'node:child_process'
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

  it('express-bot --simulator URL uses a simulator that is already running', async () => {
    const run = await runExample('express-bot', ['--simulator', sim.url])
    expect(run.stderr).toBe('')
    for (const line of EXPECTED_LINES) expect(run.stdout).toMatch(line)
    expect(run.code).toBe(0)
    expect(sim.stats().calls.created).toBe(1)
    expect(sim.requests().map((r) => r.action)).toEqual(['startHoldMusic', 'stopHoldMusic'])
  }, 60_000)
})
