import { setup } from 'xstate'
import type { CallContext, CallEmitted, CallEvent, CallInput } from './callTypes.js'
import type { OperationEvent, OperationInput } from './operationLogic.js'
import type { OperationRecord } from './operationStep.js'

/** The marker of a started operation, for the inspector (see src/runtime/createOperationShadows.ts). */
export interface OperationStarted {
  readonly clientContext: string
  readonly input: OperationInput
}

/** The marker of an operation stepped by `event` from `from`, for the inspector. */
export interface OperationStepped {
  readonly clientContext: string
  readonly event: OperationEvent
  readonly from: OperationRecord
}

/** The call machine's actions that only mark a step for an inspector: a run without one skips them. */
export const inspectorMarks: ReadonlySet<string> = new Set(['operationStarted', 'operationStepped'])

/**
 * The call machine's types, shared by the modules that hold its guards and actions
 * (callGuards.ts, operationActions.ts, holdActions.ts, lifecycleActions.ts) so each is typed once.
 */
export const callSetup = setup({
  types: {
    input: {} as CallInput,
    context: {} as CallContext,
    events: {} as CallEvent,
    emitted: {} as CallEmitted,
  },
  // No-ops that mark each operation's start and step, so that an inspector attached by the runtime
  // sees them as `@xstate.action` events and can show each operation's lifecycle as its own actor.
  actions: {
    operationStarted: (_: unknown, _params: OperationStarted) => {},
    operationStepped: (_: unknown, _params: OperationStepped) => {},
  },
})

type EnqueueArgs = Parameters<Parameters<typeof callSetup.enqueueActions>[0]>[0]

/** What an `enqueueActions` body receives as `enqueue`, for helpers that enqueue on its behalf. */
export type Enqueue = EnqueueArgs['enqueue']
