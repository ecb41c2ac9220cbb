import type { CallOrchestrator } from '../../src/orchestrator/createCallOrchestrator.js'
import type { CallActionName } from '../../src/domain/CallAction.js'
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
  /** Whole calls: call actions and digit collections asked for, and settled; the keys of those still pending. */
  readonly pendingCallActions: Set<string>
  readonly callActionTimeouts: Readonly<Record<CallActionName, number>>
  /** Calls the simulator rang (each must be heard `incoming` exactly once). */
  readonly rungCalls: string[]
  readonly callActionOutcomes: Map<string, number>
  /** Whole calls: `incoming` events heard per call (canonical id), tones delivered, tone notifications that reached the webhook. */
  readonly incomingHeard: Map<string, number>
  readonly tonesDelivered: Map<string, { readonly tone: string; readonly sequenceId: number; readonly at: number }[]>
  readonly toneArrivals: Map<string, { readonly sequenceId: number; readonly at: number }[]>
  /** Call ids of outgoing calls, by the clientContext of their createCall. */
  readonly createdCalls: Map<string, string>
  callActions: number
  tonesPressed: number
  tonesHeard: number
  /** Pressed tones whose notification never reached the webhook, and those that came after a later tone had been delivered. */
  tonesDropped: number
  tonesStale: number
  establishedCalls: number
  callActionsSettled: number
  wholeCalls: number
  /** Operations the whole calls asked for (their repeated holds count in `retries`). */
  wholeCallOperations: number
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
