import { expect, it } from 'vitest'
import { runDemo } from '../../src/demo/runDemo.js'

const until = async (predicate: () => boolean, what: string): Promise<void> => {
  const end = Date.now() + 10_000
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

it('demo --view prints the live view URL, plays once a page is open, stays open until Ctrl-C, then exits 0', async () => {
  let err = ''
  const lines: string[] = []
  const exit = runDemo({ seed: 7, view: true, stdout: (l) => lines.push(l), stderr: (t) => (err += t) })
  await until(() => /Live view on http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(err), 'the URL')
  const url = new URL(/Live view on (\S+)/.exec(err)?.[1] ?? '')
  // Nothing plays before a page is open: not even the scenario's first step.
  await new Promise((r) => setTimeout(r, 300))
  expect(lines.filter((l) => l.includes('▶'))).toEqual([])

  const controller = new AbortController()
  const stream = await fetch(`${url.origin}/events${url.search}`, { signal: controller.signal })
  expect(stream.status).toBe(200)
  let seen = ''
  const reading = (async () => {
    const reader = stream.body?.getReader()
    for (;;) {
      const chunk = await reader?.read().catch(() => undefined)
      if (chunk === undefined || chunk.done) return
      seen += new TextDecoder().decode(chunk.value)
    }
  })()
  await until(() => err.includes('press Ctrl-C to stop'), 'the scenario to end')
  expect(lines.join('\n')).toContain('Every step went as the rules say')
  // The page saw the refused hold and the calls' XState actors.
  await until(() => seen.includes('"_tag":"HoldConflict"') && seen.includes('"m":"operation"'), 'the events on the stream')
  process.emit('SIGINT')
  expect(await exit).toBe(0)
  controller.abort()
  await reading
})
