import { randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request the stand-in received. */
export interface SeenRequest {
  readonly method: string
  readonly path: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: Record<string, unknown>
  /** `startHoldMusic`, `unmute`, ... (the last path segment). */
  readonly action: string
  readonly callId: string
  readonly participantId?: string
}

/** The answer to give. */
export interface StandInAnswer {
  readonly status: number
  readonly body?: unknown
  readonly headers?: Record<string, string>
}

export type Responder = (req: SeenRequest) => StandInAnswer | Promise<StandInAnswer>

const finalActions = new Set(['unmute', 'mute', 'subscribeToTone', 'cancelMediaProcessing', 'updateRecordingStatus'])

/** Graph's documented answer: 202/200 running for most actions, 200 completed for unmute and friends. */
export const documentedAnswer = (req: SeenRequest): StandInAnswer => {
  const id = randomUUID()
  const final = finalActions.has(req.action)
  return {
    status: req.action === 'startHoldMusic' || req.action === 'stopHoldMusic' ? 202 : 200,
    headers: { location: `https://graph.example/v1.0/communications/calls/${req.callId}/operations/${id}` },
    body: {
      '@odata.type': `#microsoft.graph.${req.action}Operation`,
      id,
      status: final ? 'completed' : 'running',
      clientContext: req.body['clientContext'],
    },
  }
}

/** A stand-in for Graph on 127.0.0.1: records every request and answers with `respond`. */
export interface GraphStandIn {
  /** Base URL to give `createGraphClient` (ends in `/v1.0`). */
  readonly baseUrl: string
  readonly requests: SeenRequest[]
  respond: Responder
  close(): Promise<void>
}

export const startGraphStandIn = async (respond: Responder = documentedAnswer): Promise<GraphStandIn> => {
  const requests: SeenRequest[] = []
  const state = { respond }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>)
      const path = (req.url ?? '').replace(/^\/v1\.0/, '')
      const parts = path.split('/').filter((p) => p !== '')
      const seen: SeenRequest = {
        method: req.method ?? '',
        path,
        headers: req.headers,
        body,
        action: parts[parts.length - 1] ?? '',
        callId: decodeURIComponent(parts[2] ?? ''),
        ...(parts[3] === 'participants' && parts.length === 6 ? { participantId: decodeURIComponent(parts[4] ?? '') } : {}),
      }
      requests.push(seen)
      void Promise.resolve(state.respond(seen)).then((a) => {
        res.writeHead(a.status, { 'content-type': 'application/json', ...(a.headers ?? {}) })
        res.end(a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body))
      })
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v1.0`,
    requests,
    get respond() {
      return state.respond
    },
    set respond(r: Responder) {
      state.respond = r
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
