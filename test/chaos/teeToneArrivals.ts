import type http from 'node:http'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { canonicalId } from '../../src/domain/canonicalId.js'
import { parseResourceUrl } from '../../src/notifications/parseResourceUrl.js'

const Notifications = t.type({ value: t.array(t.partial({ resourceUrl: t.string, resource: t.string, resourceData: t.unknown })) })
const WithTone = t.type({ toneInfo: t.type({ sequenceId: t.number, tone: t.string }) })

type Webhook = (req: http.IncomingMessage & { body?: unknown }, res: http.ServerResponse) => void

/**
 * The orchestrator's webhook with a tap: each tone notification that reaches the bot is reported
 * (call id, sequenceId) before the orchestrator handles it, so the run knows which tones a dropped
 * notification took and which ones callops heard. The body is read here and handed on parsed, as
 * Express's `req.body` would be; anything that does not parse goes on as text, for callops to refuse.
 */
export const teeToneArrivals =
  (webhook: Webhook, onTone: (callId: string, sequenceId: number) => void): Webhook =>
  (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {
        // handed on as it came
      }
      const decoded = Notifications.decode(body)
      if (E.isRight(decoded)) {
        for (const n of decoded.right.value) {
          const ref = parseResourceUrl(n.resourceUrl ?? n.resource ?? '')
          if (ref !== undefined && WithTone.is(n.resourceData)) onTone(canonicalId(ref.callId), n.resourceData.toneInfo.sequenceId)
        }
      }
      req.body = body
      webhook(req, res)
    })
  }
