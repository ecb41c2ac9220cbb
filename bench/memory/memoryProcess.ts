// Child entry (item 3), run with --expose-gc: heap and RSS per open call, idle and with one
// operation in flight, measured after full GCs against the same process before the calls existed.
import { randomUUID } from 'node:crypto'
import * as t from 'io-ts'
import { createCallOrchestrator, type ActionResult } from '../../src/index.js'
import { childInput, reply, runAsChild } from '../support/childProcess.js'
import { createInstantGraphClient } from '../support/createInstantGraphClient.js'
import { fullGc, tick } from '../support/pool.js'
import type { MemoryRun } from './MemoryRun.js'

const Input = t.type({ calls: t.number })

runAsChild(async () => {
  if (globalThis.gc === undefined) throw new Error('run with --expose-gc')
  const { calls } = childInput(Input)
  const orchestrator = createCallOrchestrator({
    graph: { client: createInstantGraphClient() },
    notificationAuth: false,
    maxCalls: calls + 10,
    maxPendingOperations: calls + 10,
    timeouts: { startHoldMusic: 3_600_000 },
  })
  const ids = Array.from({ length: calls }, () => ({ callId: randomUUID(), participantId: randomUUID() }))
  // The ids exist before the baseline so that only what callops keeps is counted.
  await fullGc()
  const before = process.memoryUsage()

  for (let i = 0; i < calls; i++) {
    const r = orchestrator.registerCall({ callId: ids[i]?.callId ?? '', kind: 'group' })
    if (r._tag === 'Left') throw new Error(`registerCall refused: ${r.left.message}`)
    if (i % 1000 === 999) await tick()
  }
  await fullGc()
  const idle = process.memoryUsage()

  const outcomes: Promise<ActionResult>[] = []
  for (let i = 0; i < calls; i++) {
    const id = ids[i]
    if (id !== undefined) outcomes.push(orchestrator.startHoldMusic(id))
    if (i % 1000 === 999) await tick()
  }
  await fullGc()
  const inFlight = process.memoryUsage()
  if (orchestrator.stats().pendingOperations !== calls) throw new Error(`expected ${calls} operations in flight, found ${orchestrator.stats().pendingOperations}`)

  const run: MemoryRun = {
    calls,
    heapIdleBytesPerCall: (idle.heapUsed - before.heapUsed) / calls,
    rssIdleBytesPerCall: (idle.rss - before.rss) / calls,
    heapInFlightBytesPerCall: (inFlight.heapUsed - before.heapUsed) / calls,
    rssInFlightBytesPerCall: (inFlight.rss - before.rss) / calls,
  }
  await reply(run)
  // Keeps the promises alive until measured.
  if (outcomes.length !== calls) throw new Error('lost an operation')
  await orchestrator.close()
})
