import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createActor } from 'xstate'
import { callMachine } from '../../machines/call.machine.js'
import { CALL_SNAPSHOT_VERSION, decodeCallSnapshot, versionedCallSnapshot } from '../../src/codecs/StoredCallSnapshot.js'
import { migrateCallSnapshot } from '../../src/codecs/migrateCallSnapshot.js'
import { createCallOrchestrator } from '../../src/index.js'
import { knownStates } from '../../src/runtime/knownStates.js'
import { createMemoryStore } from '../../src/stores/createMemoryStore.js'
import type { GraphClient } from '../../src/graph/createGraphClient.js'
import fixtureV1 from '../fixtures/snapshots/stored-call-v1.json' with { type: 'json' }
import fixtureV2 from '../fixtures/snapshots/stored-call-v2.json' with { type: 'json' }
import fixtureV3 from '../fixtures/snapshots/stored-call-v3.json' with { type: 'json' }

// test/fixtures/snapshots/stored-call-v1.json is a call as callops stored it before snapshots carried a
// schema version (made with the machines of commit 3cf2385): Alice held, Bob queued, a prompt
// running, an unmute answered by a notification before its HTTP answer, a recording timed out.
// stored-call-v2.json is a call as callops stored it with schema version 2 (made with the machines of
// commit aecb0e8, before the call's lifecycle): Alice held, Bob queued, a prompt running, a recording
// timed out. stored-call-v3.json is a call as callops stored it with schema version 3, each operation
// a child actor (made with the machines of commit 49b3c00, by a script like the v3 test's steps): Alice
// held, Bob queued, a prompt running, an unmute answered by a notification before its HTTP answer, a
// recording timed out.

const deepFreeze = <T>(v: T): T => {
  if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x)
    Object.freeze(v)
  }
  return v
}

const noGraph: GraphClient = {
  send: () => () => new Promise(() => undefined),
  keepAlive: () => () => new Promise(() => undefined),
  close: async () => undefined,
} as unknown as GraphClient

