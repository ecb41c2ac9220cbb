import type { ResultInfo } from '../../src/codecs/ResultInfo.js'
import { holdConflictInfo, type HoldInterval, type SimulatorStats } from '../../src/simulator/index.js'
import type { GcMode } from './heapAfterGc.js'

// --- report

/** What a chaos run saw. Every list of violations is empty when the run passed. */
export interface ChaosReport {
  readonly seed: number
  readonly calls: number
  readonly faultScale: number
  /** Operations asked of the orchestrator. */
  readonly operations: number
  /** Operations whose promise settled (resolved; the API never rejects). */
  readonly settled: number
  /** Outcomes: `completed` for a resolved operation, else the error's `_tag`. */
  readonly outcomes: Readonly<Record<string, number>>
  /** Outcomes by action, tag and (for errors) message with ids blanked: what a failing run looks at first. */
  readonly details: Readonly<Record<string, number>>
  /** Real outcomes that arrived after their operation had timed out. */
  readonly lateOutcomes: number
  /** Holds made again by the bot after they timed out (counted in `operations`). */
  readonly retries: number
  /** Steps of the orchestrator's wall clock (±1 h) during the run. */
  readonly clockSteps: number
  /** Calls whose hold slot was taken at their end while the simulator had nobody on hold. */
  readonly slotsWithoutHold: number
  /** Of those, calls in which callops had heard every hold and stop outcome: stuck with a slot nobody holds. */
  readonly stuckSlots: number
  /** Of the others (an outcome was lost), calls the bot got out of by stopping, holding and stopping again. */
  readonly recoveredSlots: number
  /** And calls whose slot stayed taken after that: a known limit, see docs/reliability.md. */
  readonly keptAfterLostOutcome: number
  readonly simulator: SimulatorStats
  /** Hold intervals recorded by the simulator, and pairs of them that overlapped within a call. */
  readonly holds: number
  readonly overlaps: number
  /** startHoldMusic requests that Graph (the simulator) refused by the single-hold rule. */
  readonly graphHoldRefusals: number
  /** Whatever broke an invariant, one line each (with the call and the clientContext). */
  readonly violations: readonly string[]
  /** Unhandled rejections and uncaught exceptions seen during the run. */
  readonly processErrors: readonly string[]
  /** What the orchestrator still tracks after every call ended and the retention passed. */
  readonly tracked: { readonly calls: number; readonly pendingOperations: number; readonly pendingCallActions: number }
  /** Whole calls: how many, their operations (counted in `operations` too), call actions and digit collections by outcome, tones. */
  readonly whole: {
    readonly calls: number
    /** The other calls: created established, each with `operationsPerCall` operations. */
    readonly establishedCalls: number
    readonly operations: number
    readonly callActions: number
    readonly callActionsSettled: number
    /** `<action> ok` or `<action> <_tag>`. */
    readonly callActionOutcomes: Readonly<Record<string, number>>
    /** Pressed; delivered as `tone` events; lost with a dropped notification; arrived after a later tone had been delivered. */
    readonly tones: { readonly pressed: number; readonly delivered: number; readonly dropped: number; readonly stale: number }
  }
  readonly heap: { readonly beforeBytes: number; readonly afterBytes: number; readonly mode: GcMode }
  readonly durationMs: number
}

const mib = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${(bytes / 1_048_576).toFixed(1)}MiB`

/** The one-line summary a run prints. */
export const formatChaosSummary = (r: ChaosReport): string => {
  const outcomes = Object.entries(r.outcomes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}:${v}`)
    .join(',')
  const n = r.simulator.notifications
  return [
    `chaos seed=${r.seed}`,
    `calls=${r.calls}`,
    `faultScale=${r.faultScale}`,
    `operations=${r.operations}`,
    `settled=${r.settled}`,
    `outcomes={${outcomes}}`,
    `late=${r.lateOutcomes}`,
    `retries=${r.retries}`,
    `clockSteps=${r.clockSteps}`,
    `lateRefusals=${r.simulator.refusedLate}`,
    `slotsWithoutHold=${r.slotsWithoutHold}`,
    `stuckSlots=${r.stuckSlots}`,
    `recoveredSlots=${r.recoveredSlots}`,
    `keptAfterLostOutcome=${r.keptAfterLostOutcome}`,
    `429s=${r.simulator.throttled}`,
    `503s=${r.simulator.unavailable}`,
    `drops=${n.dropped}`,
    `duplicates=${n.duplicated}`,
    `variants=${n.variants}`,
    `holds=${r.holds}`,
    `overlaps=${r.overlaps}`,
    `graphHoldRefusals=${r.graphHoldRefusals}`,
    `violations=${r.violations.length + r.processErrors.length}`,
    `wholeCalls=${r.whole.calls}`,
    `callActions=${r.whole.callActions}`,
    `callActionsSettled=${r.whole.callActionsSettled}`,
    `tones=${r.whole.tones.delivered}/${r.whole.tones.pressed}(dropped=${r.whole.tones.dropped},stale=${r.whole.tones.stale})`,
    `tracked=${r.tracked.calls}/${r.tracked.pendingOperations}/${r.tracked.pendingCallActions}`,
    `heap=${mib(r.heap.afterBytes - r.heap.beforeBytes)}(${r.heap.mode === 'forced' ? 'gc forced' : 'no gc'})`,
    `duration=${(r.durationMs / 1000).toFixed(1)}s`,
  ].join(' ')
}

// --- checks

/** Pairs of hold intervals of one call that overlap in time (an open interval lasts forever). */
export const countOverlaps = (holds: readonly HoldInterval[]): number => {
  const sorted = [...holds].sort((a, b) => a.start - b.start)
  let overlaps = 0
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]
    if (a === undefined) continue
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]
      if (b !== undefined && b.start < (a.end ?? Number.POSITIVE_INFINITY)) overlaps++
    }
  }
  return overlaps
}

/** Whether Graph (the simulator) refused a hold by the single-hold rule. */
export const isGraphHoldRefusal = (info: ResultInfo | undefined): boolean =>
  info !== undefined && info.code === holdConflictInfo.code && info.subcode === holdConflictInfo.subcode
