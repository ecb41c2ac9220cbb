// callops as a new user meets it: the packed tarball installed from the npm registry into a new
// project, the getting-started guide followed as written, the README's bot, a shipped example,
// `require('callops')` and the `callops` command. Slow (it packs and installs): `npm run
// test:package`, which .ci/run calls.
import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../support/freePort.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const readRepo = (file: string) => readFileSync(path.join(root, file), 'utf8')

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

// The npm cache is warm; offline-first keeps the installs to seconds without changing what they do.
const env = { ...process.env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', NODE_OPTIONS: '' }

const run = (command: string, args: readonly string[], cwd: string, timeout = 120_000): Promise<Run> =>
  new Promise((resolve) => {
    execFile(command, [...args], { cwd, env, timeout, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
    )
  })

/** The first fenced block of `lang` after `marker` in `text`. */
const block = (text: string, marker: string, lang: string): string => {
  const from = text.indexOf(marker)
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(text.slice(from))
  if (from === -1 || m === null) throw new Error(`no ${lang} block after ${JSON.stringify(marker)}`)
  return m[1] ?? ''
}

/** `text` with `from` replaced by `to`, failing when `from` is not there (the doc changed). */
const replaceOnce = (text: string, from: string, to: string): string => {
  if (!text.includes(from)) throw new Error(`expected ${JSON.stringify(from)} in:\n${text}`)
  return text.replace(from, to)
}

const work = mkdtempSync(path.join(os.tmpdir(), 'callops-package-'))
const project = path.join(work, 'my-bot')
let tarball = ''
let shipped: string[] = []
const installOutput: string[] = []

beforeAll(async () => {
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], root)
  expect(packed.code, packed.stderr).toBe(0)
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[]
  if (info === undefined) throw new Error('npm pack listed nothing')
  tarball = path.join(work, info.filename)
  shipped = info.files.map((f) => f.path)

  // The getting-started guide's commands, word for word, with the tarball standing for `callops`.
  mkdirSync(project)
  const commands = block(readRepo('docs/guides/getting-started.md'), '<!-- run by test/package/packedPackage.test.ts', 'sh')
  for (const line of commands.trim().split('\n')) {
    const [command = '', ...args] = line.trim().split(/\s+/)
    const result = await run(command, args.map((a) => (a === 'callops' ? tarball : a)), project)
    expect(result.code, `${line}\n${result.stderr}`).toBe(0)
    installOutput.push(result.stdout, result.stderr)
  }
}, 240_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('the packed package', () => {
  it('ships a LICENSE, the guides and examples, and no generated API pages or source maps', () => {
    expect(shipped).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'cjs/esmOnly.cjs', 'docs/guides/getting-started.md', 'examples/node-http-bot.ts']))
    expect(shipped.filter((f) => f.startsWith('docs/api/') || f.endsWith('.map'))).toEqual([])
    expect(readFileSync(path.join(project, 'node_modules/callops/LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} callops contributors\n/)
  })

  it('has shipped docs whose relative links land on shipped files', () => {
    const dirs = new Set(shipped.flatMap((f) => f.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))))
    const broken: string[] = []
    for (const doc of shipped.filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(path.join(project, 'node_modules/callops', doc), 'utf8')
      for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        const target = m[1] ?? ''
        if (/^[a-z]+:/.test(target)) continue
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(doc), target)).replace(/\/$/, '')
        if (!shipped.includes(resolved) && !dirs.has(resolved)) broken.push(`${doc} → ${target}`)
      }
    }
    expect(broken).toEqual([])
  })

  it('installs without an engine warning or an install script of its own', () => {
    const output = installOutput.join('\n')
    expect(output).not.toContain('EBADENGINE')
    expect(output).not.toMatch(/callops@[\d.]+ \((?:prepare|install|postinstall|preinstall)/)
    const pkg = JSON.parse(readFileSync(path.join(project, 'node_modules/callops/package.json'), 'utf8')) as { scripts?: Record<string, string> }
    expect(Object.keys(pkg.scripts ?? {}).filter((s) => /^(pre|post)?(install|prepare)$/.test(s))).toEqual([])
  })
})

