import type http from 'node:http'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { canonicalId } from '../../src/domain/canonicalId.js'
import { parseResourceUrl } from '../../src/notifications/parseResourceUrl.js'

const Notifications = t.type({ value: t.array(t.partial({ changeType: t.string, resourceUrl: t.string, resource: t.string, resourceData: t.unknown })) })
const WithTone = t.type({ toneInfo: t.type({ sequenceId: t.number, tone: t.string }) })
const Participant = t.partial({ id: t.union([t.string, t.null]), info: t.partial({ identity: t.partial({ application: t.unknown }) }) })

type Webhook = (req: http.IncomingMessage & { body?: unknown }, res: http.ServerResponse) => void

/**
 * A roster notification that reached the bot: the participants a `deleted` one says have left, or
 * those a whole roster lists (one that lists the bot, an application participant, as Graph's v1.0
 * rosters do; a participant it leaves out has left).
 */
export type RosterArrival = { readonly kind: 'left' | 'listed'; readonly participantIds: readonly string[] }

/** What the tap reports, by canonical call id. */
export interface ArrivalListeners {
  readonly tone: (callId: string, sequenceId: number) => void
  readonly roster: (callId: string, arrival: RosterArrival) => void
}

const rosterArrival = (changeType: string | undefined, url: ReturnType<typeof parseResourceUrl>, data: unknown): RosterArrival | undefined => {
  const entries = (Array.isArray(data) ? data : [data]).flatMap((d) => (Participant.is(d) ? [d] : []))
  const ids = entries.flatMap((p) => (typeof p.id === 'string' ? [canonicalId(p.id)] : []))
  if (changeType === 'deleted') return { kind: 'left', participantIds: url?.kind === 'participant' ? [canonicalId(url.participantId), ...ids] : ids }
  const whole = entries.some((p) => p.info?.identity?.application !== undefined) && entries.every((p) => typeof p.id === 'string')
  return url?.kind === 'participants' && whole ? { kind: 'listed', participantIds: ids } : undefined
}

/**
 * The orchestrator's webhook with a tap: each tone notification and each roster notification that
 * reaches the bot is reported before the orchestrator handles it, so the run knows which tones and
 * which leaves a dropped notification took, and which ones callops heard. The body is read here
 * and handed on parsed, as Express's `req.body` would be; anything that does not parse goes on as
 * text, for callops to refuse.
 */
export const teeArrivals =
  (webhook: Webhook, on: ArrivalListeners): Webhook =>
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
          if (ref === undefined) continue
          if (WithTone.is(n.resourceData)) on.tone(canonicalId(ref.callId), n.resourceData.toneInfo.sequenceId)
          if (ref.kind === 'participants' || ref.kind === 'participant') {
            const arrival = rosterArrival(n.changeType, ref, n.resourceData)
            if (arrival !== undefined) on.roster(canonicalId(ref.callId), arrival)
          }
        }
      }
      req.body = body
      webhook(req, res)
    })
  }
