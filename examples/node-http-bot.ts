// A call-center bot on bare node:http, against the callops Graph simulator.
//
//   npx tsx examples/node-http-bot.ts                                  # starts a simulator in-process
//   npx tsx examples/node-http-bot.ts --simulator http://127.0.0.1:PORT   # or uses `npx callops simulate`
//
// In your own project, import from 'callops' instead of '../src/index.js'.

import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createCallOrchestrator } from '../src/index.js'
import { playHoldAndRelease } from './shared/playHoldAndRelease.js'
import { simulatorTarget } from './shared/simulatorTarget.js'

const target = await simulatorTarget()

const orchestrator = createCallOrchestrator({
  graph: { baseUrl: target.graphUrl, getToken: async () => 'simulator-token' },
  // Every notification's JWT is checked against the simulator's published keys, as with Graph.
  notificationAuth: { appId: target.appId, openIdConfigUrl: target.openIdConfigUrl },
})

// The callback URL: Graph (here the simulator) POSTs call notifications to it.
const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/api/calls') return orchestrator.webhook(req, res)
  res.writeHead(404).end()
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`
console.log(`node:http bot listening on ${callbackUrl}`)

const ok = await playHoldAndRelease(orchestrator, target, callbackUrl)

await orchestrator.close()
server.closeAllConnections()
await new Promise<void>((resolve) => server.close(() => resolve()))
await target.close()
process.exitCode = ok ? 0 : 1
