import type { CallView } from '../orchestrator/CallView.js'
import type { OrchestratorStats } from '../orchestrator/CallOrchestrator.js'
import type { MachineGraph } from './machineGraph.js'

// What the live view's server sends its page, one JSON object per server-sent event. Short keys:
// these are written once per event for every open page. `t` is epoch milliseconds.

/** An orchestrator event made plain JSON: the `settled` result as `ok` with the operation or the error. */
export type WireOrchestratorEvent = Readonly<Record<string, unknown>> & { readonly type: string; readonly callId: string }

/** One message of the live view's stream. */
export type ViewMessage =
  /** First message on every connection: the server's clock and the machines it knows. */
  | { readonly k: 'hello'; readonly t: number; readonly machines: readonly MachineGraph[] }
  /**
   * A call's picture after one of its transitions, or as it is when a page opens (`opened`): a hold
   * first seen then began before the page knew of it.
   */
  | { readonly k: 'call'; readonly t: number; readonly call: CallView; readonly opened?: true }
  /** The orchestrator no longer tracks the call (ended and past its retention). */
  | { readonly k: 'gone'; readonly t: number; readonly callId: string }
  /** An orchestrator event (`transition`, `request`, `answer`, `settled`, `lateOutcome`). */
  | { readonly k: 'ev'; readonly t: number; readonly e: WireOrchestratorEvent }
  /** The orchestrator's counters, once a second while a page is open. */
  | { readonly k: 'stats'; readonly t: number; readonly stats: OrchestratorStats }
  /** XState inspection: an actor was created (`parent` is its parent's session id). */
  | { readonly k: 'actor'; readonly t: number; readonly s: string; readonly id: string; readonly parent?: string }
  /** XState inspection: an actor's snapshot after an event; `m` names its machine when it is one. */
  | {
      readonly k: 'snap'
      readonly t: number
      readonly s: string
      readonly id: string
      readonly parent?: string
      readonly state: string
      readonly status: string
      readonly m?: string
    }
  /** XState inspection: an event sent to an actor (`from` is the sender's session id), summarised. */
  | { readonly k: 'xev'; readonly t: number; readonly s: string; readonly type: string; readonly from?: string; readonly body: string }
  /** A machine first seen through inspection, to draw. */
  | { readonly k: 'machine'; readonly graph: MachineGraph }
  /** Messages the server could not queue (too many at once): the page says its history has a gap. */
  | { readonly k: 'lost'; readonly t: number; readonly n: number }
