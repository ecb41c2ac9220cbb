// A call-center bot on Express 5, against the callops Graph simulator.
//
//   npx tsx examples/express-bot.ts                                  # starts a simulator in-process
//   npx tsx examples/express-bot.ts --simulator http://127.0.0.1:PORT   # or uses `npx callops simulate`
//
// In your own project, import from 'callops' instead of '../src/index.js'.

import type { AddressInfo } from 'node:net'
import express from 'express'
import { createCallOrchestrator } from '../src/index.js'
import { playHoldAndRelease } from './shared/playHoldAndRelease.js'
import { simulatorTarget } from './shared/simulatorTarget.js'

const target = await simulatorTarget()

const orchestrator = createCallOrchestrator({
  graph: { baseUrl: target.graphUrl, getToken: async () => 'simulator-token' },
  notificationAuth: { appId: target.appId, openIdConfigUrl: target.openIdConfigUrl },
})

const app = express()
// The webhook reads the raw body itself (with its size bound). Mount it before any express.json():
// behind a JSON parser it takes the parsed req.body, and the parser's own limit applies instead.
app.post('/api/calls', orchestrator.webhook)
app.get('/healthz', (_req, res) => {
  res.json(orchestrator.stats())
})

const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
  const s = app.listen(0, '127.0.0.1', () => resolve(s))
})
const callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`
console.log(`Express bot listening on ${callbackUrl}`)

const ok = await playHoldAndRelease(orchestrator, target, callbackUrl)

await orchestrator.close()
server.closeAllConnections()
await new Promise<void>((resolve) => server.close(() => resolve()))
await target.close()
process.exitCode = ok ? 0 : 1
