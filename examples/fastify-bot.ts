// A call-center bot on Fastify 5, against the callops Graph simulator.
//
//   npx tsx examples/fastify-bot.ts                                  # starts a simulator in-process
//   npx tsx examples/fastify-bot.ts --simulator http://127.0.0.1:PORT   # or uses `npx callops simulate`
//
// In your own project, import from 'callops' instead of '../src/index.js'.

import Fastify from 'fastify'
import { createCallOrchestrator } from '../src/index.js'
import { playHoldAndRelease } from './shared/playHoldAndRelease.js'
import { simulatorTarget } from './shared/simulatorTarget.js'

const target = await simulatorTarget()

const orchestrator = createCallOrchestrator({
  graph: { baseUrl: target.graphUrl, getToken: async () => 'simulator-token' },
  notificationAuth: { appId: target.appId, openIdConfigUrl: target.openIdConfigUrl },
})

const app = Fastify()
await app.register(async (callbacks) => {
  // Keep the raw bytes for callops (it checks type, size and the JWT before parsing), in this
  // route's scope only; the rest of the app keeps Fastify's JSON parser.
  callbacks.removeAllContentTypeParsers()
  callbacks.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
  callbacks.post('/api/calls', async (request, reply) => {
    const answer = await orchestrator.handleNotification(request.body, request.headers)
    return reply.code(answer.status).header('content-type', 'application/json').send(answer.body)
  })
})

await app.listen({ port: 0, host: '127.0.0.1' })
const address = app.server.address()
const callbackUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/api/calls`
console.log(`Fastify bot listening on ${callbackUrl}`)

const ok = await playHoldAndRelease(orchestrator, target, callbackUrl)

await orchestrator.close()
await app.close()
await target.close()
process.exitCode = ok ? 0 : 1
