import type * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { InspectionEvent, Observer } from 'xstate'
import type { CallMachine } from '../../machines/call.machine.js'
import type { CallKind, HoldPolicy } from '../../machines/callTypes.js'
import type { CallOpsError } from '../domain/CallOpsError.js'
import type { Operation } from '../domain/Operation.js'
import type { actionCatalog, ActionBody, ActionName } from '../graph/actionCatalog.js'
import type { GraphClient, GraphClientOptions } from '../graph/createGraphClient.js'
import type { Logger } from '../logging/Logger.js'
import type { NotificationAuthOptions } from '../notifications/auth/index.js'
import type { NotificationHandler, NotificationHeaders, NotificationResponse } from '../notifications/createNotificationHandler.js'
import type { TracerLike } from '../observability/TracerLike.js'
import type { SnapshotStore, SubscriptionHealth } from '../stores/SnapshotStore.js'
import type { CallView } from './CallView.js'
import type { Clock } from '../domain/Clock.js'
import type { KeepAliveSchedule } from '../runtime/keepAliveScheduler.js'
import type { OrchestratorListener } from '../runtime/OrchestratorEvent.js'

// The orchestrator's public contract: its options, requests, results and methods.


/**
 * The common part of every action request. A request holds these, the action's body fields and
 * nothing else: an unknown key, like any refused field, answers `InvalidRequest` with its `path`.
 */
export interface RequestBase {
  readonly callId: string
  /** Sent as the operation's clientContext; a UUID is generated when absent. Unique per operation. */
  readonly clientContext?: string
  /** Cancels the wait for this operation (it then resolves `Cancelled`). */
  readonly signal?: AbortSignal
}

/** Request of an action under a participant (startHoldMusic, stopHoldMusic, muteParticipant). */
export interface ParticipantRequest extends RequestBase {
  readonly participantId: string
}

/** What each action method takes: the ids, the action's body fields, and options. */
export type ActionRequestOf<A extends ActionName> = ((typeof actionCatalog)[A]['scope'] extends 'participant'
  ? ParticipantRequest
  : RequestBase) &
  ActionBody<A> &
  (A extends 'startHoldMusic' ? { readonly holdPolicy?: HoldPolicy } : unknown)

/** What an action resolves with: the ended operation, or why it did not succeed. Never rejects. */
export type ActionResult = E.Either<CallOpsError, Operation>

/** One promise-returning method per action of the catalog. */
export type OrchestratorActions = {
  readonly [A in ActionName]: (req: ActionRequestOf<A>) => Promise<ActionResult>
}

/** The same actions as fp-ts TaskEithers. */
export type OrchestratorTaskEithers = {
  readonly [A in ActionName]: (req: ActionRequestOf<A>) => TE.TaskEither<CallOpsError, Operation>
}

/**
 * Options of {@link createCallOrchestrator}. They are checked at construction by one codec
 * (`decodeOrchestratorOptions`): a bad value or an unknown key, at any level, throws a `TypeError`
 * naming the option by its full path, what was given and what is allowed, e.g.
 * ``Invalid option `holdPolicy`: got "Queue"; expected one of "reject", "queue", "swap" ...``.
 */
