// The README's API section and the errors guide are where a user looks up what the orchestrator
// has: each method, event and error of the source must be named there, so a new one cannot ship
// undocumented.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { publicExports } from './publicExports.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const read = (f: string) => readFileSync(`${root}/${f}`, 'utf8')
const readme = read('README.md')
/** From the README's "A bot in a few lines" to the end of its API table. */
const apiSection = readme.slice(readme.indexOf('## A bot in a few lines'), readme.indexOf('## How it behaves'))
const named = (text: string, name: string) => new RegExp(`\\b${name}\\b`).test(text)

const tags = [...read('src/domain/CallOpsError.ts').matchAll(/readonly _tag: '(\w+)'/g)].map((m) => m[1] ?? '')
const eventTypes = [...read('src/runtime/OrchestratorEvent.ts').matchAll(/readonly type: '(\w+)'/g), ...read('src/domain/CallNews.ts').matchAll(/readonly type: '(\w+)'/g)].map((m) => m[1] ?? '')

describe('the README’s API section', () => {
  it('names every method of CallOrchestrator, the call actions included', () => {
    const orchestrator = publicExports(root, ['src/index.ts']).find((e) => e.name === 'CallOrchestrator')
    const members = (orchestrator?.members ?? []).map((m) => m.name)
    expect(members).toEqual(expect.arrayContaining(['answer', 'transfer', 'hangUp', 'createCall', 'startHoldMusic', 'subscribe']))
    expect(members.filter((m) => !named(apiSection, m))).toEqual([])
  }, 90_000)

  it('names collectDigits and every event a listener gets', () => {
    expect(eventTypes.length).toBeGreaterThanOrEqual(12)
    expect(named(apiSection, 'collectDigits')).toBe(true)
    expect(eventTypes.filter((t) => !named(apiSection, t))).toEqual([])
  })

  it('names every error _tag', () => {
    expect(tags).toEqual(expect.arrayContaining(['AnswerTooLate', 'CallActionFailed', 'Fenced', 'StoreRolledBack']))
    expect(tags.filter((t) => !named(apiSection, t))).toEqual([])
  })
})

it('the errors guide has a row for every error _tag', () => {
  const rows = new Set([...read('docs/guides/errors.md').matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]))
  expect(tags.filter((t) => !rows.has(t))).toEqual([])
})