describe('a new project, as the guides say', () => {
  it('runs the getting-started bot with npx tsx and prints what the guide says', async () => {
    const guide = readRepo('docs/guides/getting-started.md')
    writeFileSync(path.join(project, 'bot.ts'), block(guide, '## The bot', 'ts'))
    const result = await run('npx', ['tsx', 'bot.ts'], project, 60_000)
    expect(result.stderr).toBe('')
    expect(result.stdout).toBe(block(guide, 'It prints:', ''))
    expect(result.code).toBe(0)
  }, 90_000)

  it('runs the README’s bot against the simulator and puts the caller on hold', async () => {
    const port = await freePort()
    let bot = block(readRepo('README.md'), '## A bot in a few lines', 'ts')
    // The README's bot talks to Graph; point its three settings at a simulator instead.
    bot = replaceOnce(bot, 'graph: { getToken:', 'graph: { baseUrl: sim.graphUrl, getToken:')
    bot = replaceOnce(bot, 'notificationAuth: { appId: process.env.BOT_APP_ID! }', 'notificationAuth: { appId: sim.appId, openIdConfigUrl: sim.openIdConfigUrl }')
    bot = replaceOnce(bot, '.listen(8080)', `.listen(${port}, '127.0.0.1')`)
    const prelude = [
      "import { createSimulator } from 'callops/simulator'",
      'const sim = await createSimulator()',
      "const myGraphToken = () => 'simulator-token'",
      `const created = sim.createCall({ callbackUrl: 'http://127.0.0.1:${port}/api/calls', participants: [{ id: 'alice' }, { id: 'bob' }] })`,
      "if (created._tag === 'Left') throw new Error(created.left.message)",
      "const { callId } = created.right, participantId = 'alice'",
    ]
    writeFileSync(path.join(project, 'readme-bot.ts'), [...prelude, bot, 'await orchestrator.close()', 'await sim.close()', 'process.exit(0)', ''].join('\n'))
    const result = await run('npx', ['tsx', 'readme-bot.ts'], project, 60_000)
    expect(result.stderr).toBe('')
    expect(result.stdout).toMatch(/^on hold [0-9a-f-]{36}\n$/)
    expect(result.code).toBe(0)
  }, 90_000)

  it('runs a shipped example once its imports say callops, as its header tells', async () => {
    const examples = path.join(project, 'node_modules/callops/examples')
    mkdirSync(path.join(project, 'shared'), { recursive: true })
    for (const file of ['node-http-bot.ts', 'shared/playHoldAndRelease.ts', 'shared/simulatorTarget.ts']) {
      const code = readFileSync(path.join(examples, file), 'utf8')
        .replace(/'(?:\.\.\/)+src\/index\.js'/g, "'callops'")
        .replace(/'(?:\.\.\/)+src\/simulator\/index\.js'/g, "'callops/simulator'")
      expect(code, file).not.toMatch(/'\.\.\/(\.\.\/)?(src|machines)\//)
      writeFileSync(path.join(project, file), code)
    }
    expect(existsSync(path.join(project, 'shared/simulatorTarget.ts'))).toBe(true)
    const result = await run('npx', ['tsx', 'node-http-bot.ts'], project, 60_000)
    expect(result.stderr).toBe('')
    expect(result.stdout).toMatch(/^Alice is back$/m)
    expect(result.code).toBe(0)
  }, 90_000)

  it('answers require(\'callops\') with an error that says it is ESM-only and how to import it', async () => {
    for (const entry of ['callops', 'callops/simulator']) {
      const result = await run(process.execPath, ['--input-type=commonjs', '-e', `require('${entry}')`], project)
      expect(result.code, entry).toBe(1)
      expect(result.stderr, entry).toContain('callops is an ES module package (ESM only): it cannot be loaded with require().')
      expect(result.stderr, entry).toContain("await import('callops')")
    }
  })

  it('type-checks the guide’s bot under --strict against the shipped types', async () => {
    copyFileSync(path.join(root, 'test/package/user-tsconfig.json'), path.join(project, 'tsconfig.json'))
    const installed = await run('npm', ['install', '-D', 'typescript@5.9', '@types/node@20'], project)
    expect(installed.code, installed.stderr).toBe(0)
    const result = await run('npx', ['tsc', '-p', 'tsconfig.json'], project, 90_000)
    expect(result.stdout + result.stderr).toBe('')
    expect(result.code).toBe(0)
  }, 150_000)

  it('has a callops command that tells its version, and a demo --inspect that says what is missing and exits', async () => {
    const version = await run('npx', ['callops', '--version'], project)
    expect(version).toEqual({ code: 0, stdout: `${(JSON.parse(readRepo('package.json')) as { version: string }).version}\n`, stderr: '' })
    const started = Date.now()
    const inspect = await run('npx', ['callops', 'demo', '--inspect'], project, 30_000)
    expect(inspect.code).toBe(2)
    expect(inspect.stderr).toMatch(/^--inspect needs the optional package @statelyai\/inspect: npm install -D @statelyai\/inspect \(/)
    expect(Date.now() - started).toBeLessThan(30_000)
  }, 60_000)
})
