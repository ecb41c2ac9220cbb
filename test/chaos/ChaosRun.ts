import type { CallOrchestrator } from '../../src/orchestrator/createCallOrchestrator.js'
import type { ActionName } from '../../src/graph/actionCatalog.js'
import type { Simulator, SimulatorFaults } from '../../src/simulator/index.js'

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** How long past its own timeout an operation may take to settle before it counts as hung. */
export const SETTLE_GRACE_MS = 15_000

/** What every call of a chaos run shares: the simulator, the orchestrator, the counters and the violations. */
export interface ChaosRun {
  readonly sim: Simulator
  readonly orchestrator: CallOrchestrator
  readonly callbackUrl: string
  readonly timeouts: Readonly<Record<ActionName, number>>
  readonly outcomes: Map<string, number>
  readonly byAction: Map<string, number>
  readonly violations: string[]
  readonly pending: Set<string>
  readonly callIds: string[]
  readonly faults: SimulatorFaults
  /** Calls with a hold or stop whose outcome never reached callops (it timed out or was cancelled, and no late outcome came). */
  readonly unheard: Map<string, Map<string, { readonly action: ActionName; readonly clientRequestId?: string }>>
  operations: number
  retries: number
  slotsWithoutHold: number
  stuckSlots: number
  recoveredSlots: number
  keptAfterLostOutcome: number
  settled: number
  holds: number
  overlaps: number
  graphHoldRefusals: number
}
