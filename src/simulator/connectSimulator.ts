import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { decode, type DecodeError } from '../codecs/decode.js'
import { GraphErrorBody } from '../codecs/GraphErrorBody.js'
import { invalidRequest } from '../domain/CallOpsError.js'
import type { CreateCallInput, RingInput } from './adminBodies.js'
import type { Tone } from '../codecs/requestBodies.js'
import { conflict, notFound, type SimulatorError } from './SimulatorError.js'
import { SIMULATOR_APP_ID } from './simulatorIdentity.js'

/** The simulator could not be reached, or answered with something that is not its admin API. */
export interface Unreachable {
  readonly _tag: 'Unreachable'
  readonly message: string
}

/** Why a {@link RemoteSimulator} call did not succeed. Match on `_tag`. */
export type RemoteSimulatorError = SimulatorError | Unreachable | DecodeError

/** The admin API's answer to a new call, decoded: the parts a bot's test needs. */
export const CreatedCall = t.type(
  { callId: t.string, participants: t.array(t.type({ id: t.string, displayName: t.string })) },
  'CreatedCall',
)
/** A call the simulator has created: its id and its participants. */
export type CreatedCall = t.TypeOf<typeof CreatedCall>

/** A simulator running in another process (`npx callops simulate`), driven over its admin API. */
export interface RemoteSimulator {
  /** The simulator's base URL, e.g. `http://127.0.0.1:4000`. */
  readonly url: string
  /** Give it to the orchestrator as `graph.baseUrl`. */
  readonly graphUrl: string
  /** Where the simulator publishes the keys that sign its notifications (`notificationAuth.openIdConfigUrl`). */
  readonly openIdConfigUrl: string
  /** The audience of its notification tokens (`notificationAuth.appId`). */
  readonly appId: string
  /** Creates a call whose notifications go to `input.callbackUrl` (`POST /_sim/calls`). */
  createCall(input: CreateCallInput): Promise<E.Either<RemoteSimulatorError, CreatedCall>>
  /** Hangs a call up: the bot gets the terminated notification (`DELETE /_sim/calls/{id}`). */
  hangUp(callId: string): Promise<E.Either<RemoteSimulatorError, void>>
  /** Rings the bot with an incoming call (`POST /_sim/incoming`). */
  ring(input: RingInput): Promise<E.Either<RemoteSimulatorError, CreatedCall>>
  /** The caller presses keys; the bot gets them after subscribeToTone (`POST /_sim/calls/{id}/tones`). */
  pressKeys(callId: string, tones: readonly Tone[]): Promise<E.Either<RemoteSimulatorError, void>>
}

/** Options of {@link connectSimulator}. */
export interface ConnectSimulatorOptions {
  /** The app id the simulator was started with (`--app-id`). Default {@link SIMULATOR_APP_ID}. */
  readonly appId?: string
}

const refusal = (status: number, body: unknown): RemoteSimulatorError => {
  const error = decode(GraphErrorBody, body)
  if (E.isLeft(error)) return { _tag: 'Unreachable', message: `the simulator answered ${status} without an error body` }
  const { code, message } = error.right.error
  if (code === 'InvalidRequest') return invalidRequest(message)
  if (code === 'NotFound') return notFound(message)
  if (code === 'Conflict') return conflict(message)
  return { _tag: 'Unreachable', message: `the simulator answered ${status}: ${code}: ${message}` }
}

/**
 * Connects to a simulator started elsewhere, for example with `npx callops simulate --port 4000`.
 * Nothing is sent until a method is called; no method rejects.
 *
 * @example
 * ```ts
 * const sim = connectSimulator('http://127.0.0.1:4000')
 * const call = await sim.createCall({ callbackUrl: 'http://127.0.0.1:3978/api/calls', participants: [{}, {}] })
 * if (E.isRight(call)) console.log(call.right.callId)
 * ```
 */
export const connectSimulator = (url: string, options: ConnectSimulatorOptions = {}): RemoteSimulator => {
  const base = url.replace(/\/+$/, '')

  const send = async (method: string, path: string, body?: unknown): Promise<E.Either<RemoteSimulatorError, unknown>> => {
    let res: Response
    let json: unknown
    try {
      res = await fetch(`${base}${path}`, {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      })
      json = await res.json()
    } catch (e) {
      return E.left({ _tag: 'Unreachable', message: `${method} ${base}${path}: ${e instanceof Error ? e.message : String(e)}` })
    }
    return res.ok ? E.right(json) : E.left(refusal(res.status, json))
  }

  return {
    url: base,
    graphUrl: `${base}/v1.0`,
    openIdConfigUrl: `${base}/_sim/openid/.well-known/openid-configuration`,
    appId: options.appId ?? SIMULATOR_APP_ID,
    createCall: async (input) => E.chainW((json: unknown) => decode(CreatedCall, json))(await send('POST', '/_sim/calls', input)),
    hangUp: async (callId) => E.map(() => undefined)(await send('DELETE', `/_sim/calls/${encodeURIComponent(callId)}`)),
    ring: async (input) => E.chainW((json: unknown) => decode(CreatedCall, json))(await send('POST', '/_sim/incoming', input)),
    pressKeys: async (callId, tones) => E.map(() => undefined)(await send('POST', `/_sim/calls/${encodeURIComponent(callId)}/tones`, { tones })),
  }
}
