// The whole-call guide says its code blocks, read in order, are one program that compiles against
// callops and plays a whole call on the simulator: compile them as a user's strict TypeScript
// would, check that a block broken the way a stale guide would be stops the compiler, and run them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { snippetCompiler } from './snippetCompiler.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const guide = readFileSync(path.join(root, 'docs/guides/whole-call.md'), 'utf8')
const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')
const program = blocks.join('\n')

/** The guide as the repository's own files import callops (`'callops'` → `<prefix>src/index.js`). */
const asRepositoryWrites = (code: string, prefix: string): string =>
  code
    .replace(/'callops'/g, `'${prefix}src/index.js'`)
    .replace(/'callops\/simulator'/g, `'${prefix}src/simulator/index.js'`)
    .replace(/'callops\/testing'/g, `'${prefix}src/testing/index.js'`)
    .replace(/'callops\/machines'/g, `'${prefix}machines/index.js'`)

const { compile: compileModule } = snippetCompiler(root, path.join(root, 'test/docs/wholeCallGuideProgram.ts'))
/** The compiler's errors for the guide's program, as `tsc --strict` (and this project's options) reports them. */
const compile = (code: string): string[] => compileModule(asRepositoryWrites(code, '../../'))

const scratch = mkdtempSync(path.join(tmpdir(), 'callops-whole-call-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('the whole-call guide', () => {
  it('has its code in blocks that cover every step it names', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8)
    for (const used of ['answer(', 'reject(', 'redirect(', 'collectDigits(', 'playPrompt(', 'startHoldMusic(', 'stopHoldMusic(', 'inviteParticipants(', 'transfer(', 'hangUp(', 'createCall(', 'sim.ring(', 'sim.pressKeys(']) {
      expect(program, used).toContain(used)
    }
  })

  // The first compile parses @types/node and the project: seconds on a busy machine.
  it('compiles, its blocks read in order, as one strict module', () => {
    expect(compile(program)).toEqual([])
  }, 90_000)

  it('stops the compiler when a block uses an option callops does not have', () => {
    const stale = program.replace('count: 1, terminator', 'digits: 1, terminator')
    expect(stale).not.toBe(program)
    expect(compile(stale).join('\n')).toContain("'digits' does not exist")
  })

  it('stops the compiler when a block reads a field an event does not carry', () => {
    const stale = program.replace('e.incoming.answerDeadline', 'e.incoming.deadline')
    expect(stale).not.toBe(program)
    expect(compile(stale).join('\n')).toContain("Property 'deadline' does not exist")
  })

  it('plays a whole call on the simulator, as it says: answered, key 1, hold, invite, release, hang-up', async () => {
    const file = path.join(scratch, 'wholeCall.ts')
    writeFileSync(file, asRepositoryWrites(program, root.endsWith('/') ? root : `${root}/`))
    const lines: string[] = []
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')))
    try {
      await import(pathToFileURL(file).href)
    } finally {
      log.mockRestore()
    }
    const text = lines.join('\n')
    expect(text).toMatch(/ringing: \S+ from Dana \(customer\)/)
    expect(text).toContain('pressed tone1 ended by count')
    expect(text).toMatch(/the slot is \S+'s: nothing was sent/)
    expect(text).toContain('CallEnded')
    expect(lines).toContain('done (terminated)')
    expect(text).not.toMatch(/refused or failed|invite failed|release failed|not answered|no tones|no choice/)
  }, 60_000)
})