describe('stored call snapshots', () => {
  it('migrates a snapshot stored before versions, without changing its input, and it decodes', () => {
    const input = deepFreeze(structuredClone(fixtureV1))
    const migrated = migrateCallSnapshot(input, 1)
    expect(input).toEqual(fixtureV1)
    const decoded = decodeCallSnapshot(input, knownStates)
    expect(E.isRight(decoded) && decoded.right).toEqual(migrated)
    if (E.isLeft(decoded)) throw new Error(decoded.left.message)
    expect(decoded.right.value).toEqual({ established: { hold: 'held', transfer: 'idle' } })
    expect(decoded.right.context.hold).toMatchObject({ participantId: 'p-alice', attempts: ['hold-alice'] })
    // (Since v4 an operation's lifecycle lives in its in-flight entry, not in a child.)
    for (const f of Object.values(decoded.right.context.inFlight)) expect(f.op.context.reportsToCall).toBe(true)
  })

  it('migrates a v2 call: its hold slot lives in established, an ended call is terminated, and it decodes', () => {
    const input = deepFreeze(structuredClone(fixtureV2))
    const decoded = decodeCallSnapshot(input, knownStates)
    expect(input).toEqual(fixtureV2)
    if (E.isLeft(decoded)) throw new Error(decoded.left.message)
    expect(decoded.right.value).toEqual({ established: { hold: 'held', transfer: 'idle' } })
    // Unchanged but for the operations' lifecycles, which moved from the children into inFlight (v4).
    const ops = (c: { readonly inFlight: Readonly<Record<string, object>> }) => ({ ...c, inFlight: Object.fromEntries(Object.entries(c.inFlight).map(([k, f]) => [k, { ...f, op: undefined }])) })
    expect(ops(decoded.right.context)).toEqual(ops(fixtureV2.call.context))
    expect(Object.keys(decoded.right.context.inFlight).sort()).toEqual(['prompt-1', 'record-1'])
    const ended = decodeCallSnapshot({ ...fixtureV2, call: { ...fixtureV2.call, value: 'ended' } }, knownStates)
    expect(E.isRight(ended) && ended.right.value).toBe('terminated')
  })

  it('migrates a v3 call: each operation child’s state and context move into its in-flight entry, and it decodes', () => {
    const input = deepFreeze(structuredClone(fixtureV3))
    const decoded = decodeCallSnapshot(input, knownStates)
    expect(input).toEqual(fixtureV3)
    if (E.isLeft(decoded)) throw new Error(decoded.left.message)
    expect(decoded.right.children).toEqual({})
    const { inFlight, ...rest } = decoded.right.context
    const { inFlight: storedInFlight, ...storedRest } = fixtureV3.call.context
    expect(rest).toEqual(storedRest)
    const children = fixtureV3.call.children as Record<string, { snapshot: { value: unknown; context: unknown } }>
    for (const [key, f] of Object.entries(storedInFlight)) {
      const child = children[key]?.snapshot
      expect(inFlight[key]).toEqual({ ...f, op: { value: child?.value, context: child?.context } })
    }
    expect(Object.fromEntries(Object.entries(inFlight).map(([k, f]) => [k, f.op.value]))).toEqual({ 'prompt-1': 'running', 'unmute-1': 'requested', 'record-1': { failed: 'timedOut' } })
    expect(inFlight['unmute-1']?.op.context.early).toMatchObject({ status: 'completed' })
  })

  it('restores a v3 call, and its operations go on: a completion ends the prompt, a late one the timed-out recording', async () => {
    const store = createMemoryStore()
    const callId = fixtureV3.call.context.callId
    await store.save(callId, fixtureV3, 0, { open: true })
    const orchestrator = createCallOrchestrator({ graph: { client: noGraph }, notificationAuth: false, store, keepAlive: false })
    const notify = (id: string, clientContext: string) =>
      orchestrator.handleNotification(
        { value: [{ changeType: 'deleted', resourceUrl: `/communications/calls/${callId}/operations/${id}`, resourceData: { '@odata.type': '#microsoft.graph.commsOperation', id, status: 'completed', clientContext } }] },
        { 'content-type': 'application/json' },
      )
    try {
      expect(await orchestrator.restore()).toBe(1)
      const view = orchestrator.getCall(callId)
      expect(view).toMatchObject({ state: 'established.hold.held', hold: { participantId: 'p-alice', phase: 'held' }, holdQueue: [{ participantId: 'p-bob' }] })
      expect(Object.fromEntries(view?.operations.map((op) => [op.clientContext, op.state]) ?? [])).toMatchObject({ 'prompt-1': 'running', 'record-1': 'failed.timedOut' })
      await notify('op-prompt-1', 'prompt-1')
      await notify('op-record-1', 'record-1')
      expect(orchestrator.getCall(callId)?.operations.map((op) => op.clientContext)).not.toContain('prompt-1')
      expect(orchestrator.getCall(callId)?.operations.map((op) => op.clientContext)).not.toContain('record-1')
    } finally {
      await orchestrator.close()
    }
  })

  it('restores a v2 call held, and a hold request for another participant is queued as it was', async () => {
    const store = createMemoryStore()
    const callId = fixtureV2.call.context.callId
    await store.save(callId, fixtureV2, 0, { open: true })
    const orchestrator = createCallOrchestrator({ graph: { client: noGraph }, notificationAuth: false, store, keepAlive: false })
    try {
      expect(await orchestrator.restore()).toBe(1)
      expect(orchestrator.getCall(callId)).toMatchObject({ state: 'established.hold.held', hold: { participantId: 'p-alice', phase: 'held' }, holdQueue: [{ participantId: 'p-bob' }] })
    } finally {
      await orchestrator.close()
    }
  })

  it('keeps a v1 hold that an earlier unanswered attempt may hold: only a successful release frees it', () => {
    const call = structuredClone(fixtureV1) as unknown as { context: { hold: Record<string, unknown> } }
    call.context.hold = { participantId: 'p-alice', holdKey: 'hold-alice', uncertain: true, timedOutStopKey: 'stop-1' }
    const decoded = decodeCallSnapshot(call, knownStates)
    if (E.isLeft(decoded)) throw new Error(decoded.left.message)
    const hold = decoded.right.context.hold
    expect(hold?.attempts).toHaveLength(2)
    expect(hold?.attempts[1]).toBe('hold-alice')
    expect(hold?.timedOutStops).toEqual([{ clientContext: 'stop-1', covers: hold?.attempts }])
  })

  it('restores a migrated call whose operations still report to it', async () => {
    const store = createMemoryStore()
    await store.save('421f0500-4bd2-4b4d-9e4c-a5d1c4a1b2c3', fixtureV1, 0, { open: true })
    const orchestrator = createCallOrchestrator({ graph: { client: noGraph }, notificationAuth: false, store, keepAlive: false })
    try {
      expect(await orchestrator.restore()).toBe(1)
      const view = orchestrator.getCall('421f0500-4bd2-4b4d-9e4c-a5d1c4a1b2c3')
      expect(view).toMatchObject({ state: 'established.hold.held', hold: { participantId: 'p-alice', phase: 'held' }, holdQueue: [{ participantId: 'p-bob' }] })
      expect(view?.operations.map((op) => op.clientContext).sort()).toEqual(['prompt-1', 'record-1', 'unmute-1'])
      // The prompt's completion ends it in the call: the child reported to its parent.
      await orchestrator.handleNotification(
        {
          value: [
            {
              changeType: 'deleted',
              resourceUrl: '/communications/calls/421f0500-4bd2-4b4d-9e4c-a5d1c4a1b2c3/operations/op-prompt-1',
              resourceData: { '@odata.type': '#microsoft.graph.playPromptOperation', id: 'op-prompt-1', status: 'completed', clientContext: 'prompt-1' },
            },
          ],
        },
        { 'content-type': 'application/json' },
      )
      expect(orchestrator.getCall('421f0500-4bd2-4b4d-9e4c-a5d1c4a1b2c3')?.operations.map((op) => op.clientContext).sort()).toEqual(['record-1', 'unmute-1'])
    } finally {
      await orchestrator.close()
    }
  })

  it('round-trips what callops writes today', () => {
    const actor = createActor(callMachine, { input: { callId: 'c1' } }).start()
    actor.send({ type: 'operation.requested', clientContext: 'k1', action: 'startHoldMusic', participantId: 'p1', deadline: 1_000 })
    const stored = JSON.parse(JSON.stringify(versionedCallSnapshot(actor.getPersistedSnapshot()))) as unknown
    expect(stored).toMatchObject({ schemaVersion: CALL_SNAPSHOT_VERSION })
    expect(decodeCallSnapshot(stored, knownStates)).toEqual(E.right((stored as { call: unknown }).call))
    actor.stop()
  })

  it('refuses a newer schema version, an unknown state and a wrong shape, saying why', () => {
    const current = versionedCallSnapshot(migrateCallSnapshot(fixtureV1, 1)) as { schemaVersion: number; call: Record<string, unknown> }
    const cases: [unknown, RegExp][] = [
      [{ ...current, schemaVersion: CALL_SNAPSHOT_VERSION + 1 }, /newer callops/],
      [{ ...current, call: { ...current.call, value: { established: { hold: 'onTheMoon', transfer: 'idle' } } } }, /unknown state established\.hold\.onTheMoon/],
      [{ ...current, call: { ...current.call, value: { active: 'held' } } }, /unknown state active\.held/],
      [{ ...current, call: { ...current.call, context: { ...(current.call['context'] as object), queue: 'x' } } }, /queue/],
      ['not a snapshot', /not a call snapshot/],
    ]
    for (const [stored, why] of cases) {
      const r = decodeCallSnapshot(stored, knownStates)
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'SnapshotRefused' } })
      expect(E.isLeft(r) && r.left.message).toMatch(why)
    }
  })
})
