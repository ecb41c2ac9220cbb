import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { CallEvent } from '../../machines/callTypes.js'
import type { GraphClient } from '../../src/graph/createGraphClient.js'
import { silentLogger } from '../../src/logging/Logger.js'
import { createCallActionWaiters } from '../../src/runtime/createCallActionWaiters.js'
import type { LiveCall } from '../../src/runtime/LiveCall.js'
import { withCallActions } from '../../src/runtime/withCallActions.js'

describe('call actions on a fenced instance', () => {
  it('are not sent, and the call hears at once that nothing left (restore() does not resend them)', () => {
    const sent: string[] = []
    // Every call action of this client records that it was asked; none may be.
    const client = new Proxy({} as GraphClient, { get: (_, name) => () => (sent.push(String(name)), () => Promise.resolve(E.right({ status: 204 }))) })
    const heard: CallEvent[] = []
    let fenced = true
    const effects = withCallActions(
      { run: () => undefined, send: () => undefined },
      { client, logger: silentLogger, waiters: createCallActionWaiters(), answer: (_, e) => heard.push(e), maySend: () => !fenced },
    )
    const call = { callId: 'call-1', key: 'call-1' } as unknown as LiveCall
    effects.run(call, [{ type: 'effect.callAction', clientContext: 'hang-up-1', action: 'hangUp' }])
    expect(sent).toEqual([])
    expect(heard).toMatchObject([{ type: 'callAction.rejected', clientContext: 'hang-up-1', error: { _tag: 'Fenced' } }])
    // Once the lease is renewed, call actions leave again.
    fenced = false
    effects.run(call, [{ type: 'effect.callAction', clientContext: 'hang-up-2', action: 'hangUp' }])
    expect(sent).toEqual(['hangUp'])
  })
})
