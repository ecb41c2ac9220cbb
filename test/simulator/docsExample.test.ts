// The example of docs/simulator.md, kept here so it stays true. Keep the two in step.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createSimulator } from '../../src/simulator/index.js'
import type { Simulator } from '../../src/simulator/index.js'

// --- the bot under test (yours would be your real bot, pointed at the simulator)
const startBot = async (config: { graphUrl: string; openIdConfigUrl: string; appId: string }) => {
  const done = new Map<string, (status: string) => void>()
  const metadata = (await (await fetch(config.openIdConfigUrl)).json()) as { jwks_uri: string }
  const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri))
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', async () => {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '')
      try {
        await jwtVerify(token, jwks, { issuer: 'https://api.botframework.com', audience: config.appId })
      } catch {
        res.writeHead(401).end()
        return
      }
      res.writeHead(202).end()
      const batch = JSON.parse(body) as { value: { resourceData?: { clientContext?: string; status?: string } }[] }
      for (const n of batch.value) {
        const cc = n.resourceData?.clientContext
        if (cc !== undefined) done.get(cc)?.(n.resourceData?.status ?? '')
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    callbackUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`,
    hold: async (callId: string, participantId: string): Promise<string> => {
      const clientContext = `hold-${participantId}-${Date.now()}`
      const outcome = new Promise<string>((resolve) => done.set(clientContext, resolve))
      await fetch(`${config.graphUrl}/communications/calls/${callId}/participants/${participantId}/startHoldMusic`, {
        method: 'POST',
        headers: { authorization: 'Bearer token', 'content-type': 'application/json' },
        body: JSON.stringify({ clientContext }),
      })
      return outcome
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

// --- the test
let sim: Simulator
let bot: Awaited<ReturnType<typeof startBot>>

beforeAll(async () => {
  sim = await createSimulator({ seed: 42 })
  bot = await startBot({ graphUrl: sim.graphUrl, openIdConfigUrl: sim.openIdConfigUrl, appId: sim.appId })
})
afterAll(async () => {
  await sim.close()
  await bot.close()
})

test('my bot puts one caller on hold, and Graph refuses a second hold', async () => {
  const call = sim.createCall({ callbackUrl: bot.callbackUrl, participants: [{ id: 'alice' }, { id: 'bob' }] })
  if (E.isLeft(call)) throw new Error(call.left.message)
  const { callId } = call.right

  expect(await bot.hold(callId, 'alice')).toBe('completed')
  expect(await bot.hold(callId, 'bob')).toBe('failed') // the simulator enforces the single-hold rule

  const holds = sim.holds(callId)
  expect(E.isRight(holds) && holds.right.map((h) => h.participantId)).toEqual(['alice'])
})
