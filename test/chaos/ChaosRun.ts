import type { CallOrchestrator } from '../../src/orchestrator/createCallOrchestrator.js'
import type { CallActionName } from '../../src/domain/CallAction.js'
import type { ActionName } from '../../src/graph/actionCatalog.js'
import type { Simulator, SimulatorFaults } from '../../src/simulator/index.js'
import type { RosterHeard } from './leavesHeard.js'

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
  /** Roster notifications that reached the webhook, by canonical call id: what callops could know of who left. */
  readonly rostersHeard: Map<string, RosterHeard>
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

/** What a run is built from: the simulator, the orchestrator and its settings, and the collections the orchestrator's subscriber and the webhook tap fill. */
export type ChaosRunParts = Pick<ChaosRun, 'sim' | 'orchestrator' | 'callbackUrl' | 'timeouts' | 'faults' | 'callActionTimeouts'> &
  Partial<Pick<ChaosRun, 'violations' | 'unheard' | 'incomingHeard' | 'tonesDelivered' | 'toneArrivals' | 'rostersHeard' | 'createdCalls'>>

/** A run with nothing played yet: every counter at 0, every collection not given empty. */
export const newChaosRun = (parts: ChaosRunParts): ChaosRun => ({
  outcomes: new Map(),
  byAction: new Map(),
  violations: [],
  pending: new Set(),
  callIds: [],
  unheard: new Map(),
  operations: 0,
  retries: 0,
  slotsWithoutHold: 0,
  stuckSlots: 0,
  recoveredSlots: 0,
  keptAfterLostOutcome: 0,
  settled: 0,
  holds: 0,
  overlaps: 0,
  graphHoldRefusals: 0,
  pendingCallActions: new Set(),
  callActionOutcomes: new Map(),
  rungCalls: [],
  incomingHeard: new Map(),
  tonesDelivered: new Map(),
  toneArrivals: new Map(),
  rostersHeard: new Map(),
  createdCalls: new Map(),
  callActions: 0,
  callActionsSettled: 0,
  tonesPressed: 0,
  tonesHeard: 0,
  tonesDropped: 0,
  tonesStale: 0,
  establishedCalls: 0,
  wholeCalls: 0,
  wholeCallOperations: 0,
  ...parts,
})
