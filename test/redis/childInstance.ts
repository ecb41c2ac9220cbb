import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

/** An action's outcome as the child process printed it (fp-ts Either as JSON). */
export type RemoteResult =
  | { readonly _tag: 'Right'; readonly right: { readonly status: string; readonly clientContext: string } }
  | { readonly _tag: 'Left'; readonly left: { readonly _tag: string; readonly message: string } }

/** An orchestrator instance running as its own OS process (test/redis/instanceProcess.ts). */
export interface ChildInstance {
  readonly name: string
  readonly pid: number
  readonly webhookUrl: string
  run(action: string, req: Record<string, unknown>): Promise<RemoteResult>
  /** Starts item k at wall-clock time `at + k * spacingMs`; resolves with every outcome. */
  runAll(at: number, spacingMs: number, items: readonly { readonly action: string; readonly req: Record<string, unknown> }[]): Promise<RemoteResult[]>
  restore(): Promise<number>
  stats(): Promise<{ readonly notificationsApplied: number; readonly pendingOperations: number }>
  /** Asks the process to close its orchestrator and exit. */
  close(): Promise<void>
  /** `kill -9`: no close, no goodbye. */
  kill(): Promise<void>
  /** What the process wrote to stderr (for failure messages). */
  readonly stderr: () => string
}

const script = fileURLToPath(new URL('./instanceProcess.ts', import.meta.url))

/** Starts one instance process; resolves once its webhook listens. */
export const spawnInstance = async (name: string, env: Record<string, string>): Promise<ChildInstance> => {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let err = ''
  child.stderr.on('data', (d: Buffer) => {
    err = (err + d.toString('utf8')).slice(-20_000)
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let nextId = 1
  let port = 0
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance ${name} did not start in time: ${err}`)), 30_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`instance ${name} exited (${code}) before it was ready: ${err}`))
    })
    createInterface({ input: child.stdout }).on('line', (line) => {
      const msg = JSON.parse(line) as { type?: string; port?: number; id?: number; result?: unknown; error?: string }
      if (msg.type === 'ready') {
        port = msg.port ?? 0
        clearTimeout(timer)
        resolve()
        return
      }
      const w = msg.id === undefined ? undefined : waiting.get(msg.id)
      if (w === undefined || msg.id === undefined) return
      waiting.delete(msg.id)
      if (msg.error !== undefined) w.reject(new Error(msg.error))
      else w.resolve(msg.result)
    })
  })
  ready.catch(() => undefined)
  await ready
  exited.then(() => {
    for (const w of waiting.values()) w.reject(new Error(`instance ${name} exited: ${err.slice(-2_000)}`))
    waiting.clear()
  })
  const call = <T>(op: string, extra: Record<string, unknown> = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject })
      child.stdin.write(`${JSON.stringify({ id, op, ...extra })}\n`)
    })
  return {
    name,
    pid: child.pid ?? 0,
    webhookUrl: `http://127.0.0.1:${port}/callback`,
    run: (action, req) => call<RemoteResult>('run', { action, req }),
    runAll: (at, spacingMs, items) => call<RemoteResult[]>('runAll', { at, spacingMs, items }),
    restore: () => call<number>('restore'),
    stats: () => call('stats'),
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      await Promise.race([call('close').catch(() => undefined), exited])
      await exited
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
    stderr: () => err,
  }
}
