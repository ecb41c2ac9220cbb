import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { createCallOrchestrator } from '../src/index.js'
import { createSimulator } from '../src/simulator/index.js'

const sim = await createSimulator() // a local stand-in for Graph's calls API
const orchestrator = createCallOrchestrator({
  graph: { baseUrl: sim.graphUrl, getToken: async () => 'any-token' },
  notificationAuth: { appId: sim.appId, openIdConfigUrl: sim.openIdConfigUrl },
})
const server = http.createServer(orchestrator.webhook).listen(0, '127.0.0.1')
await new Promise((resolve) => server.once('listening', resolve))
const callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`

const call = sim.createCall({ callbackUrl, participants: [{ id: 'alice' }, { id: 'bob' }] })
if (E.isLeft(call)) throw new Error(call.left.message)
const { callId } = call.right

const held = await orchestrator.startHoldMusic({ callId, participantId: 'alice' })
console.log('hold alice:', E.isRight(held) ? held.right.status : held.left._tag) // completed
const bob = await orchestrator.startHoldMusic({ callId, participantId: 'bob' })
console.log('hold bob:', E.isRight(bob) ? bob.right.status : bob.left._tag) // HoldConflict
const back = await orchestrator.stopHoldMusic({ callId, participantId: 'alice' })
console.log('unhold alice:', E.isRight(back) ? back.right.status : back.left._tag) // completed

await orchestrator.close()
server.close()
await sim.close()