export interface CallOrchestratorOptions {
  /** How to reach Graph (as {@link createGraphClient}), or a client already made. */
  readonly graph: GraphClientOptions | { readonly client: GraphClient }
  /**
   * The call machine to run: `callMachine` (the default) provided with other implementations
   * (`callMachine.provide({ actions, guards })`), for example to trace an action or to test what a
   * call that throws does. Its states must be `callMachine`'s: stored snapshots are checked against them.
   */
  readonly machine?: CallMachine
  /** Where call snapshots live. Default: in memory ({@link createMemoryStore}). */
  readonly store?: SnapshotStore
  /** What a hold request does while another participant holds the slot: exactly `reject` (default), `queue` or `swap`. */
  readonly holdPolicy?: HoldPolicy
  /**
   * Milliseconds to wait for each action's outcome, keyed by action name; defaults from the action
   * catalog (60 s for hold). Each is above 0 and at most 2^31 − 1 (what a timer can wait).
   */
  readonly timeouts?: Partial<Record<ActionName, number>>
  /**
   * How notifications are authenticated. `false` turns checking off (a warning is logged at start):
   * only for tests and the simulator behind a private network. There is no default: say which.
   */
  readonly notificationAuth: NotificationAuthOptions | false
  /** pino-compatible; silent by default. */
  readonly logger?: Logger
  /** Passed to XState's `createActor({ inspect })` for every call, e.g. `@statelyai/inspect`: a function or an observer. */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void)
  /** Calls tracked at once (a positive integer); beyond it new calls answer `CapacityExceeded`. Default 100,000. */
  readonly maxCalls?: number
  /** Operations waiting at once (a positive integer); beyond it new ones answer `CapacityExceeded`. Default 100,000. */
  readonly maxPendingOperations?: number
  /** How long an ended call stays visible to `getCall`. Default 60 s. */
  readonly endedCallRetentionMs?: number
  /** How long a notification body may take to arrive, in ms; then it is answered 408 and its connection closed. Default 10 s. */
  readonly bodyTimeoutMs?: number
  /** Notification bodies above this many bytes (a positive integer) are answered 413. Default 1 MiB. */
  readonly maxBodyBytes?: number
  /** Batches with more notifications (a positive integer) are answered 413. Default 1,000. */
  readonly maxNotificationsPerBatch?: number
  /** The clock for deadlines; tests pass a controlled one. */
  readonly clock?: Clock
  /**
   * Keeps every open call alive (Graph ends a call after 45 minutes without keepAlive). Default
   * every 15 minutes, jittered; a 404 answer ends the call (its operations end `CallEnded`).
   * `false` turns it off, for bots that send their own.
   */
  readonly keepAlive?: KeepAliveSchedule | false
  /** An OpenTelemetry tracer (`trace.getTracer('my-bot')`): one span per operation, request to outcome. */
  readonly tracer?: TracerLike
  /**
   * Durable stores only: how often this instance sweeps the deadlines shared by all instances (it
   * also wakes at the deadlines it knows of). A deadline nobody here knows of fires at most this
   * late. Default 1 s.
   */
  readonly sweepIntervalMs?: number
  /**
   * Durable stores only: how long this instance counts as alive after its last heartbeat (one every
   * third of it). `restore()` on another instance resends the unanswered requests of an instance
   * that is not alive. Default 10 s.
   */
  readonly instanceTtlMs?: number
}

/** Facts about a call the bot knows better than the notifications. */
export interface CallRegistration {
  readonly callId: string
  /** Exactly `group`, `peerToPeer` or `unknown`; `peerToPeer` makes callops refuse unmute (Graph allows it in group calls only). */
  readonly kind?: CallKind
  readonly holdPolicy?: HoldPolicy
}

/** Counters for dashboards and tests. */
export interface OrchestratorStats {
  readonly calls: number
  readonly pendingOperations: number
  /** Notifications about calls or operations this process does not track. */
  readonly unmatchedNotifications: number
  readonly notificationsApplied: number
  /**
   * Whether this instance hears outcomes decided on other instances (durable stores), and how many
   * times that subscription was lost. While `subscribed` is false, such outcomes reach callers only
   * at their deadline.
   */
  readonly outcomeSubscription: SubscriptionHealth
}

/** What a bot developer writes against. */
export interface CallOrchestrator extends OrchestratorActions {
  /** Each action as a `TaskEither`, for fp-ts users: `orchestrator.te.startHoldMusic(req)()`. */
  readonly te: OrchestratorTaskEithers
  /** Runs `action` (the same as its own method). */
  run<A extends ActionName>(action: A, req: ActionRequestOf<A>): Promise<ActionResult>
  /** Checks and applies one notification POST; answers the status to give Graph. Never rejects. */
  handleNotification(body: unknown, headers: NotificationHeaders): Promise<NotificationResponse>
  /** `(req, res)` handler for node:http, usable as Express middleware, for the callback URL. */
  readonly webhook: NotificationHandler['webhook']
  /** Tells callops what the bot knows of a call (kind, policy) before or while working on it. */
  registerCall(registration: CallRegistration): E.Either<CallOpsError, CallView>
  /** A snapshot of one call, or `undefined` when callops does not track it. */
  getCall(callId: string): CallView | undefined
  /** Every transition and outcome of every call. Returns the unsubscribe function. */
  subscribe(listener: OrchestratorListener): () => void
  /**
   * Loads the open calls of the store and re-arms their deadlines. With a durable store it also
   * resends the requests that an instance which is no longer alive recorded but never saw
   * answered (same clientContext, same `client-request-id`); call it when an instance starts.
   * Resolves with the number of calls found.
   */
  restore(): Promise<number>
  stats(): OrchestratorStats
  /** Stops timers and actors; pending operations resolve `Cancelled`. */
  close(): Promise<void>
}
