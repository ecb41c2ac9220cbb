import { callMachine } from '../../machines/call.machine.js'
import type { Clock } from '../../src/domain/Clock.js'
import { silentLogger } from '../../src/logging/Logger.js'
import { createCallRegistry, type CallRegistry } from '../../src/runtime/createCallRegistry.js'

/** A call registry as the orchestrator makes one, with no keep-alive, inspector or listeners. */
export const testRegistry = (clock: Clock, durable: boolean): CallRegistry =>
  createCallRegistry({
    clock,
    logger: silentLogger,
    durable,
    maxCalls: 10,
    retentionMs: 60_000,
    inspect: undefined,
    machine: callMachine,
    holdPolicy: 'reject',
    keepAlive: { track: () => undefined, untrack: () => undefined },
    onForgotten: () => undefined,
    onFailed: () => undefined,
  })
