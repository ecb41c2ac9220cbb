import { setup } from 'xstate'
import type { CallContext, CallEmitted, CallEvent, CallInput } from './callTypes.js'
import { operationMachine } from './operation.machine.js'

/**
 * The call machine's types and children, shared by the modules that hold its guards and actions
 * (callGuards.ts, operationActions.ts, holdActions.ts, lifecycleActions.ts) so each is typed once.
 */
export const callSetup = setup({
  types: {
    input: {} as CallInput,
    context: {} as CallContext,
    events: {} as CallEvent,
    emitted: {} as CallEmitted,
  },
  actors: { operation: operationMachine },
})

type EnqueueArgs = Parameters<Parameters<typeof callSetup.enqueueActions>[0]>[0]

/** What an `enqueueActions` body receives as `enqueue`, for helpers that enqueue on its behalf. */
export type Enqueue = EnqueueArgs['enqueue']
