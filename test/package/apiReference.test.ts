// `npm run docs` as a user of the repository runs it: TypeDoc with typedoc.json, warnings as errors.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const out = mkdtempSync(path.join(os.tmpdir(), 'callops-api-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

it('builds the API reference without a warning: guides as documents, no broken links, every action described', async () => {
  const typedoc = path.join(root, 'node_modules/typedoc/bin/typedoc')
  const run = await new Promise<{ code: number | null; output: string }>((resolve) =>
    execFile(process.execPath, [typedoc, '--out', out], { cwd: root, timeout: 180_000 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, output: stdout + stderr }),
    ),
  )
  expect(run.output).not.toContain('[warning]')
  expect(run.code, run.output).toBe(0)

  const documents = readdirSync(path.join(out, 'documents'))
  expect(documents).toEqual(expect.arrayContaining(['docs_guides_getting-started.html', 'docs_guides_errors.html', 'docs_machines_call.html', 'examples_README.html']))
  // A guide shown as a raw .md file, and two guides named alike, were what the reader got before.
  expect(existsSync(path.join(out, 'media')) ? readdirSync(path.join(out, 'media')).filter((f) => f.endsWith('.md')) : []).toEqual([])
  expect(readdirSync(path.join(root, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => /(^|\/)security[^/]*\.md$/.test(f) && !f.startsWith('api/'))).toHaveLength(1)

  // Every relative link of the index lands on a generated file.
  const index = readFileSync(path.join(out, 'index.html'), 'utf8')
  const broken = [...index.matchAll(/href="([^"#:]+)(?:#[^"]*)?"/g)].map((m) => m[1] ?? '').filter((href) => !existsSync(path.join(out, href)))
  expect(broken).toEqual([])

  const orchestrator = readFileSync(path.join(out, 'interfaces/callops.CallOrchestrator.html'), 'utf8')
  for (const text of ['Puts a participant on hold with music', 'Adds the large gallery view', 'Counters for dashboards']) expect(orchestrator).toContain(text)
}, 200_000)
