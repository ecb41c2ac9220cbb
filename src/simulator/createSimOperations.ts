import * as E from 'fp-ts/lib/Either.js'
import type { ResultInfo } from '../domain/ResultInfo.js'
import type { StatsCounters } from './createSimulatorStats.js'
import { resultInfoResource } from './graphResources.js'
import { mediaCancelledInfo, operationOutcome } from './operationOutcome.js'
import type { Outcome } from './operationOutcome.js'
import type { SimCall, SimOperation } from './SimCall.js'
import type { ResolvedFaults } from './SimulatorFaults.js'
import type { SimChangeObserver } from './SimChange.js'
import type { SimulatorCore } from './createSimulatorCore.js'
import type { NotificationSpec } from './spellNotification.js'

/** What the simulator's operations need from its core. */
export interface SimOperationDeps {
  readonly now: () => number
  readonly stats: StatsCounters
  readonly baseUrl: () => string
  readonly graphBase: () => string
  readonly observe: SimChangeObserver
  /** Posts `specs` after `delayMs`, or after a latency drawn from the call's stream. */
  readonly notify: (call: SimCall, specs: readonly NotificationSpec[], delayMs?: number) => Promise<void>
  readonly faultsOf: (call: SimCall) => ResolvedFaults
  readonly rosterSpec: (call: SimCall) => NotificationSpec
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

/**
 * The simulator's commsOperations: answers each operation request as Graph documents it (final at
 * once, or `running` then a completion notification), with the faults the call draws.
 */
export const createSimOperations = (deps: SimOperationDeps): Pick<SimulatorCore, 'perform'> => {
  const { now, stats, observe, notify, faultsOf, rosterSpec } = deps

  const operationData = (call: SimCall, op: SimOperation, outcome: Outcome): Record<string, unknown> => {
    const data: Record<string, unknown> = { '@odata.type': `#microsoft.graph.${op.operationType}` }
    if (op.idNull) data['id'] = null
    else {
      data['@odata.id'] = `communications/calls/${call.id}/operations/${op.id}`
      data['id'] = op.id
    }
    data['status'] = outcome.status
    data['clientContext'] = op.clientContext
    data['resultInfo'] = resultInfoResource(outcome.resultInfo)
    return Object.assign(data, outcome.extra)
  }

  const count = (call: SimCall, outcome: Outcome): void => {
    call.ended[outcome.status] += 1
    stats.operations[outcome.status] += 1
  }

  /** Ends a pending operation now and posts its completion (and the roster, when it changed) after `delayMs`. */
  const complete = (call: SimCall, op: SimOperation, delayMs: number, cancelled?: ResultInfo): Promise<void> => {
    if (!call.pending.delete(op.id)) return Promise.resolve()
    if (op.timer !== undefined) clearTimeout(op.timer)
    const outcome: Outcome =
      cancelled === undefined
        ? operationOutcome(call, op, { now: now(), recordingLocation, newId: () => call.rand.guid() })
        : { status: 'failed', resultInfo: cancelled, extra: { completionReason: 'operationCanceled' }, rosterChanged: false }
    count(call, outcome)
    observe({ type: 'operation.ended', call, op, outcome })
    const specs: NotificationSpec[] = [
      {
        changeType: 'deleted',
        callId: call.id,
        rest: ['operations', op.idNull ? 'participants' : op.id],
        leadingSlash: false,
        resourceData: operationData(call, op, outcome),
      },
    ]
    const sent = notify(call, specs, delayMs)
    return outcome.rosterChanged ? Promise.all([sent, notify(call, [rosterSpec(call)], delayMs)]).then(() => undefined) : sent
  }

  const recordingLocation = (opId: string): string => `${deps.baseUrl()}/_sim/recordings/${opId}.wav`

  const perform: SimulatorCore['perform'] = (call, route, participantId, body) => {
    if (route.action === 'unmute' && !call.group) {
      // Invented: Graph documents unmute as group-only but not the error it answers.
      const refusal = { status: 400, code: 'BadRequest', message: 'Unmute is only supported in group calls.' }
      observe({ type: 'operation.refused', call, action: route.action, clientContext: body.clientContext ?? null, status: refusal.status, message: refusal.message })
      return E.left(refusal)
    }
    const f = faultsOf(call)
    const r = call.rand
    const op: SimOperation = {
      id: r.guid(),
      action: route.action,
      operationType: route.operationType,
      ...(participantId === undefined ? {} : { participantId }),
      ...(body.participants === undefined ? {} : { invitees: body.participants }),
      clientContext: body.clientContext ?? null,
      startedAt: now(),
      fails: r.chance(f.failRate),
      idNull: route.action === 'inviteParticipants' && r.chance(f.inviteIdNull),
    }
    stats.operations.started += 1
    const early = r.chance(f.notifyBeforeAnswer)
    const capital = r.chance(f.idVariants)
    // With notify-before-answer the notification leaves at once; otherwise after the drawn latency.
    const delay = early ? 0 : r.between(f.notificationLatencyMs)
    const answerBody: Record<string, unknown> = {
      '@odata.type': `#microsoft.graph.${route.operationType}`,
      id: op.id,
      status: 'running',
      clientContext: op.clientContext,
    }
    if (op.invitees !== undefined) answerBody['participants'] = op.invitees
    const location = `${deps.graphBase()}/communications/calls/${call.id}/operations/${op.id}`
    const spell = (status: string): string => (capital ? capitalise(status) : status)

    if (route.documentedAnswer.final) {
      observe({ type: 'operation.requested', call, op, status: route.documentedAnswer.status })
      const outcome = operationOutcome(call, op, { now: now(), recordingLocation, newId: () => r.guid() })
      count(call, outcome)
      observe({ type: 'operation.ended', call, op, outcome })
      answerBody['status'] = spell(outcome.status)
      if (outcome.status === 'failed') answerBody['resultInfo'] = resultInfoResource(outcome.resultInfo)
      const cancelled = route.action === 'cancelMediaProcessing' && outcome.status === 'completed' ? mediaOperations(call) : []
      const effects = (): Promise<void> =>
        Promise.all([
          ...cancelled.map((o) => complete(call, o, delay, mediaCancelledInfo)),
          ...(outcome.rosterChanged ? [notify(call, [rosterSpec(call)], delay)] : []),
        ]).then(() => undefined)
      const result = { status: route.documentedAnswer.status, body: answerBody, location }
      if (cancelled.length === 0 && !outcome.rosterChanged) return E.right(result)
      return E.right(early ? { ...result, before: effects } : { ...result, after: () => void effects() })
    }

    answerBody['status'] = spell('running')
    call.pending.set(op.id, op)
    observe({ type: 'operation.requested', call, op, status: route.documentedAnswer.status })
    const result = { status: route.documentedAnswer.status, body: answerBody, location }
    if (early) return E.right({ ...result, before: () => complete(call, op, 0) })
    return E.right({
      ...result,
      after: () => {
        // The completion is decided when the latency has passed, so the hold rule sees the call as it is then.
        if (delay === 0) void complete(call, op, 0)
        else op.timer = setTimeout(() => void complete(call, op, 0), delay)
      },
    })
  }

  const mediaOperations = (call: SimCall): SimOperation[] =>
    [...call.pending.values()].filter((o) => o.action === 'playPrompt' || o.action === 'recordResponse')

  return { perform }
}
