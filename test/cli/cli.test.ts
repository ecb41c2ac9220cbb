// The `callops` command as a user types it: a child process per run, its streams and exit code.
import { execFile, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import net from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, onTestFinished } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const { version } = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { version: string }

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

const callops = (...args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
    )
  })

describe.concurrent('the callops command', () => {
  it('prints its usage to stdout and exits 0 with --help', async () => {
    const run = await callops('--help')
    expect(run).toMatchObject({ code: 0, stderr: '' })
    expect(run.stdout).toMatch(/^Usage: callops <command>/)
  })

  it('prints its usage to stderr and exits 2 with no arguments', async () => {
    const run = await callops()
    expect(run).toMatchObject({ code: 2, stdout: '' })
    expect(run.stderr).toMatch(/^Usage: callops <command>/)
  })

  it('says "unknown command" for a command it does not have', async () => {
    const run = await callops('bogus')
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/^callops: unknown command "bogus"\n/)
  })

  it('prints the version of the package with --version', async () => {
    expect(await callops('--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
  })

  it('names an unknown demo flag in one line, without the parser’s advice about positionals', async () => {
    const run = await callops('demo', '--bogus')
    expect(run.code).toBe(2)
    expect(run.stderr.split('\n')[0]).toBe("callops demo: Unknown option '--bogus'")
    expect(run.stderr).not.toContain('positional')
  })

  it('accepts every demo flag its usage lists, and lists every flag the demo accepts', async () => {
    const { stdout } = await callops('--help')
    const listed = [...stdout.matchAll(/^ {13}(--[a-z-]+)( <n>)?/gm)].map((m) => [m[1] ?? '', ...(m[2] === undefined ? [] : ['1'])])
    expect(listed.map(([flag]) => flag)).toEqual(['--calls', '--seed', '--json', '--inspect', '--inspect-port', '--view'])
    // --help after them: the flags are parsed (an unknown one exits 2), then the usage is shown.
    const run = await callops('demo', ...listed.flat(), '--help')
    expect(run).toMatchObject({ code: 0, stderr: '' })
  })

  it('refuses --inspect on a port in use with a message, at once, instead of crashing or hanging', async () => {
    const busy = net.createServer()
    await new Promise<void>((resolve) => busy.listen(0, resolve))
    const port = (busy.address() as net.AddressInfo).port
    const run = await callops('demo', '--inspect', '--inspect-port', String(port))
    busy.close()
    expect(run.code).toBe(2)
    expect(run.stderr).toBe(`--inspect: port ${port} is in use; choose another with --inspect-port <n>\n`)
  })
})

it('demo --inspect plays the call, stays open for the inspector and stops cleanly on Ctrl-C', async () => {
  const probe = net.createServer()
  await new Promise<void>((resolve) => probe.listen(0, resolve))
  const port = (probe.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'demo', '--inspect', '--inspect-port', String(port)], { cwd: root })
  let stderr = ''
  let stdout = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  const open = new Promise<void>((resolve) =>
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      if (stderr.includes('press Ctrl-C')) resolve()
    }),
  )
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  await open
  expect(stderr).toContain(`Inspector server on http://localhost:${port}: it listens on every network interface`)
  child.kill('SIGINT')
  expect(await exited).toBe(0)
  expect(stdout).toContain('Every step went as the rules say')
})

it('simulate --view prints the URL of a live view on 127.0.0.1 that answers only with its token, and stops on Ctrl-C', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'simulate', '--view'], { cwd: root })
  let stdout = ''
  const printed = new Promise<string>((resolve) =>
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      const url = /^ {2}live view {8}(\S+)$/m.exec(stdout)?.[1]
      if (url !== undefined) resolve(url)
    }),
  )
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  // A failed expectation must not leave the simulator running.
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  const url = new URL(await printed)
  expect(url.hostname).toBe('127.0.0.1')
  expect(url.searchParams.get('token')).toMatch(/^[\w-]{16}$/)
  const page = await fetch(url)
  expect(page.status).toBe(200)
  expect(await page.text()).toContain('<html')
  expect((await fetch(`${url.origin}/`)).status).toBe(401)
  const stream = await fetch(`${url.origin}/events?token=${url.searchParams.get('token') ?? ''}`)
  expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/)
  await stream.body?.cancel()
  child.kill('SIGINT')
  expect(await exited).toBe(0)
  expect(stdout).toMatch(/callops simulator stopped/)
})
