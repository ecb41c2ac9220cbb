import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { publicExports } from './publicExports.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const typedoc = JSON.parse(readFileSync(`${root}/typedoc.json`, 'utf8')) as { entryPoints: string[] }
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { exports: Record<string, string | { types?: string }> }
const FIXTURE = 'test/docs/fixtures/someDocumented.ts'

/** The source file of each entry of package.json's export map (`./dist/src/index.d.ts` → `src/index.ts`). */
const sourcesOfExportMap = (): string[] =>
  Object.values(pkg.exports)
    .flatMap((target) => (typeof target === 'object' && target.types !== undefined ? [target.types] : []))
    .map((types) => types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '.ts'))
    .sort()

// One compiler program for all tests (building it is the slow part).
const all = publicExports(root, [...typedoc.entryPoints, FIXTURE])

describe('the API reference', () => {
  it('documents every entry point of the package (typedoc.json follows package.json’s export map)', () => {
    expect([...typedoc.entryPoints].sort()).toEqual(sourcesOfExportMap())
  })

  it('the check sees through re-exports and finds an export without a doc comment', () => {
    const found = all.filter((e) => e.entry === FIXTURE)
    expect(found.map((e) => [e.name, e.doc])).toEqual([
      ['documented', 'Documented.'],
      ['undocumented', ''],
    ])
    expect(found[1]?.declaredAt).toBe('test/docs/fixtures/undocumented.ts:2')
  })

  it('every public export has a doc comment', () => {
    const exports = all.filter((e) => e.entry !== FIXTURE)
    expect(exports.length).toBeGreaterThan(100)
    const undocumented = exports.filter((e) => e.doc === '').map((e) => `${e.entry}: ${e.name} (declared at ${e.declaredAt})`)
    expect(undocumented).toEqual([])
  })

  it('describes every method of CallOrchestrator, the 13 actions and stats() included', () => {
    const orchestrator = all.find((e) => e.entry === 'src/index.ts' && e.name === 'CallOrchestrator')
    const members = orchestrator?.members ?? []
    expect(members.map((m) => m.name)).toEqual(expect.arrayContaining(['startHoldMusic', 'addLargeGalleryView', 'stats', 'webhook']))
    expect(members.filter((m) => m.doc === '').map((m) => m.name)).toEqual([])
  })
})
