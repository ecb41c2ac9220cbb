import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { InvitationParticipantInfo } from '../codecs/CommsOperation.js'
import { actionCatalog, actionNames } from '../graph/actionCatalog.js'
import type { ActionName, ActionScope } from '../graph/actionCatalog.js'
import type { OperationType } from '../codecs/CommsOperation.js'

/** The parts of a decoded action body the simulator acts on. */
export interface BodyEssentials {
  readonly clientContext?: string
  readonly participants?: readonly InvitationParticipantInfo[]
}

/** One action the simulator serves, built from its catalog entry. */
export interface GraphRoute {
  readonly action: ActionName
  readonly scope: ActionScope
  readonly operationType: OperationType
  readonly documentedAnswer: { readonly status: number; readonly final: boolean }
  /** The catalog's body codec, seen through the fields the simulator reads. */
  readonly body: t.Type<BodyEssentials, unknown, unknown>
}

/** What a request path names. */
export type GraphPathMatch =
  | { readonly kind: 'action'; readonly route: GraphRoute; readonly callId: string; readonly participantId?: string }
  | { readonly kind: 'keepAlive'; readonly callId: string }
  | { readonly kind: 'unknown'; readonly segment: string }

// Every body codec of the catalog decodes to a record with an optional clientContext (and invite's
// participants); this view lets one route table hold them all without casting.
const essentials = (codec: t.Decoder<unknown, BodyEssentials>): t.Type<BodyEssentials, unknown, unknown> =>
  new t.Type<BodyEssentials, unknown, unknown>(
    codec.name,
    (u): u is BodyEssentials => E.isRight(codec.decode(u)),
    (u, c) => codec.validate(u, c),
    (a) => a,
  )

/** The Graph path prefix the simulator serves (its base URL is `<url>/v1.0`). */
export const graphCallsPrefix = '/v1.0/communications/calls/'

/**
 * Builds the route table from the action catalog, so every catalog entry is served.
 *
 * @example
 * ```ts
 * const match = createGraphRouter()('/v1.0/communications/calls/c1/participants/p1/startHoldMusic')
 * ```
 */
export const createGraphRouter = (): ((path: string) => GraphPathMatch) => {
  const byScope: Record<ActionScope, Map<string, GraphRoute>> = { call: new Map(), participant: new Map() }
  for (const action of actionNames) {
    const spec = actionCatalog[action]
    byScope[spec.scope].set(spec.segment, {
      action,
      scope: spec.scope,
      operationType: spec.operationType,
      documentedAnswer: spec.documentedAnswer,
      body: essentials(spec.body),
    })
  }
  return (path) => {
    const q = path.indexOf('?')
    const clean = q < 0 ? path : path.slice(0, q)
    if (!clean.startsWith(graphCallsPrefix)) return { kind: 'unknown', segment: clean }
    let parts: string[]
    try {
      parts = clean.slice(graphCallsPrefix.length).split('/').map(decodeURIComponent)
    } catch {
      return { kind: 'unknown', segment: clean }
    }
    const [callId, ...rest] = parts
    if (callId === undefined || callId === '' || rest.length === 0) return { kind: 'unknown', segment: clean }
    const tail = rest.join('/')
    if (tail === 'keepAlive') return { kind: 'keepAlive', callId }
    const callRoute = byScope.call.get(tail)
    if (callRoute !== undefined) return { kind: 'action', route: callRoute, callId }
    const [participants, participantId, ...segment] = rest
    if (participants === 'participants' && participantId !== undefined && participantId !== '' && segment.length > 0) {
      const route = byScope.participant.get(segment.join('/'))
      if (route !== undefined) return { kind: 'action', route, callId, participantId }
    }
    return { kind: 'unknown', segment: tail }
  }
}
