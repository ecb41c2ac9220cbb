#!/usr/bin/env node
import { createRequire } from 'node:module'
import { parseArgs } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { decode } from './codecs/decode.js'
import { runDemo } from './demo/runDemo.js'
import { runSimulatorCli } from './simulator/runSimulatorCli.js'

const usage = `Usage: callops <command> [options]

Commands:
  demo       play a whole call-center call against the built-in Graph simulator
             --calls <n>           play it on n calls at once (progress line)
             --seed <n>            simulator seed (default 7)
             --json                timeline as JSON lines
             --inspect             watch the machines in the Stately inspector
                                   (needs the optional package @statelyai/inspect)
             --inspect-port <n>    the inspector server's port (default 8787)
             --view                serve callops's live view (no internet needed) and
                                   print its URL; plays once a page is open; Ctrl-C stops
  simulate   run the Graph calls simulator (callops simulate --help)

Options:
  --help     show this help
  --version  show the version of callops`

const PackageJson = t.type({ version: t.string })

// The package resolves itself by name, from src/ under tsx as from dist/ once installed.
const version = (): string => {
  const pkg = decode(PackageJson, createRequire(import.meta.url)('callops/package.json'))
  return E.isRight(pkg) ? pkg.right.version : 'unknown'
}

// node:util's parse errors go on about positionals after '--'; the first sentence says it all.
const parseError = (e: unknown): string => (e instanceof Error ? (e.message.split('. ')[0] ?? e.message) : String(e))

const runDemoCommand = async (args: readonly string[]): Promise<number> => {
  let values
  try {
    ;({ values } = parseArgs({
      args: [...args],
      options: {
        calls: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
        inspect: { type: 'boolean' },
        'inspect-port': { type: 'string' },
        view: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }))
  } catch (e) {
    process.stderr.write(`callops demo: ${parseError(e)}\n\n${usage}\n`)
    return 2
  }
  if (values.help === true) {
    process.stdout.write(`${usage}\n`)
    return 0
  }
  const calls = values.calls === undefined ? 1 : Number(values.calls)
  const seed = values.seed === undefined ? 7 : Number(values.seed)
  const inspectPort = Number(values['inspect-port'] ?? 8787)
  if (!Number.isInteger(calls) || calls < 1) throw new TypeError('Expected `--calls` to be a positive integer.')
  if (!Number.isInteger(seed)) throw new TypeError('Expected `--seed` to be an integer.')
  if (!Number.isInteger(inspectPort) || inspectPort < 1 || inspectPort > 65_535) throw new TypeError('Expected `--inspect-port` to be a port number.')
  return runDemo({ calls, seed, json: values.json === true, view: values.view === true, ...(values.inspect === true ? { inspectPort } : {}) })
}

const main = async (argv: readonly string[]): Promise<number> => {
  const [command, ...rest] = argv
  switch (command) {
    case 'demo':
      return runDemoCommand(rest)
    case 'simulate':
      return runSimulatorCli(rest)
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${usage}\n`)
      return 0
    case '--version':
    case '-v':
      process.stdout.write(`${version()}\n`)
      return 0
    case undefined:
      process.stderr.write(`${usage}\n`)
      return 2
    default:
      process.stderr.write(`callops: unknown command ${JSON.stringify(command)}\n\n${usage}\n`)
      return 2
  }
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
