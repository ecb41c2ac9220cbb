import { expect, test } from 'vitest'
import { runSimulatorCli } from '../../src/simulator/index.js'

const capture = () => {
  const out: string[] = []
  const err: string[] = []
  const controller = new AbortController()
  return { out, err, controller, io: { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l), signal: controller.signal } }
}

const until = async (check: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

test('starts with --port 0 --seed 42, prints its URLs and seed, serves, and stops cleanly when signalled', async () => {
  const c = capture()
  const run = runSimulatorCli(['--port', '0', '--seed', '42', '--throttle-rate', '0', '--notification-latency', '0-5'], c.io)
  await until(() => c.out.length > 0)
  const banner = c.out.join('\n')
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1]
  expect(url).toBeDefined()
  expect(banner).toContain('seed             42')
  expect(banner).toContain(`${url ?? ''}/v1.0`)
  const metadata = await fetch(`${url ?? ''}/_sim/openid/.well-known/openid-configuration`)
  expect(metadata.status).toBe(200)
  c.controller.abort()
  expect(await run).toBe(0)
  expect(c.out.at(-1)).toMatch(/stopped/)
  await expect(fetch(`${url ?? ''}/_sim/stats`)).rejects.toThrow()
})

test('bad flags exit with 2 and say why', async () => {
  for (const argv of [['--nope'], ['--drop-rate', '2'], ['--port', 'abc'], ['--answer-latency', '5-x'], ['--view-port', '0'], ['--view', '--view-port', 'x'], ['--view', '--view-host', '']]) {
    const c = capture()
    expect(await runSimulatorCli(argv, c.io)).toBe(2)
    expect(c.err.join('\n')).not.toBe('')
  }
})

test('--help prints the usage and exits 0', async () => {
  const c = capture()
  expect(await runSimulatorCli(['--help'], c.io)).toBe(0)
  expect(c.out.join('\n')).toContain('Usage: callops simulate')
})
