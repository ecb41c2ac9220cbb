import * as E from 'fp-ts/lib/Either.js'
import { decodeShaped, type DecodeError } from '../codecs/decode.js'
import { CallResource } from '../codecs/CallResource.js'
import type { CommsNotification } from '../codecs/CommsNotification.js'
import { AnyOperation } from '../codecs/CommsOperation.js'
import { toOperationReport } from '../codecs/toOperationReport.js'
import { Participant } from '../codecs/Participant.js'
import type { CallNotice, RosterEntry } from '../domain/CallNotice.js'
import { canonicalId } from '../domain/canonicalId.js'
import { parseResourceUrl } from './parseResourceUrl.js'
import type { Mutable } from '../domain/Mutable.js'

/** One event for one call, taken from a notification. */
export interface RoutedEvent {
  /** The call's canonical id. */
  readonly callId: string
  readonly event: CallNotice
}


const at = (prefix: string, e: DecodeError): DecodeError => ({
  _tag: 'Decode',
  path: e.path === '' ? prefix : `${prefix}.${e.path}`,
  message: `${prefix}${e.path === '' ? '' : '.'}${e.message}`,
})

/** Where item `i` of a notification's resourceData is, for a refusal (built only then). */
const dataPath = (n: CommsNotification, index: number, i: number): string =>
  Array.isArray(n.resourceData) ? `value.${index}.resourceData.${i}` : `value.${index}.resourceData`

const items = (data: CommsNotification['resourceData']): readonly unknown[] =>
  data === undefined || data === null ? [] : Array.isArray(data) ? data : [data]

const toRosterEntry = (p: Participant): RosterEntry => {
  const identity = p.info?.identity
  const name = identity?.user?.displayName ?? identity?.application?.displayName ?? identity?.phone?.displayName
  const entry: Mutable<RosterEntry> = { id: canonicalId(p.id) }
  if (typeof name === 'string') entry.displayName = name
  if (p.isMuted !== undefined) entry.isMuted = p.isMuted
  if (p.isInLobby !== undefined) entry.isInLobby = p.isInLobby
  return entry
}

/**
 * Turns one decoded notification into call events, decoding its resourceData by what the
 * resourceUrl names. A resourceData that does not match is a {@link DecodeError} with its path
 * (`value.<i>.resourceData…`); a URL naming no call or an unknown resource yields no event.
 */
export const toCallEvents = (n: CommsNotification, index: number): E.Either<DecodeError, readonly RoutedEvent[]> => {
  const ref = parseResourceUrl(n.resourceUrl)
  if (ref === undefined || ref.kind === 'other') return E.right([])
  const { callId } = ref
  const data = items(n.resourceData)
  const out: RoutedEvent[] = []
  switch (ref.kind) {
    case 'operation': {
      for (let i = 0; i < data.length; i++) {
        const op = decodeShaped(AnyOperation, data[i])
        if (E.isLeft(op)) return E.left(at(dataPath(n, index, i), op.left))
        out.push({ callId, event: { type: 'notification.operation', report: toOperationReport(op.right, ref.operationId) } })
      }
      return E.right(out)
    }
    case 'participants':
    case 'participant': {
      const entries: RosterEntry[] = []
      for (let i = 0; i < data.length; i++) {
        const p = decodeShaped(Participant, data[i])
        if (E.isLeft(p)) return E.left(at(dataPath(n, index, i), p.left))
        entries.push(toRosterEntry(p.right))
      }
      if (ref.kind === 'participant' && entries.length === 0 && n.changeType === 'deleted') {
        return E.right([{ callId, event: { type: 'roster.removed', participantIds: [ref.participantId] } }])
      }
      if (entries.length === 0) return E.right([])
      const event: CallNotice =
        n.changeType === 'deleted'
          ? { type: 'roster.removed', participantIds: entries.map((e) => e.id) }
          : { type: 'roster.updated', participants: entries }
      return E.right([{ callId, event }])
    }
    case 'call': {
      const first = data[0]
      const call = first === undefined ? E.right<DecodeError, CallResource>({}) : decodeShaped(CallResource, first)
      if (E.isLeft(call)) return E.left(at(`value.${index}.resourceData`, call.left))
      const state = call.right.state?.toLowerCase()
      if (n.changeType === 'deleted' || state === 'terminated') return E.right([{ callId, event: { type: 'call.terminated' } }])
      const group = (call.right.meetingInfo ?? call.right.chatInfo) != null
      return E.right([
        {
          callId,
          event: { type: 'call.updated', ...(state === undefined ? {} : { state }), ...(group ? { kind: 'group' as const } : {}) },
        },
      ])
    }
  }
}
