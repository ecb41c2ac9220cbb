import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { callMachine } from '../../machines/call.machine.js'
import { stateName } from '../../machines/stateName.js'
import { silentLogger } from '../../src/logging/Logger.js'
import { controlledClock } from '../../src/testing/controlledClock.js'
import { testRegistry } from '../support/testRegistry.js'

const registry = () => testRegistry(controlledClock(), true)

describe('the call registry', () => {
  it('a call adopted with nothing stored yet (a durable store, first event) starts again as it was created: a ringing call stays incoming', () => {
    const r = registry()
    const incoming = { callId: 'c1', caller: [], callees: [], answerDeadline: 1_000 }
    const created = r.create('c1', 'c1', { incoming, holdPolicy: 'queue' })
    if (E.isLeft(created)) throw new Error(created.left.message)
    expect(r.adopt(created.right, undefined)).toBe(true)
    const snapshot = created.right.actor.getSnapshot()
    expect(stateName(snapshot.value)).toBe('incoming.awaitingAnswer')
    expect(snapshot.context).toMatchObject({ incoming, answerBy: 1_000, holdPolicy: 'queue' })
  })
})
