// Child of bench/instructions/countInstructions.ts, run under callgrind: the in-process scenario
// (bench/support/inProcessScenario.ts, 500 calls) for `passes` rounds of completion, roster and
// command. What would make two runs differ is fixed first: UUIDs come from a seeded generator, and
// the clock does not move (valgrind slows the run about fifty-fold: with a moving clock, deadlines
// pass that never pass at full speed). What still moves is the garbage collector's share, whose
// incremental marking runs partly from tasks taken when the event loop idles: countInstructions.ts
// reports it apart.
import crypto from 'node:crypto'
import { syncBuiltinESMExports } from 'node:module'

let seed = 0x2545f491
const next32 = (): number => {
  seed ^= seed << 13
  seed >>>= 0
  seed ^= seed >>> 17
  seed ^= seed << 5
  seed >>>= 0
  return seed
}
const hex = (): string => next32().toString(16).padStart(8, '0')
crypto.randomUUID = () => {
  const a = hex()
  const b = hex()
  const c = hex()
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${c.slice(1, 4)}-${c.slice(4)}${hex()}`
}
// The named imports of node:crypto (`import { randomUUID }`) follow the module object from here on.
syncBuiltinESMExports()
const still = Date.now()
Date.now = () => still

const passes = Number(process.argv[2] ?? 8)
const { startInProcessScenario } = await import('../support/inProcessScenario.js')
const scenario = await startInProcessScenario(500)
for (let i = 0; i < passes; i++) {
  await scenario.complete(scenario.completionBodies())
  await scenario.roster(scenario.rosterBodies())
  await scenario.command()
}
await scenario.close()
