import { parseArgs } from 'node:util'
import { createSimulator } from './createSimulator.js'
import { startSimulatorView } from './startSimulatorView.js'
import { runSimulatorControlCli } from './runSimulatorControlCli.js'
import type { SimulatorFaults } from './SimulatorFaults.js'
import type { Mutable } from '../domain/Mutable.js'

/** Where the CLI writes and what stops it. */
export interface CliIo {
  readonly stdout: (line: string) => void
  readonly stderr: (line: string) => void
  /** Stops the simulator when aborted (default: the first SIGINT or SIGTERM). */
  readonly signal?: AbortSignal
}

const usage = `Usage: callops simulate [options]
       callops simulate ring|press ...   (drive a running simulator: callops simulate ring --help)

Starts a simulator of the Microsoft Graph calls API on 127.0.0.1.

Options:
  --port <n>                   TCP port (default 0: a free one)
  --seed <n>                   seed of ids and faults (default random, printed)
  --app-id <id>                aud claim of notification tokens
  --tenant-id <id>             tid claim of notification tokens
  --answer-latency <ms|a-b>    delay of each Graph answer
  --notification-latency <ms|a-b>  delay of each notification / operation completion
  --throttle-rate <0..1>       share of requests answered 429
  --retry-after <s>            Retry-After of 429 and 503 answers (default 1)
  --unavailable-rate <0..1>    share of requests answered 503
  --drop-rate <0..1>           share of notifications dropped
  --duplicate-rate <0..1>      share of notifications sent twice
  --reorder-window <ms>        hold a call's notifications back this long and shuffle them
  --notify-before-answer <0..1> share of operations notified before their HTTP answer
  --id-variants <0..1>         share of notifications in a documented variant spelling
  --fail-rate <0..1>           share of operations that end failed (500/8500)
  --invite-id-null <0..1>      share of invite completions with "id": null
  --view                       serve callops's live view of the simulator's calls and print its URL
  --view-host <host>           interface the live view listens on (default 127.0.0.1)
  --view-port <n>              its port (default 0: a free one)
  --view-token <token>         the token its URL carries (default a fresh random one)
  --answer-deadline <ms>       how long a rung call waits to be answered (default 15000)
  --established-first <0..1>   share of answered/outgoing calls notified established before establishing
  --tone-repeat-rate <0..1>    share of pressed keys notified twice
  --tone-reorder-rate <0..1>   share of pressed keys notified after the next one
  --answer-too-late <0..1>     share of answers that arrive after the deadline (then 408/1106)
  --transfer-fail-rate <0..1>  share of transfers that fail back to established (500/7000, 500/7700)
  --string-result-codes <0..1> share of DELETE-call terminated notifications with code/subcode as strings
  --help                       show this help`

const options = {
  port: { type: 'string' },
  seed: { type: 'string' },
  'app-id': { type: 'string' },
  'tenant-id': { type: 'string' },
  'answer-latency': { type: 'string' },
  'notification-latency': { type: 'string' },
  'throttle-rate': { type: 'string' },
  'retry-after': { type: 'string' },
  'unavailable-rate': { type: 'string' },
  'drop-rate': { type: 'string' },
  'duplicate-rate': { type: 'string' },
  'reorder-window': { type: 'string' },
  'notify-before-answer': { type: 'string' },
  'id-variants': { type: 'string' },
  'fail-rate': { type: 'string' },
  'invite-id-null': { type: 'string' },
  view: { type: 'boolean' },
  'view-host': { type: 'string' },
  'view-port': { type: 'string' },
  'view-token': { type: 'string' },
  'answer-deadline': { type: 'string' },
  'established-first': { type: 'string' },
  'tone-repeat-rate': { type: 'string' },
  'tone-reorder-rate': { type: 'string' },
  'answer-too-late': { type: 'string' },
  'transfer-fail-rate': { type: 'string' },
  'string-result-codes': { type: 'string' },
  help: { type: 'boolean' },
} as const

const parse = (argv: readonly string[]) => parseArgs({ args: [...argv], options, strict: true, allowPositionals: false })

const number = (flag: string, text: string): number => {
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n)) throw new TypeError(`--${flag}: expected a number, got ${JSON.stringify(text)}`)
  return n
}

const range = (flag: string, text: string): readonly [number, number] => {
  const m = /^\s*([^-\s]+)\s*(?:-\s*([^-\s]+)\s*)?$/.exec(text)
  if (m === null || m[1] === undefined) throw new TypeError(`--${flag}: expected <ms> or <min>-<max>, got ${JSON.stringify(text)}`)
  const min = number(flag, m[1])
  return [min, m[2] === undefined ? min : number(flag, m[2])]
}

const defaultSignal = (): AbortSignal => {
  const controller = new AbortController()
  const stop = (): void => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  controller.signal.addEventListener('abort', () => {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  })
  return controller.signal
}

