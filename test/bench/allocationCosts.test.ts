import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)

// The tool's figures are read by people comparing two trees; this proves only that it still runs
// and reports each phase with a positive byte count and the sites behind it.
describe('bench/allocationCosts.ts', () => {
  it('weighs the three in-process phases and the round', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/allocationCosts.ts', '50'], { timeout: 60_000 })
    const phases = [...stdout.matchAll(/^ {2,4}([\d,]+) B {2}(notification: operation completed|notification: roster updated|command: startHoldMusic|a round of the three)/gm)]
    expect(phases.map((m) => m[2])).toEqual(['notification: operation completed', 'notification: roster updated', 'command: startHoldMusic', 'a round of the three'])
    for (const m of phases) expect(Number(m[1]?.replaceAll(',', ''))).toBeGreaterThan(0)
    expect(stdout).toMatch(/^ {7,}[\d,]+ B {2}\S/m)
  }, 60_000)
})
