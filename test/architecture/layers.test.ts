import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { importGraph, type ImportEdge } from './importGraph.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/**
 * The layer of a file. Dependencies point one way: domain ← machines; domain ← codecs ← graph,
 * notifications, stores ← runtime ← observability ← orchestrator ← entry points.
 */
const layerOf = (file: string): string => {
  if (file.startsWith('machines/')) return 'machines'
  const m = /^src\/([^/]+)\//.exec(file)
  const dir = m?.[1]
  if (dir === undefined) return 'entry' // src/index.ts, src/cli.ts
  if (['domain', 'logging'].includes(dir)) return 'domain'
  if (['codecs', 'graph', 'notifications', 'stores', 'runtime', 'observability', 'orchestrator'].includes(dir)) return dir
  return 'entry' // demo, simulator, testing, view
}

const allowed: Readonly<Record<string, readonly string[]>> = {
  domain: ['domain'],
  machines: ['domain', 'machines'],
  codecs: ['domain', 'codecs'],
  graph: ['domain', 'codecs', 'graph'],
  notifications: ['domain', 'codecs', 'notifications'],
  stores: ['domain', 'codecs', 'stores'],
  runtime: ['domain', 'machines', 'codecs', 'graph', 'notifications', 'stores', 'runtime'],
  observability: ['domain', 'runtime', 'observability'],
  orchestrator: ['domain', 'machines', 'codecs', 'graph', 'notifications', 'stores', 'runtime', 'observability', 'orchestrator'],
  entry: ['domain', 'machines', 'codecs', 'graph', 'notifications', 'stores', 'runtime', 'observability', 'orchestrator', 'entry'],
}

/** The imports of `edges` that break the layer rule, as `from -> to` lines. */
const violations = (edges: readonly ImportEdge[]): string[] =>
  edges
    .filter((e) => e.to.endsWith('.ts'))
    .filter((e) => !(allowed[layerOf(e.from)] ?? []).includes(layerOf(e.to)))
    .map((e) => `${e.from} (${layerOf(e.from)}) -> ${e.to} (${layerOf(e.to)})`)

/** Files reachable from `start` through imports that stay at run time. */
const runtimeClosure = (edges: readonly ImportEdge[], start: string): Set<string> => {
  const seen = new Set<string>([start])
  const todo = [start]
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    for (const e of edges) {
      if (e.from !== file || e.typeOnly || seen.has(e.to)) continue
      seen.add(e.to)
      if (e.to.endsWith('.ts')) todo.push(e.to)
    }
  }
  return seen
}

const edges = importGraph(root, ['src', 'machines'])

describe('the layer rule', () => {
  it('reads the imports of every source file', () => {
    expect(edges.length).toBeGreaterThan(200)
    expect(edges.some((e) => e.from === 'src/index.ts' && e.to === 'src/orchestrator/createCallOrchestrator.ts')).toBe(true)
  })

  it('no source file imports a layer above its own (type-only imports included)', () => {
    expect(violations(edges)).toEqual([])
  })

  it('would see an import that runs back up the layers', () => {
    const back: ImportEdge = { from: 'src/stores/createRedisStore.ts', to: 'src/runtime/createDeadlineSweeper.ts', typeOnly: true }
    const up: ImportEdge = { from: 'src/domain/Operation.ts', to: 'src/graph/actionCatalog.ts', typeOnly: true }
    expect(violations([back, up])).toHaveLength(2)
  })

  it('domain and machines use no package but fp-ts and xstate', () => {
    const external = edges.filter((e) => !e.to.endsWith('.ts') && !e.to.startsWith('node:'))
    const inDomain = external.filter((e) => layerOf(e.from) === 'domain' && e.to !== 'fp-ts')
    const inMachines = external.filter((e) => layerOf(e.from) === 'machines' && e.to !== 'xstate')
    expect([...inDomain, ...inMachines]).toEqual([])
  })

  it('callops/machines loads neither io-ts nor the action catalog at run time', () => {
    const loaded = runtimeClosure(edges, 'machines/index.ts')
    expect(loaded.has('xstate')).toBe(true)
    expect([...loaded].filter((f) => f === 'io-ts' || f.startsWith('src/graph/') || f.startsWith('src/codecs/'))).toEqual([])
  })

  it('the machines never read XState internals such as _parent', () => {
    const files = [...new Set(edges.filter((e) => layerOf(e.from) === 'machines').map((e) => e.from))]
    expect(files.length).toBeGreaterThan(2)
    expect(files.filter((f) => /\b_parent\b/.test(readFileSync(`${root}/${f}`, 'utf8')))).toEqual([])
  })
})

describe('the shell and the machines', () => {
  it('the shell reads a call through matches, tags and the machines’ exported helpers, not children’s private context', () => {
    const shell = [...new Set(edges.map((e) => e.from))].filter((f) => f.startsWith('src/'))
    const readsChildren = shell.filter((f) => /snapshot\(\)\.children|snapshot\.children|\._parent\b|context\.early\b/.test(readFileSync(`${root}/${f}`, 'utf8')))
    expect(shell.length).toBeGreaterThan(50)
    expect(readsChildren).toEqual([])
  })
})
