import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { decodeShaped, prefixed as at, type DecodeError } from '../codecs/decode.js'
import { CallResource } from '../codecs/CallResource.js'
import type { CommsNotification } from '../codecs/CommsNotification.js'
import { AnyOperation } from '../codecs/CommsOperation.js'
import { toOperationReport } from '../codecs/toOperationReport.js'
import { Participant } from '../codecs/Participant.js'
import { toCallStateDetail, toToneReceived } from '../codecs/toCallStateDetail.js'
import { toIncomingCall } from '../codecs/toIncomingCall.js'
import { toRosterEntry } from '../codecs/toRosterEntry.js'
import type { CallNotice, RosterEntry } from '../domain/CallNotice.js'
import type { Mutable } from '../domain/Mutable.js'
import { parseResourceUrl } from './parseResourceUrl.js'

/** One event for one call, taken from a notification. */
export interface RoutedEvent {
  /** The call's canonical id. */
  readonly callId: string
  readonly event: CallNotice
}

/** Where item `i` of a notification's resourceData is, for a refusal (built only then). */
const dataPath = (n: CommsNotification, index: number, i: number): string =>
  Array.isArray(n.resourceData) ? `value.${index}.resourceData.${i}` : `value.${index}.resourceData`

const items = (data: CommsNotification['resourceData']): readonly unknown[] =>
  data === undefined || data === null ? [] : Array.isArray(data) ? data : [data]

// The invite pages print the roster of invited participants on `…/operations/participants`.
const ParticipantData = t.type({ '@odata.type': t.keyof({ '#microsoft.graph.participant': null, 'microsoft.graph.participant': null }) })

// A roster that lists the bot (an application participant) is the whole list, as the documented v1.0
// rosters are; one that does not (a mute page's single participant, an invite's progress) is only
// changes. A participant with a null id (an invite still under way) makes it partial too: a known
// participant missing from it may be that one.
const isFullRoster = (entries: readonly RosterEntry[]): boolean => entries.some((e) => e.identity?.some((i) => i.kind === 'application') === true)

const rosterEvents = (n: CommsNotification, index: number, callId: string, data: readonly unknown[], leftId?: string): E.Either<DecodeError, readonly RoutedEvent[]> => {
  const entries: RosterEntry[] = []
  let everyId = true
  for (let i = 0; i < data.length; i++) {
    const p = decodeShaped(Participant, data[i])
    if (E.isLeft(p)) return E.left(at(dataPath(n, index, i), p.left))
    const entry = toRosterEntry(p.right)
    if (entry !== undefined) entries.push(entry)
    else everyId = false
  }
  if (leftId !== undefined && entries.length === 0 && n.changeType === 'deleted') {
    return E.right([{ callId, event: { type: 'roster.removed', participantIds: [leftId] } }])
  }
  if (entries.length === 0) return E.right([])
  const event: CallNotice =
    n.changeType === 'deleted'
      ? { type: 'roster.removed', participantIds: entries.map((e) => e.id) }
      : { type: 'roster.updated', participants: entries, ...(everyId && isFullRoster(entries) ? { full: true as const } : {}) }
  return E.right([{ callId, event }])
}

const callEvent = (n: CommsNotification, callId: string, call: CallResource, receivedAt: number): CallNotice => {
  const state = call.state?.toLowerCase()
  if (n.changeType === 'created' && state === 'incoming') return { type: 'call.incoming', incoming: toIncomingCall(callId, call, receivedAt) }
  const detail = toCallStateDetail(call)
  if (n.changeType === 'deleted' || state === 'terminated') return detail === undefined ? { type: 'call.terminated' } : { type: 'call.terminated', detail }
  const event: Mutable<Extract<CallNotice, { type: 'call.updated' }>> = { type: 'call.updated' }
  if (state !== undefined) event.state = state
  if ((call.meetingInfo ?? call.chatInfo) != null) event.kind = 'group'
  if (detail !== undefined) event.detail = detail
  const tone = toToneReceived(call)
  if (tone !== undefined) event.tone = tone
  return event
}

/**
 * Turns one decoded notification into call events, decoding its resourceData by what the
 * resourceUrl names. A resourceData that does not match is a {@link DecodeError} with its path
 * (`value.<i>.resourceData…`); a URL naming no call or an unknown resource yields no event.
 * `receivedAt` (epoch ms, the orchestrator clock's) is when the webhook got the notification: an
 * incoming call's answer deadline runs from it.
 *
 * @example
 * ```ts
 * const r = toCallEvents(notification, 0, clock.now())
 * if (E.isRight(r)) for (const { callId, event } of r.right) console.log(callId, event.type) // e.g. 'call.incoming'
 * ```
 */
export const toCallEvents = (n: CommsNotification, index: number, receivedAt: number): E.Either<DecodeError, readonly RoutedEvent[]> => {
  const ref = parseResourceUrl(n.resourceUrl)
  if (ref === undefined || ref.kind === 'other') return E.right([])
  const { callId } = ref
  const data = items(n.resourceData)
  switch (ref.kind) {
    case 'operation': {
      if (data.length > 0 && data.every((d) => ParticipantData.is(d))) return rosterEvents(n, index, callId, data)
      const out: RoutedEvent[] = []
      for (let i = 0; i < data.length; i++) {
        const op = decodeShaped(AnyOperation, data[i])
        if (E.isLeft(op)) return E.left(at(dataPath(n, index, i), op.left))
        out.push({ callId, event: { type: 'notification.operation', report: toOperationReport(op.right, ref.operationId) } })
      }
      return E.right(out)
    }
    case 'participants':
      return rosterEvents(n, index, callId, data)
    case 'participant':
      return rosterEvents(n, index, callId, data, ref.participantId)
    case 'call': {
      const first = data[0]
      const call = first === undefined ? E.right<DecodeError, CallResource>({}) : decodeShaped(CallResource, first)
      if (E.isLeft(call)) return E.left(at(`value.${index}.resourceData`, call.left))
      return E.right([{ callId, event: callEvent(n, callId, call.right, receivedAt) }])
    }
  }
}
