import type { CallNewsListener } from '../runtime/createCallWatchers.js'
import type { CallActionName } from '../domain/CallAction.js'
import type { CallActionMethods } from './CallActionMethods.js'
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

/**
 * One method per action of the catalog. Each sends the Graph request, follows the operation to its
 * outcome and resolves with it: `Right` with the ended operation, `Left` with a tagged
 * {@link CallOpsError} (refused before sending, failed, timed out, cancelled...). None rejects.
 * The request takes the ids, the action's body fields and `clientContext`/`signal`
 * ({@link ActionRequestOf}).
 */
export interface OrchestratorActions {
  /**
   * Puts a participant on hold with music (`participant: startHoldMusic`, optionally with a
   * `customPrompt`). The request takes the call's single hold slot: while another participant
   * holds it, the call's `holdPolicy` refuses it (`HoldConflict`, nothing sent), queues it or
   * swaps. Resolves when Graph's completion notification arrives.
   *
   * @example
   * ```ts
   * const held = await orchestrator.startHoldMusic({ callId, participantId: 'alice' })
   * if (E.isLeft(held) && held.left._tag === 'HoldConflict') console.log(held.left.heldBy, 'is on hold')
   * ```
   */
  startHoldMusic(req: ActionRequestOf<'startHoldMusic'>): Promise<ActionResult>
  /**
   * Takes a participant off hold (`participant: stopHoldMusic`); the hold slot is free once it
   * completes, and a queued hold goes next. `InvalidRequest` when that participant is not on hold.
   */
  stopHoldMusic(req: ActionRequestOf<'stopHoldMusic'>): Promise<ActionResult>
  /** Unmutes the bot itself (`call: unmute`). Refused (`InvalidRequest`) in a call registered as `peerToPeer`. */
  unmute(req: ActionRequestOf<'unmute'>): Promise<ActionResult>
  /** Mutes the bot itself (`call: mute`). */
  mute(req: ActionRequestOf<'mute'>): Promise<ActionResult>
  /** Mutes another participant of the call (`participant: mute`). */
  muteParticipant(req: ActionRequestOf<'muteParticipant'>): Promise<ActionResult>
  /** Plays 1 to 20 audio prompts into the call (`call: playPrompt`); resolves when they have played. */
  playPrompt(req: ActionRequestOf<'playPrompt'>): Promise<ActionResult>
  /**
   * Plays an optional prompt and records the caller's answer (`call: recordResponse`); the ended
   * operation's `recordingLocation` says where the recording is.
   */
  recordResponse(req: ActionRequestOf<'recordResponse'>): Promise<ActionResult>
  /** Sends DTMF tones into the call (`call: sendDtmfTones`): 1 to 100 of `tone0`…`tone9`, `star`, `pound`, `a`…`d`, `flash`. */
  sendDtmfTones(req: ActionRequestOf<'sendDtmfTones'>): Promise<ActionResult>
  /** Subscribes to the DTMF tones the caller presses (`call: subscribeToTone`); they arrive in later notifications. */
  subscribeToTone(req: ActionRequestOf<'subscribeToTone'>): Promise<ActionResult>
  /** Cancels the prompts playing and the recording running in the call (`call: cancelMediaProcessing`). */
  cancelMediaProcessing(req: ActionRequestOf<'cancelMediaProcessing'>): Promise<ActionResult>
  /** Tells the call whether the bot is recording (`call: updateRecordingStatus`: `recording`, `notRecording` or `failed`). */
  updateRecordingStatus(req: ActionRequestOf<'updateRecordingStatus'>): Promise<ActionResult>
  /** Invites 1 to 5 participants into the call (`call: participants/invite`); resolves when the invitation has ended. */
  inviteParticipants(req: ActionRequestOf<'inviteParticipants'>): Promise<ActionResult>
  /** Adds the large gallery view to the call's video (`call: addLargeGalleryView`). */
  addLargeGalleryView(req: ActionRequestOf<'addLargeGalleryView'>): Promise<ActionResult>
}