/**
 * `callops simulate`: parses the flags, starts a simulator, prints where it listens and runs until
 * the signal (SIGINT by default). Resolves with the exit code: 0 after a clean stop, 2 on bad flags.
 *
 * @example
 * ```ts
 * process.exitCode = await runSimulatorCli(process.argv.slice(3))
 * ```
 */
export const runSimulatorCli = async (
  argv: readonly string[],
  io: CliIo = { stdout: (l) => console.log(l), stderr: (l) => console.error(l) },
): Promise<number> => {
  if (argv[0] === 'ring' || argv[0] === 'press') return runSimulatorControlCli(argv, io)
  let values: ReturnType<typeof parse>['values']
  try {
    values = parse(argv).values
  } catch (e) {
    io.stderr(`${e instanceof Error ? e.message : String(e)}\n\n${usage}`)
    return 2
  }
  if (values.help === true) {
    io.stdout(usage)
    return 0
  }
  if (values.view !== true && (values['view-host'] ?? values['view-port'] ?? values['view-token']) !== undefined) {
    io.stderr(`callops simulate: --view-host, --view-port and --view-token need --view\n\n${usage}`)
    return 2
  }
  let sim
  let view
  try {
    const faults: Mutable<SimulatorFaults> = {}
    type RateKey = 'throttleRate' | 'unavailableRate' | 'dropRate' | 'duplicateRate' | 'notifyBeforeAnswer' | 'idVariants' | 'failRate' | 'inviteIdNull'
    type CallRateKey = 'establishedFirst' | 'toneRepeatRate' | 'toneReorderRate' | 'answerTooLate' | 'transferFailRate' | 'stringResultCodes'
    const rate = (flag: keyof typeof values, key: RateKey | CallRateKey): void => {
      const v = values[flag]
      if (typeof v === 'string') faults[key] = number(flag, v)
    }
    if (values['answer-latency'] !== undefined) faults.answerLatencyMs = range('answer-latency', values['answer-latency'])
    if (values['notification-latency'] !== undefined) faults.notificationLatencyMs = range('notification-latency', values['notification-latency'])
    if (values['retry-after'] !== undefined) faults.retryAfterSeconds = number('retry-after', values['retry-after'])
    if (values['reorder-window'] !== undefined) faults.reorderWindowMs = number('reorder-window', values['reorder-window'])
    rate('throttle-rate', 'throttleRate')
    rate('unavailable-rate', 'unavailableRate')
    rate('drop-rate', 'dropRate')
    rate('duplicate-rate', 'duplicateRate')
    rate('notify-before-answer', 'notifyBeforeAnswer')
    rate('id-variants', 'idVariants')
    rate('fail-rate', 'failRate')
    rate('invite-id-null', 'inviteIdNull')
    rate('established-first', 'establishedFirst')
    rate('tone-repeat-rate', 'toneRepeatRate')
    rate('tone-reorder-rate', 'toneReorderRate')
    rate('answer-too-late', 'answerTooLate')
    rate('transfer-fail-rate', 'transferFailRate')
    rate('string-result-codes', 'stringResultCodes')
    const started = await createSimulator({
      faults,
      ...(values.port === undefined ? {} : { port: number('port', values.port) }),
      ...(values.seed === undefined ? {} : { seed: number('seed', values.seed) }),
      ...(values['app-id'] === undefined ? {} : { appId: values['app-id'] }),
      ...(values['tenant-id'] === undefined ? {} : { tenantId: values['tenant-id'] }),
      ...(values['answer-deadline'] === undefined ? {} : { answerDeadlineMs: number('answer-deadline', values['answer-deadline']) }),
    })
    sim = started
    view =
      values.view === true
        ? await startSimulatorView(started, {
            ...(values['view-host'] === undefined ? {} : { host: values['view-host'] }),
            ...(values['view-port'] === undefined ? {} : { port: number('view-port', values['view-port']) }),
            ...(values['view-token'] === undefined ? {} : { token: values['view-token'] }),
          }).catch(async (e: unknown) => {
            await started.close()
            throw e
          })
        : undefined
  } catch (e) {
    io.stderr(`callops simulate: ${e instanceof Error ? e.message : String(e)}`)
    return 2
  }
  io.stdout(
    [
      `callops simulator listening on ${sim.url}`,
      `  Graph base URL   ${sim.graphUrl}`,
      `  admin API        ${sim.url}/_sim/calls`,
      `  OpenID metadata  ${sim.openIdConfigUrl}`,
      `  app id           ${sim.appId}`,
      `  tenant id        ${sim.tenantId}`,
      `  seed             ${sim.seed} (replay with --seed ${sim.seed})`,
      ...(view === undefined ? [] : [`  live view        ${view.url}`]),
      'Press Ctrl+C to stop.',
    ].join('\n'),
  )
  const signal = io.signal ?? defaultSignal()
  if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
  const s = sim.stats()
  await view?.close()
  await sim.close()
  io.stdout(
    `callops simulator stopped: ${s.calls.created} calls, ${s.operations.started} operations, ` +
      `${s.notifications.sent} notifications sent, ${s.throttled} throttled`,
  )
  return 0
}
