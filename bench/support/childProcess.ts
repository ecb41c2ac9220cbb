import { fork, type ChildProcess, type Serializable } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { decode } from '../../src/codecs/decode.js'

/** The repository root: children run from it so `--import tsx` resolves. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** What a bench child sends its parent: one value, or why it could not. */
const ChildMessage = t.union([
  t.type({ type: t.literal('result'), value: t.unknown }),
  t.type({ type: t.literal('error'), message: t.string }),
])

/** A running bench child. */
export interface BenchChild {
  /** The next value it sends, decoded with `codec`; rejects if it fails, exits or sends garbage. */
  next<A>(codec: t.Decoder<unknown, A>): Promise<A>
  /** Sends it a message (it reads it with {@link receive}). */
  send(message: Serializable): void
  /** Asks it to stop (it exits on `disconnect`), and waits for its exit. */
  stop(): Promise<void>
}

/** How children run: TypeScript under tsx (quick to start), or the output of {@link compileBench}. */
export type ChildRunner = { readonly kind: 'tsx' } | { readonly kind: 'compiled'; readonly dir: string }

// Flags for every child, for a look inside (`BENCH_CHILD_FLAGS=--trace-gc`): NODE_OPTIONS refuses some.
const extraFlags = (): string[] => (process.env['BENCH_CHILD_FLAGS'] ?? '').split(' ').filter((f) => f !== '')

/** Options of {@link startChild}. */
export interface ChildOptions {
  /** Default tsx. */
  readonly runner?: ChildRunner
  /** Node flags, e.g. `--expose-gc`, `--cpu-prof`. */
  readonly nodeFlags?: readonly string[]
  /** Kills the child when no message came after this long. Default 10 minutes. */
  readonly timeoutMs?: number
}

/**
 * Forks `bench/<entry>` (named without extension) with `input` as its first argument (JSON). The
 * child answers through {@link reply}. stdout and stderr are inherited, so a crash shows.
 */
export const startChild = (entry: string, input: unknown, options: ChildOptions = {}): BenchChild => {
  const runner = options.runner ?? { kind: 'tsx' }
  const file = runner.kind === 'tsx' ? fileURLToPath(new URL(`../${entry}.ts`, import.meta.url)) : `${runner.dir}bench/${entry}.js`
  const child: ChildProcess = fork(file, [JSON.stringify(input)], {
    cwd: repoRoot,
    execArgv: [...(options.nodeFlags ?? []), ...extraFlags(), ...(runner.kind === 'tsx' ? ['--import', 'tsx'] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const inbox: unknown[] = []
  const waiting: ((m: E.Either<Error, unknown>) => void)[] = []
  let exited: Error | undefined
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const push = (m: E.Either<Error, unknown>): void => {
    const w = waiting.shift()
    if (w !== undefined) w(m)
    else if (E.isRight(m)) inbox.push(m.right)
  }
  child.on('message', (m: unknown) => push(E.right(m)))
  child.once('exit', (code, signal) => {
    exited = new Error(`bench child ${entry} exited (code ${String(code)}, signal ${String(signal)}) before answering`)
    for (const w of waiting.splice(0)) w(E.left(exited))
  })
  const timeoutMs = options.timeoutMs ?? 600_000

  return {
    next: async <A>(codec: t.Decoder<unknown, A>): Promise<A> => {
      const raw = await new Promise<E.Either<Error, unknown>>((resolve, reject) => {
        if (inbox.length > 0) return resolve(E.right(inbox.shift()))
        if (exited !== undefined) return resolve(E.left(exited))
        const timer = setTimeout(() => {
          child.kill('SIGKILL')
          reject(new Error(`bench child ${entry} sent nothing for ${timeoutMs} ms`))
        }, timeoutMs)
        waiting.push((m) => {
          clearTimeout(timer)
          resolve(m)
        })
      })
      if (E.isLeft(raw)) throw raw.left
      const message = decode(ChildMessage, raw.right)
      if (E.isLeft(message)) throw new Error(`bench child ${entry} sent an unexpected message: ${message.left.message}`)
      if (message.right.type === 'error') throw new Error(`bench child ${entry} failed: ${message.right.message}`)
      const value = decode(codec, message.right.value)
      if (E.isLeft(value)) throw new Error(`bench child ${entry} sent a malformed result at ${value.left.path}: ${value.left.message}`)
      return value.right
    },
    send: (message) => {
      child.send(message)
    },
    stop: async () => {
      if (child.connected) child.disconnect()
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exit
      clearTimeout(timer)
    },
  }
}

/** Reads and decodes a child's input (its first argument); throws when it does not decode. */
export const childInput = <A>(codec: t.Decoder<unknown, A>): A => {
  const text = process.argv[2]
  if (text === undefined) throw new Error('expected the input as the first argument')
  const decoded = decode(codec, JSON.parse(text))
  if (E.isLeft(decoded)) throw new Error(`bad child input at ${decoded.left.path}: ${decoded.left.message}`)
  return decoded.right
}

/** Sends the parent one message. */
const send = (message: unknown): Promise<void> =>
  new Promise((resolve, reject) => {
    if (process.send === undefined) return reject(new Error('not started by startChild (no IPC channel)'))
    process.send(message, undefined, {}, (err) => (err === null ? resolve() : reject(err)))
  })

const parentInbox: unknown[] = []
const parentWaiting: ((m: unknown) => void)[] = []
let listening = false

/** The next message the parent sent with {@link BenchChild.send}, decoded with `codec`. */
export const receive = async <A>(codec: t.Decoder<unknown, A>): Promise<A> => {
  if (!listening) {
    listening = true
    process.on('message', (m: unknown) => {
      const w = parentWaiting.shift()
      if (w !== undefined) w(m)
      else parentInbox.push(m)
    })
  }
  const raw = parentInbox.length > 0 ? parentInbox.shift() : await new Promise<unknown>((resolve) => parentWaiting.push(resolve))
  const decoded = decode(codec, raw)
  if (E.isLeft(decoded)) throw new Error(`unexpected message from the parent at ${decoded.left.path}: ${decoded.left.message}`)
  return decoded.right
}

/** Sends a result to the parent. */
export const reply = (value: unknown): Promise<void> => send({ type: 'result', value })

/**
 * Runs a child's main function: sends a failure to the parent instead of dying silently, and exits
 * when the parent disconnects (or at once when `stayUntilDisconnect` is false).
 */
export const runAsChild = (main: () => Promise<void>, stayUntilDisconnect = false): void => {
  process.once('disconnect', () => process.exit(0))
  main().then(
    () => {
      if (!stayUntilDisconnect) process.disconnect?.()
    },
    async (err: unknown) => {
      await send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }).catch(() => {})
      process.exit(1)
    },
  )
}
