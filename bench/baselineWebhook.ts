import type { IncomingMessage, ServerResponse } from 'node:http'

/** Settles one waiting operation: `true` when it completed. */
export type Settle = (ok: boolean) => void

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null

/** An operation's status in lower case, or `''`: the baselines read answers and notifications with it. */
export const statusOf = (u: unknown): string => (isRecord(u) && typeof u['status'] === 'string' ? u['status'].toLowerCase() : '')

/**
 * What the hand-written baselines do with one notification POST body: parse it, and settle the
 * waiting operation of each final operation notification by its clientContext. Nothing else (no
 * authentication, decoding, id normalisation or roster): that is the work callops adds. Item 1's
 * baseline bots run it behind a bare node:http webhook, item 2 runs it in-process as its baseline.
 */
export const settleFromBody = (text: string, pending: Map<string, Settle>): void => {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return
  }
  const value = isRecord(body) && Array.isArray(body['value']) ? (body['value'] as unknown[]) : []
  for (const n of value) {
    if (!isRecord(n) || typeof n['resourceUrl'] !== 'string' || !n['resourceUrl'].includes('/operations/')) continue
    const data = n['resourceData']
    const status = statusOf(data)
    if (!isRecord(data) || typeof data['clientContext'] !== 'string' || (status !== 'completed' && status !== 'failed')) continue
    const settle = pending.get(data['clientContext'])
    if (settle === undefined) continue
    pending.delete(data['clientContext'])
    settle(status === 'completed')
  }
}

/** The baselines' bare node:http webhook: answers 202 at once, then {@link settleFromBody}. */
export const baselineWebhook =
  (pending: Map<string, Settle>) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      res.writeHead(202).end()
      settleFromBody(Buffer.concat(chunks).toString('utf8'), pending)
    })
  }
