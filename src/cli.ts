#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { runDemo } from './demo/runDemo.js'
import { runSimulatorCli } from './simulator/runSimulatorCli.js'

const usage = `Usage: callops <command> [options]

Commands:
  demo       play a customer call against the built-in Graph simulator
             --calls <n>      play it on n calls at once (progress line)
             --seed <n>       simulator seed (default 7)
             --json           timeline as JSON lines
             --inspect [port] watch the machines in the Stately inspector (default port 8787)
             --view           serve callops's live view (no internet needed), print its URL; Ctrl-C stops
  simulate   run the Graph calls simulator (callops simulate --help)`

const main = async (argv: readonly string[]): Promise<number> => {
  const [command, ...rest] = argv
  if (command === 'simulate') return runSimulatorCli(rest)
  if (command !== 'demo') {
    process.stderr.write(`${usage}\n`)
    return command === undefined || command === '--help' ? 0 : 2
  }
  const { values } = parseArgs({
    args: [...rest],
    options: {
      calls: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
      inspect: { type: 'boolean' },
      'inspect-port': { type: 'string' },
      view: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    allowPositionals: true,
  })
  if (values.help === true) {
    process.stdout.write(`${usage}\n`)
    return 0
  }
  const calls = values.calls === undefined ? 1 : Number(values.calls)
  const seed = values.seed === undefined ? 7 : Number(values.seed)
  if (!Number.isInteger(calls) || calls < 1) throw new TypeError('Expected `--calls` to be a positive integer.')
  if (!Number.isInteger(seed)) throw new TypeError('Expected `--seed` to be an integer.')
  return runDemo({
    calls,
    seed,
    json: values.json === true,
    view: values.view === true,
    ...(values.inspect === true ? { inspectPort: Number(values['inspect-port'] ?? 8787) } : {}),
  })
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`callops: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 2
  },
)
