import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { request } from 'undici'
import { statusOf, type Settle } from '../baselineWebhook.js'
import { benchPrompt, serviceHosted, type WholeCallBot } from './WholeCallBot.js'

const headers = { authorization: 'Bearer bench-token', 'content-type': 'application/json' }
const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null
const callPath = /^\/communications\/calls\/([^/]+)$/

/**
 * Item 5's baseline: the least code that does a whole call correctly with `undici.request`. A Map
 * of operations waiting by clientContext and one of calls waiting for a state by call id, both
 * filled before the request leaves; a bare node:http webhook settles them. No retries, timeouts,
 * decoding, roster or hold rule: that is the work callops adds.
 */
export const undiciWholeCallBot = (graphUrl: string): WholeCallBot => {
  const operations = new Map<string, Settle>()
  const calls = new Map<string, { readonly state: string; readonly settle: () => void }>()
  const base = `${graphUrl}/communications/calls/`

  const onBody = (text: string): void => {
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return
    }
    const value = isRecord(body) && Array.isArray(body['value']) ? (body['value'] as unknown[]) : []
    for (const n of value) {
      if (!isRecord(n) || typeof n['resourceUrl'] !== 'string') continue
      const data = n['resourceData']
      if (n['resourceUrl'].includes('/operations/')) {
        const status = statusOf(data)
        if (!isRecord(data) || typeof data['clientContext'] !== 'string' || (status !== 'completed' && status !== 'failed')) continue
        const settle = operations.get(data['clientContext'])
        operations.delete(data['clientContext'])
        settle?.(status === 'completed')
        continue
      }
      const id = callPath.exec(n['resourceUrl'])?.[1]
      const waiting = id === undefined ? undefined : calls.get(id)
      if (id === undefined || waiting === undefined) continue
      const state = n['changeType'] === 'deleted' ? 'terminated' : isRecord(data) && typeof data['state'] === 'string' ? data['state'] : ''
      if (state !== waiting.state) continue
      calls.delete(id)
      waiting.settle()
    }
  }

  const webhook = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      res.writeHead(202).end()
      onBody(Buffer.concat(chunks).toString('utf8'))
    })
  }

  const waitFor = (callId: string, state: string): Promise<void> => new Promise((settle) => calls.set(callId, { state, settle }))

  /** A request that ends when the call reaches `state`: answer (established) and DELETE (terminated). */
  const untilState = async (callId: string, state: string, send: () => Promise<number>): Promise<number> => {
    const reached = waitFor(callId, state)
    try {
      const status = await send()
      if (status < 200 || status >= 300) {
        calls.delete(callId)
        return 1
      }
      await reached
      return 0
    } catch {
      calls.delete(callId)
      return 1
    }
  }

  const operate = async (path: string, fields: Record<string, unknown> = {}): Promise<number> => {
    const clientContext = randomUUID()
    const outcome = new Promise<boolean>((resolve) => operations.set(clientContext, resolve))
    try {
      const res = await request(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify({ ...fields, clientContext }) })
      const answer: unknown = await res.body.json()
      const status = statusOf(answer)
      const ok = res.statusCode >= 200 && res.statusCode < 300
      if (!ok || status === 'completed' || status === 'failed') {
        operations.delete(clientContext)
        return ok && status === 'completed' ? 0 : 1
      }
      return (await outcome) ? 0 : 1
    } catch {
      operations.delete(clientContext)
      return 1
    }
  }

  return {
    webhook,
    ringing: (callId) => waitFor(callId, 'incoming'),
    wholeCall: async (callId, participantId, callbackUrl) =>
      (await untilState(callId, 'established', async () => {
        const body = JSON.stringify({ acceptedModalities: ['audio'], mediaConfig: serviceHosted, callbackUri: callbackUrl })
        const res = await request(`${base}${callId}/answer`, { method: 'POST', headers, body })
        await res.body.dump()
        return res.statusCode
      })) +
      (await operate(`${callId}/playPrompt`, { prompts: [benchPrompt] })) +
      (await operate(`${callId}/participants/${participantId}/startHoldMusic`)) +
      (await operate(`${callId}/participants/${participantId}/stopHoldMusic`)) +
      (await untilState(callId, 'terminated', async () => {
        const res = await request(`${base}${callId}`, { method: 'DELETE', headers })
        await res.body.dump()
        return res.statusCode
      })),
    pending: () => operations.size + calls.size,
    close: async () => {},
  }
}
