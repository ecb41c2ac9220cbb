// `npm ci` warns EBADENGINE when a locked package's engines.node refuses the running Node. The
// suite runs on each Node that the README says is tested, so this holds for each of them.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

type Version = readonly [number, number, number]

const parse = (text: string): Version => {
  const [major = 0, minor = 0, patch = 0] = text.replace(/^v/, '').replace(/\.x$/, '').split('.').map(Number)
  return [major, minor, patch]
}

const compare = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]

// The forms package.json files of the lock use: `>=X`, `>= X`, `^X.Y.Z`, a bare major, joined by `||`.
const satisfies = (version: Version, range: string): boolean =>
  range.split('||').some((clause) => {
    const c = clause.trim()
    const m = /^(>=|\^)?\s*(\d+(?:\.\d+){0,2}(?:\.x)?)$/.exec(c)
    if (m === null) throw new Error(`unsupported engines range ${JSON.stringify(range)}`)
    const bound = parse(m[2] ?? '')
    if (m[1] === '>=') return compare(version, bound) >= 0
    if (m[1] === '^' || !c.includes('.')) return version[0] === bound[0] && compare(version, bound) >= 0
    return compare(version, bound) === 0
  })

it('locks only packages whose engines.node accept the Node running the suite (no EBADENGINE on npm ci)', () => {
  const lock = JSON.parse(readFileSync(fileURLToPath(new URL('../../package-lock.json', import.meta.url)), 'utf8')) as {
    packages: Record<string, { engines?: unknown }>
  }
  const node = parse(process.version)
  expect(satisfies([20, 19, 0], '^20.19.0 || >=22.12.0')).toBe(true)
  expect(satisfies([20, 20, 2], '>=22')).toBe(false)
  const refused: string[] = []
  for (const [name, entry] of Object.entries(lock.packages)) {
    const engines = entry.engines
    const range = typeof engines === 'object' && engines !== null && 'node' in engines ? engines.node : undefined
    if (typeof range === 'string' && !satisfies(node, range)) refused.push(`${name}: node ${range}`)
  }
  expect(refused, `on Node ${process.version}`).toEqual([])
})
