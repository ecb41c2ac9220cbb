import * as E from 'fp-ts/lib/Either.js'
import { expect, test } from 'vitest'
import { createSimulator, runSimulatorCli } from '../../src/simulator/index.js'
import { startCallbackServer } from './callbackServer.js'

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
  for (const argv of [['--nope'], ['--drop-rate', '2'], ['--port', 'abc'], ['--answer-latency', '5-x'], ['--view-port', '0'], ['--view', '--view-port', 'x'], ['--view', '--view-host', ''], ['--transfer-fail-rate', '2'], ['--answer-deadline', '-1']]) {
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

test('ring rings the bot of a running simulator and prints the call id; press is refused before subscribeToTone', async () => {
  const sim = await createSimulator({ seed: 3 })
  const callback = await startCallbackServer()
  try {
    const c = capture()
    expect(await runSimulatorCli(['ring', '--simulator', sim.url, '--callback', callback.url, '--caller', 'Eve', '--phone', '+15550123', '--answer-deadline', '60000'], c.io)).toBe(0)
    const callId = c.out.join('').trim()
    const view = sim.call(callId)
    expect(E.isRight(view) && view.right.state).toBe('incoming')
    await callback.waitFor((ns) => ns.some((n) => n['changeType'] === 'created'))
    expect(JSON.stringify(callback.notifications()[0])).toContain('+15550123')

    const p = capture()
    expect(await runSimulatorCli(['press', '--simulator', sim.url, '--call', callId, 'tone1', 'pound'], p.io)).toBe(1)
    expect(p.err.join('\n')).toContain('subscribeToTone')
    const bad = capture()
    expect(await runSimulatorCli(['press', '--simulator', sim.url, '--call', callId, '1'], bad.io)).toBe(2)
    expect(await runSimulatorCli(['ring', '--simulator', sim.url], capture().io)).toBe(2)
  } finally {
    await sim.close()
    await callback.close()
  }
})
