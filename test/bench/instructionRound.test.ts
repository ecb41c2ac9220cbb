import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)

// `npm run bench:instructions` runs this round under valgrind (not installed everywhere, and over a
// minute long): here the round itself is proved to run, every caller settled, without valgrind.
describe('bench/instructions/instructionRound.ts', () => {
  it('runs passes of completion, roster and command over its calls and exits cleanly', async () => {
    const { stderr } = await run(process.execPath, ['--import', 'tsx', 'bench/instructions/instructionRound.ts', '2'], { timeout: 60_000 })
    expect(stderr).toBe('')
  }, 60_000)
})
