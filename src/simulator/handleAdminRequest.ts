import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as E from 'fp-ts/lib/Either.js'
import type { NotificationSigner } from './createNotificationSigner.js'
import type { RequestLog } from './createRequestLog.js'
import type { StatsCounters } from './createSimulatorStats.js'
import type { CallLifecycle } from './createCallLifecycle.js'
import type { SimulatorCore } from './createSimulatorCore.js'
import type { TonePad } from './createTonePad.js'
import { graphErrorBody } from './graphErrorBody.js'
import { readJsonBody } from './readJsonBody.js'
import type { SimulatorError } from './SimulatorError.js'

/** What the admin API needs. */
export interface AdminContext {
  readonly core: SimulatorCore
  readonly lifecycle: CallLifecycle
  readonly tonePad: TonePad
  readonly stats: StatsCounters
  readonly log: RequestLog
  readonly signer: NotificationSigner
  readonly issuer: string
  readonly baseUrl: () => string
}

/** The path prefix of the admin API. */
export const adminPrefix = '/_sim/'

const statusOf: Record<SimulatorError['_tag'], number> = { InvalidRequest: 400, NotFound: 404, Conflict: 409 }

// A 0.1-second silent 8 kHz mono WAV: what every recordResponse "recorded".
const silentWav = (() => {
  const samples = 800
  const b = Buffer.alloc(44 + samples * 2)
  b.write('RIFF', 0)
  b.writeUInt32LE(36 + samples * 2, 4)
  b.write('WAVEfmt ', 8)
  b.writeUInt32LE(16, 16)
  b.writeUInt16LE(1, 20)
  b.writeUInt16LE(1, 22)
  b.writeUInt32LE(8000, 24)
  b.writeUInt32LE(16000, 28)
  b.writeUInt16LE(2, 32)
  b.writeUInt16LE(16, 34)
  b.write('data', 36)
  b.writeUInt32LE(samples * 2, 40)
  return b
})()

/**
 * Serves the admin API under `/_sim/`: calls, participants, holds, faults, stats, the request log,
 * recordings and the OpenID metadata and keys the notification tokens verify against.
 */
export const handleAdminRequest = async (req: IncomingMessage, res: ServerResponse, ctx: AdminContext): Promise<void> => {
  const send = (status: number, body: unknown): void => {
    const text = JSON.stringify(body)
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
    res.end(text)
  }
  const fail = (e: SimulatorError): void => send(statusOf[e._tag], graphErrorBody(e._tag, e.message, randomUUID(), undefined))
  const reply = <A>(r: E.Either<SimulatorError, A>, status = 200): void => (E.isLeft(r) ? fail(r.left) : send(status, r.right))

  const body = await readJsonBody(req)
  const path = (req.url ?? '/').split('?')[0] ?? '/'
  let parts: string[]
  try {
    parts = path.slice(adminPrefix.length).split('/').map(decodeURIComponent)
  } catch {
    return send(400, graphErrorBody('InvalidRequest', 'malformed path', randomUUID(), undefined))
  }
  const route = `${req.method ?? 'GET'} ${parts.map((p, i) => (i > 0 && parts[0] === 'calls' && (i === 1 || i === 3) ? '*' : p)).join('/')}`
  const [, callId = '', , participantId = ''] = parts
  const json = (): E.Either<SimulatorError, unknown> =>
    E.isLeft(body) ? E.left({ _tag: 'InvalidRequest', message: body.left.message }) : E.right(body.right)

  switch (route) {
    case 'GET openid/.well-known/openid-configuration':
      return send(200, {
        issuer: ctx.issuer,
        jwks_uri: `${ctx.baseUrl()}/_sim/openid/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_signing_alg_values_supported: ['RS256'],
      })
    case 'GET openid/keys':
      return send(200, ctx.signer.jwks)
    case 'POST calls':
      return reply(E.chain(ctx.core.createCall)(json()), 201)
    case 'POST incoming':
      return reply(E.chain(ctx.lifecycle.ring)(json()), 201)
    case 'POST calls/*/tones': {
      const input = json()
      return reply(E.isLeft(input) ? input : await ctx.tonePad.press(callId, input.right))
    }
    case 'GET calls/*':
      return reply(ctx.core.view(callId))
    case 'DELETE calls/*':
      return reply(await ctx.core.hangUp(callId))
    case 'GET calls/*/holds':
      return reply(ctx.core.holds(callId))
    case 'POST calls/*/participants': {
      const input = json()
      return reply(E.isLeft(input) ? input : await ctx.core.join(callId, input.right), 201)
    }
    case 'DELETE calls/*/participants/*':
      return reply(await ctx.core.leave(callId, participantId))
    case 'PATCH calls/*/faults':
      return reply(E.chain((f: unknown) => ctx.core.setFaults(f, callId))(json()))
    case 'PATCH faults':
      return reply(E.chain((f: unknown) => ctx.core.setFaults(f))(json()))
    case 'GET stats':
      return send(200, ctx.stats.snapshot())
    case 'GET requests':
      return send(200, ctx.log.list())
    default:
      if (req.method === 'GET' && parts[0] === 'recordings' && parts.length === 2) {
        res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': silentWav.length })
        res.end(silentWav)
        return
      }
      return send(404, graphErrorBody('NotFound', `no admin route ${req.method ?? ''} ${path}`, randomUUID(), undefined))
  }
}
