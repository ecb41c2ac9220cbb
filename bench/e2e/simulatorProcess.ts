// Child entry: the Graph simulator in its own process, so its CPU lands on the other core.
import * as t from 'io-ts'
import { createSimulator } from '../../src/simulator/index.js'
import { childInput, reply, runAsChild } from '../support/childProcess.js'

const Input = t.type({ seed: t.number })

runAsChild(async () => {
  const { seed } = childInput(Input)
  // Latency 0 and faults off (the defaults): the bench measures the bot, not the fault paths.
  const sim = await createSimulator({ seed })
  process.once('disconnect', () => void sim.close())
  await reply({ url: sim.url, graphUrl: sim.graphUrl })
}, true)
