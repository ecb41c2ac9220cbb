import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const guidesDir = path.join(root, 'docs/guides')
const guides = readdirSync(guidesDir).filter((f) => f.endsWith('.md'))
const read = (f: string) => readFileSync(path.join(guidesDir, f), 'utf8')

/** How the repository's files import callops, and how a user's code does. */
const asUserWrites = (code: string): string =>
  code
    .replace(/'(?:\.\.\/)+src\/index\.js'/g, "'callops'")
    .replace(/'(?:\.\.\/)+src\/simulator\/index\.js'/g, "'callops/simulator'")
    .replace(/'(?:\.\.\/)+src\/testing\/index\.js'/g, "'callops/testing'")
    .replace(/'(?:\.\.\/)+machines\/index\.js'/g, "'callops/machines'")

describe('the guides', () => {
  it('are all listed in docs/guides/README.md', () => {
    const index = read('README.md')
    for (const g of guides.filter((f) => f !== 'README.md')) expect(index, g).toContain(`(${g})`)
  })

  it('show the code of the files they say they are kept in sync with, as a user would import it', () => {
    let checked = 0
    for (const g of guides) {
      for (const m of read(g).matchAll(/<!-- kept in sync with (\S+) [^\n]*-->\n```ts\n([\s\S]*?)```/g)) {
        const file = m[1] ?? ''
        expect(m[2], `${g} shows ${file}`).toBe(asUserWrites(readFileSync(path.join(root, file), 'utf8')))
        checked++
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4)
  })

  it('do not use the port of the README’s bot, so following both does not end in EADDRINUSE', () => {
    const ports = (text: string) => new Set([...text.matchAll(/(?:\.listen\(|port: |127\.0\.0\.1:|localhost:)(\d{2,5})\b/g)].map((m) => m[1]))
    const readmePorts = ports(readFileSync(path.join(root, 'README.md'), 'utf8'))
    expect(readmePorts.size).toBeGreaterThan(0)
    const inspectorPorts = ports(read('inspector.md'))
    expect(inspectorPorts.size).toBeGreaterThan(0)
    expect([...inspectorPorts].filter((p) => readmePorts.has(p))).toEqual([])
  })

  it('import in their code only packages that they, or the getting-started guide, say to install', () => {
    const installs = (text: string) =>
      new Set([...text.matchAll(/npm install((?: [@\w./-]+)+)/g)].flatMap((m) => (m[1] ?? '').trim().split(' ')).filter((w) => !w.startsWith('-')).map((w) => w.replace(/(?<=.)@[^/]*$/, '')))
    const base = installs(read('getting-started.md'))
    expect([...base]).toEqual(expect.arrayContaining(['callops', 'fp-ts', 'tsx']))
    const missing: string[] = []
    for (const g of guides) {
      const text = read(g)
      const allowed = new Set([...base, ...installs(text)])
      for (const block of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
        for (const m of (block[1] ?? '').matchAll(/^import\b[^'\n]*'([^'.][^']*)'/gm)) {
          const spec = m[1] ?? ''
          const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? '')
          if (!pkg.startsWith('node:') && !allowed.has(pkg)) missing.push(`${g}: ${spec}`)
        }
      }
    }
    expect(missing).toEqual([])
  })

  it('link only to files that exist', () => {
    const missing: string[] = []
    const linked = new Set<string>()
    for (const g of guides) {
      for (const m of read(g).matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = m[1] ?? ''
        if (/^[a-z]+:/.test(target)) continue
        const resolved = path.relative(root, path.resolve(guidesDir, target)).replace(/\/$/, '')
        linked.add(resolved)
        if (!existsSync(path.join(root, resolved))) missing.push(`${g} → ${target}`)
      }
    }
    expect(missing).toEqual([])
    // The docs beside the guides are linked from them, so each of those links was checked above.
    for (const doc of ['docs/scaling.md', 'docs/security.md', 'docs/machines/README.md']) expect(linked, doc).toContain(doc)
  })
})

// TypeDoc makes a page of each linked Markdown file (typedoc.json's projectDocuments) and copies
// other linked files; a link to a directory it can only warn about, and leaves broken.
it('the README and the docs link to files, never to a directory', () => {
  const docs = ['README.md', 'examples/README.md', ...readdirSync(path.join(root, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md') && !f.startsWith('api/')).map((f) => `docs/${f}`)]
  const toDirectories: string[] = []
  for (const doc of docs) {
    for (const m of readFileSync(path.join(root, doc), 'utf8').matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      const target = m[1] ?? ''
      if (/^[a-z]+:/.test(target)) continue
      const resolved = path.resolve(root, path.dirname(doc), target)
      if (existsSync(resolved) && statSync(resolved).isDirectory()) toDirectories.push(`${doc} → ${target}`)
    }
  }
  expect(toDirectories).toEqual([])
})