// Every action of the catalog has its method above, and nothing else: a new catalog entry fails here.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Holds<T extends true> = T
type _EveryActionHasAMethod = Holds<Exactly<keyof OrchestratorActions, ActionName>>

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
   * Milliseconds to wait for each call action's outcome (answer, reject, redirect, transfer, hangUp,
   * removeParticipant, createCall); defaults in `DEFAULT_CALL_ACTION_TIMEOUTS_MS`. Each above 0 and at most 2^31 − 1.
   */
  readonly callActionTimeouts?: Partial<Record<CallActionName, number>>
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
   * that is not alive. An instance that has not renewed its heartbeat for three quarters of it
   * fences itself: it sends nothing and answers commands `Fenced` until it renews it, so keep it
   * well above the longest pause of your process. Default 10 s.
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
  /** Operations (hold, prompt, invite, ...) whose callers wait on this instance. */
  readonly pendingOperations: number
  /** Call actions (answer, reject, redirect, transfer, hangUp, removeParticipant, createCall) whose callers wait on this instance. */
  readonly pendingCallActions: number
  /** Notifications about calls or operations this process does not track. */
  readonly unmatchedNotifications: number
  readonly notificationsApplied: number
  /** Notifications that did not decode: each was logged with its path and the rest of its batch applied. */
  readonly refusedNotifications: number
  /** Legacy-format notification bodies, answered 204 (Graph sends them again in its own format). */
  readonly legacyNotifications: number
  /**
   * Whether this instance hears outcomes decided on other instances (durable stores), and how many
   * times that subscription was lost. While `subscribed` is false, such outcomes reach callers only
   * at their deadline.
   */
  readonly outcomeSubscription: SubscriptionHealth
  /**
   * Durable stores: calls whose stored version was older than the one this instance had seen (the
   * store lost writes: a Redis restart without persistence, a failover to a replica that was
   * behind), and how many of them this instance put its newer version back for. The others answer
   * `StoreRolledBack` here. See docs/scaling.md.
   */
  readonly storeRollbacks: { readonly detected: number; readonly repaired: number }
  /** Requests sent although their operation's deadline had passed (its caller was, or is about to be, told `Timeout`). */
  readonly sentAfterTimeout: number
  /** Requests recorded but not sent because their deadline passed while the store was recording them. */
  readonly notSentAfterTimeout: number
  /**
   * Durable stores: whether this instance's lease on the store has lapsed now (it refuses commands
   * `Fenced` until its heartbeat is renewed), and how many commands and requests it refused so.
   */
  readonly fenced: { readonly now: boolean; readonly refused: number }
}

/** What a bot developer writes against. */
export interface CallOrchestrator extends OrchestratorActions, CallActionMethods {
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
  /**
   * Every transition and outcome of every call this instance processes, and the news of the calls
   * Graph posted to it: with several instances, each hears its own share, so exactly one of them
   * hears a call ring. Returns the unsubscribe function.
   */
  subscribe(listener: OrchestratorListener): () => void
  /**
   * One call's news (tones, participants, states, its end) for the code that drives the call,
   * whichever instance Graph posted them to: with a durable store they come through the store, in
   * the order of the call's versions (tones processed on two instances still arrive in sequence).
   * `collectDigits` listens so. Returns the unsubscribe function.
   *
   * @example
   * ```ts
   * const stop = orchestrator.watchCall(callId, (news) => {
   *   if (news.type === 'participantLeft') console.log('left', news.participantId)
   *   if (news.type === 'terminated') stop()
   * })
   * ```
   */
  watchCall(callId: string, listener: CallNewsListener): () => void
  /**
   * Loads the open calls of the store and re-arms their deadlines. With a durable store it also
   * resends the requests that an instance which is no longer alive recorded but never saw
   * answered (same clientContext, same `client-request-id`); call it when an instance starts.
   * Resolves with the number of calls found.
   */
  restore(): Promise<number>
  /**
   * Counters for dashboards and health checks: calls tracked, operations waiting for an outcome,
   * notifications applied, and notifications about calls or operations this process does not track.
   * Costs nothing to call.
   *
   * @example
   * ```ts
   * app.get('/healthz', (_req, res) => res.json(orchestrator.stats()))
   * ```
   */
  stats(): OrchestratorStats
  /** Stops timers and actors; pending operations resolve `Cancelled`. */
  close(): Promise<void>
}
