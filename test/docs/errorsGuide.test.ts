// The errors guide promises that its switch is exhaustive: compile its snippet as a user's strict
// TypeScript would, whole and with a case deleted.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { snippetCompiler } from './snippetCompiler.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const guide = readFileSync(path.join(root, 'docs/guides/errors.md'), 'utf8')
const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').replace(/'callops'/g, "'../../src/index.js'"))
const snippet = blocks[0] ?? ''
const CASES = [...snippet.matchAll(/^ *case '(\w+)':/gm)].map((m) => m[1] ?? '')

// The snippet's free names are the bot's own: declare them, and put its body in an async function
// (it returns from the switch). Its imports stay at the top.
const asModule = (code: string): string => {
  const imports = code.split('\n').filter((l) => l.startsWith('import '))
  const body = code.split('\n').filter((l) => !l.startsWith('import '))
  return [
    ...imports,
    "import type { CallOrchestrator } from '../../src/index.js'",
    'declare const orchestrator: CallOrchestrator',
    'declare const callId: string, participantId: string',
    'declare function showDesk(text: string): void',
    'declare function forgetCall(callId: string): void',
    'declare function alertOps(...details: unknown[]): void',
    'declare function bug(...details: unknown[]): void',
    'declare function shedLoad(reason: string): void',
    'export async function handle(): Promise<void> {',
    ...body,
    '}',
  ].join('\n')
}

/** The compiler's errors for the module, as `tsc --strict` (and this project's options) reports them. */
const { compile, strict } = snippetCompiler(root, path.join(root, 'test/docs/errorsGuideSnippet.ts'))

it('compiles every other block of the errors guide too (the call actions’ outcomes, the constructors)', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(3)
  for (const [i, block] of blocks.slice(1).entries()) expect(compile(asModule(block)), `block ${i + 2}`).toEqual([])
}, 90_000)

describe('the errors guide’s switch over _tag', () => {
  beforeAll(() => {
    expect(CASES.length).toBeGreaterThanOrEqual(10)
    expect(strict).toBe(true)
  })

  // The first compile parses @types/node and the project: seconds on a busy machine.
  it('compiles as written, with a case for every error', () => {
    expect(compile(asModule(snippet))).toEqual([])
  }, 90_000)

  it.each(['Timeout', 'CapacityExceeded'])('stops the compiler when the %s case is deleted', (tag) => {
    const without = snippet.replace(new RegExp(`^ *case '${tag}':.*\\n`, 'm'), '')
    expect(without).not.toContain(`case '${tag}'`)
    expect(compile(asModule(without))).toEqual([`Argument of type '${tag}' is not assignable to parameter of type 'never'.`])
  })
})
