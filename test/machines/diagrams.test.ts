import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createMachine } from 'xstate'
import { machineDiagrams, withDiagram } from '../../scripts/diagrams.js'
import { machineToMermaid } from '../../scripts/machineToMermaid.js'
import { stateIds, transitionIds } from './coverage.js'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
// `npm run diagrams` sets this: the test then writes the pages instead of comparing them.
const update = process.env['UPDATE_DIAGRAMS'] === '1'

describe('machine diagrams in docs/machines/', () => {
  it.each(machineDiagrams.map((d) => [d.name, d] as const))('the %s diagram is up to date with its machine (npm run diagrams rewrites it)', (_name, diagram) => {
    const file = join(repo, diagram.path)
    const page = existsSync(file) ? readFileSync(file, 'utf8') : `# The ${diagram.name} machine\n`
    const current = withDiagram(page, diagram.machine)
    if (update) writeFileSync(file, current)
    expect(update ? readFileSync(file, 'utf8') : page, `${diagram.path} is out of date: run npm run diagrams`).toBe(current)
  })

  it('shows every state, an edge for each target of each transition, and a note line for each transition without one', () => {
    for (const { machine } of machineDiagrams) {
      const lines = machineToMermaid(machine).split('\n')
      const transitions = [...transitionIds(machine).keys()]
      const edges = transitions.reduce((n, t) => n + (t.target?.length ?? 0), 0)
      const targetless = transitions.filter((t) => t.target === undefined || t.target.length === 0).length
      expect(lines.filter((l) => / --> /.test(l) && !l.includes('[*]'))).toHaveLength(edges)
      expect(lines.filter((l) => / \/ /.test(l) && !l.includes(' --> '))).toHaveLength(targetless)
      for (const id of stateIds(machine)) expect(lines.some((l) => l.trim().startsWith(`state "${id.split('.').at(-1) ?? ''}" as ${id.split('.').slice(1).join('_')}`))).toBe(true)
    }
  })

  it('draws initial and final states, nesting, guards (also and/or/not) and the root transitions', () => {
    const machine = createMachine({
      id: 'demo',
      initial: 'a',
      on: { reset: '.a' },
      states: {
        a: { on: { go: [{ guard: 'ready', target: 'b' }, { target: 'c.x' }], poke: { actions: 'note' } } },
        b: { type: 'final' },
        c: { initial: 'x', states: { x: { always: { guard: { type: 'isSet', params: { flag: 'on' } }, target: 'y' } }, y: {} } },
      },
    })
    expect(machineToMermaid(machine)).toBe(
      [
        'stateDiagram-v2',
        '  state "in any state" as demo__any',
        '  [*] --> a',
        '  state "a" as a',
        '  state "b" as b',
        '  state "c" as c {',
        '    [*] --> c_x',
        '    state "x" as c_x',
        '    state "y" as c_y',
        '    c_x --> c_y: always [isSet(on)]',
        '  }',
        '  b --> [*]',
        '  demo__any --> a: reset',
        '  a --> b: go (1) [ready]',
        '  a --> c_x: go (2)',
        '  note right of a',
        '    poke / note',
        '  end note',
        '  classDef anyState stroke-dasharray: 5 5',
        '  class demo__any anyState',
        '',
      ].join('\n'),
    )
  })

  it('keeps the prose of a page and replaces only its diagram', () => {
    const machine = createMachine({ id: 'tiny', initial: 'on', states: { on: {} } })
    const first = withDiagram('# Tiny\n\nSome words.\n', machine)
    expect(first.startsWith('# Tiny\n\nSome words.\n\n<!-- diagram:start')).toBe(true)
    const edited = first.replace('Some words.', 'Other words.').replace('state "on" as on', 'state "stale" as on')
    expect(withDiagram(edited, machine)).toBe(first.replace('Some words.', 'Other words.'))
  })
})
