import * as E from 'fp-ts/lib/Either.js'
import { decode, type DecodeError } from '../codecs/decode.js'
import { CallResource } from '../codecs/CallResource.js'
import type { CommsNotification } from '../codecs/CommsNotification.js'
import { AnyOperation } from '../codecs/CommsOperation.js'
import { Participant } from '../codecs/Participant.js'
import type { OperationReport } from '../domain/Operation.js'
import { canonicalId, validateClientContext } from '../graph/pathId.js'
import type { CallEvent, RosterEntry } from '../../machines/callTypes.js'
import { parseResourceUrl } from './parseResourceUrl.js'

/** One event for one call, taken from a notification. */
export interface RoutedEvent {
  /** The call's canonical id. */
  readonly callId: string
  readonly event: CallEvent
}


const at = (prefix: string, e: DecodeError): DecodeError => ({
  _tag: 'Decode',
  path: e.path === '' ? prefix : `${prefix}.${e.path}`,
  message: `${prefix}${e.path === '' ? '' : '.'}${e.message}`,
})

const items = (data: CommsNotification['resourceData']): readonly unknown[] =>
  data === undefined || data === null ? [] : Array.isArray(data) ? data : [data]

/** Turns a decoded operation into the report the machines read: ids canonical, nulls and foreign clientContexts dropped. */
export const toOperationReport = (op: AnyOperation, operationIdFromUrl?: string): OperationReport => {
  const id = op.id === undefined || op.id === null ? (op.id === null ? null : operationIdFromUrl) : canonicalId(op.id)
  return {
    ...(id === undefined ? {} : { id }),
    ...(op.status === undefined ? {} : { status: op.status }),
    // A clientContext callops would refuse to send (too long, control characters, `constructor`...)
    // is not one of ours: dropped, so it cannot reach a lookup keyed by clientContext.
    ...(op.clientContext === undefined || op.clientContext === null || E.isLeft(validateClientContext(op.clientContext))
      ? {}
      : { clientContext: op.clientContext }),
    ...(op.resultInfo === undefined || op.resultInfo === null ? {} : { resultInfo: op.resultInfo }),
    ...(op.completionReason === undefined || op.completionReason === null ? {} : { completionReason: op.completionReason }),
    ...(op.recordingLocation === undefined || op.recordingLocation === null ? {} : { recordingLocation: op.recordingLocation }),
  }
}

const toRosterEntry = (p: Participant): RosterEntry => {
  const name = p.info?.identity?.user?.displayName ?? p.info?.identity?.application?.displayName ?? p.info?.identity?.phone?.displayName
  return {
    id: canonicalId(p.id),
    ...(typeof name === 'string' ? { displayName: name } : {}),
    ...(p.isMuted === undefined ? {} : { isMuted: p.isMuted }),
    ...(p.isInLobby === undefined ? {} : { isInLobby: p.isInLobby }),
  }
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
  const prefix = `value.${index}.resourceData`
  const out: RoutedEvent[] = []
  switch (ref.kind) {
    case 'operation': {
      for (let i = 0; i < data.length; i++) {
        const op = decode(AnyOperation, data[i])
        if (E.isLeft(op)) return E.left(at(Array.isArray(n.resourceData) ? `${prefix}.${i}` : prefix, op.left))
        out.push({ callId, event: { type: 'notification.operation', report: toOperationReport(op.right, ref.operationId) } })
      }
      return E.right(out)
    }
    case 'participants':
    case 'participant': {
      const entries: RosterEntry[] = []
      for (let i = 0; i < data.length; i++) {
        const p = decode(Participant, data[i])
        if (E.isLeft(p)) return E.left(at(Array.isArray(n.resourceData) ? `${prefix}.${i}` : prefix, p.left))
        entries.push(toRosterEntry(p.right))
      }
      if (ref.kind === 'participant' && entries.length === 0 && n.changeType === 'deleted') {
        return E.right([{ callId, event: { type: 'roster.removed', participantIds: [ref.participantId] } }])
      }
      if (entries.length === 0) return E.right([])
      const event: CallEvent =
        n.changeType === 'deleted'
          ? { type: 'roster.removed', participantIds: entries.map((e) => e.id) }
          : { type: 'roster.updated', participants: entries }
      return E.right([{ callId, event }])
    }
    case 'call': {
      const first = data[0]
      const call = first === undefined ? E.right<DecodeError, CallResource>({}) : decode(CallResource, first)
      if (E.isLeft(call)) return E.left(at(prefix, call.left))
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
