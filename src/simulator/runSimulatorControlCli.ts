import { parseArgs } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { decode } from '../codecs/decode.js'
import { Tone } from '../codecs/requestBodies.js'
import { connectSimulator } from './connectSimulator.js'
import type { RemoteSimulatorError } from './connectSimulator.js'
import type { CliIo } from './runSimulatorCli.js'

const usage = `Usage: callops simulate ring --simulator <url> --callback <url> [--caller <name>] [--phone <number>] [--answer-deadline <ms>]
       callops simulate press --simulator <url> --call <id> <tone>...

ring   rings the bot with an incoming call; prints its call id
press  the caller presses keys (tone0..tone9, star, pound, a..d, flash); the bot must have
       subscribed to tones (subscribeToTone)`

const options = {
  simulator: { type: 'string' },
  callback: { type: 'string' },
  caller: { type: 'string' },
  phone: { type: 'string' },
  'answer-deadline': { type: 'string' },
  call: { type: 'string' },
  help: { type: 'boolean' },
} as const

const Tones = t.array(Tone)

const errorText = (e: RemoteSimulatorError): string => `${e._tag}: ${e.message}`

/**
 * `callops simulate ring` and `callops simulate press`: drive a simulator running elsewhere over its
 * admin API. Resolves with the exit code: 0 done, 1 the simulator refused, 2 bad flags.
 *
 * @example
 * ```ts
 * process.exitCode = await runSimulatorControlCli(['ring', '--simulator', 'http://127.0.0.1:4000', '--callback', 'http://127.0.0.1:3978/api/calls'])
 * ```
 */
export const runSimulatorControlCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const [command, ...rest] = argv
  let parsed
  try {
    parsed = parseArgs({ args: rest, options, strict: true, allowPositionals: command === 'press' })
  } catch (e) {
    io.stderr(`${e instanceof Error ? e.message : String(e)}\n\n${usage}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help === true) {
    io.stdout(usage)
    return 0
  }
  if (values.simulator === undefined) {
    io.stderr(`--simulator <url> is required\n\n${usage}`)
    return 2
  }
  const sim = connectSimulator(values.simulator)
  if (command === 'ring') {
    if (values.callback === undefined) {
      io.stderr(`--callback <url> is required\n\n${usage}`)
      return 2
    }
    const deadline = values['answer-deadline'] === undefined ? undefined : Number(values['answer-deadline'])
    if (deadline !== undefined && !(Number.isFinite(deadline) && deadline >= 0)) {
      io.stderr(`--answer-deadline: expected milliseconds ≥ 0, got ${JSON.stringify(values['answer-deadline'])}`)
      return 2
    }
    const caller = {
      kind: values.phone === undefined ? ('user' as const) : ('phone' as const),
      ...(values.phone === undefined ? {} : { id: values.phone }),
      ...(values.caller === undefined ? {} : { displayName: values.caller }),
    }
    const r = await sim.ring({ callbackUrl: values.callback, caller, ...(deadline === undefined ? {} : { answerDeadlineMs: deadline }) })
    if (E.isLeft(r)) {
      io.stderr(`callops simulate ring: ${errorText(r.left)}`)
      return 1
    }
    io.stdout(r.right.callId)
    return 0
  }
  const tones = decode(Tones, positionals)
  if (values.call === undefined || E.isLeft(tones) || tones.right.length === 0) {
    io.stderr(`${E.isLeft(tones) ? `${tones.left.message}\n` : ''}press needs --call <id> and at least one tone\n\n${usage}`)
    return 2
  }
  const r = await sim.pressKeys(values.call, tones.right)
  if (E.isLeft(r)) {
    io.stderr(`callops simulate press: ${errorText(r.left)}`)
    return 1
  }
  io.stdout(`pressed ${tones.right.join(' ')}`)
  return 0
}
