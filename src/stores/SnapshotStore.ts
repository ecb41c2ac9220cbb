import type { RelayedNews } from '../codecs/RelayedNews.js'
import type { StoredSettlement } from '../codecs/StoredSettlement.js'
import type { CallNews } from '../domain/CallNews.js'

/** A call's persisted snapshot with the version it was stored under. */
export interface StoredCall {
  /** The call machine's persisted snapshot (`actor.getPersistedSnapshot()`), JSON-safe. */
  readonly snapshot: unknown
  /** Increases by one at each save; compare-and-set uses it. */
  readonly version: number
  /**
   * Requests recorded in the snapshot whose HTTP answer has not been processed yet: clientContext →
   * id of the orchestrator instance sending them. Recovery resends those of instances that died.
   */
  readonly sending: Readonly<Record<string, string>>
  /**
   * The id of the write that stored this version (see {@link SaveOptions.writeId}). An instance
   * that finds an older version than it had seen compares it with the write ids it saw, to tell a
   * version of its own history from one written after the store lost data.
   */
  readonly writeId?: string
}

/** A save lost a compare-and-set race: someone stored another version first. */
export interface VersionConflict {
  readonly _tag: 'VersionConflict'
  readonly callId: string
  readonly expected: number
  readonly actual: number
  /** The call as stored now, when the store could read it in the same step (saves a load). */
  readonly current?: StoredCall
}

/** What goes with a snapshot into one atomic save. */
export interface SaveOptions {
  /** `false` once the call has ended: it leaves the open calls and expires after the store's retention. */
  readonly open: boolean
  /**
   * The call's earliest pending deadline, when it may be earlier than the one already scheduled:
   * scheduled before the snapshot is written (earliest wins), so a crash in between leaves at worst
   * an early wake-up, never a missed deadline.
   */
  readonly deadline?: number
  /** See {@link StoredCall.sending}. Default: none. */
  readonly sending?: Readonly<Record<string, string>>
  /** Outcomes decided by this transition: kept for the retention and announced to every subscriber. */
  readonly settled?: readonly StoredSettlement[]
  /**
   * The call's news this transition told (a tone, a participant joined, the call's end): announced
   * to every subscriber with the version stored, after the outcomes, and not kept. Bot code waiting
   * on one call on another instance hears them so (`orchestrator.watchCall`).
   */
  readonly news?: readonly CallNews[]
  /**
   * Identifies this write. A save repeated with the same id after its answer was lost (a dropped
   * connection) reports success instead of a conflict, so an event is never applied twice: the
   * call as stored now, which is a later version than `expectedVersion + 1` when others saved
   * since (the caller then runs its effects and adopts that version). No commas. Default: a fresh UUID.
   */
  readonly writeId?: string
  /**
   * The id of the write that stored `expectedVersion`, when the caller knows it: the save then also
   * requires the stored version to be that very write. A store that lost writes and was written
   * again up to the same version number is told apart (a conflict, with the call as stored).
   */
  readonly expectedWriteId?: string
  /**
   * Only to put a newer version back over an older one the store went back to (Redis restarted
   * without persistence, a failover to a replica that was behind): stores the snapshot as
   * `version` instead of `expectedVersion + 1`. Give `expectedWriteId` too, unless no call is stored.
   */
  readonly replacing?: { readonly version: number }
}

/** Receives outcomes stored by any instance sharing the store. */
export interface SettlementListener {
  /** One outcome; may arrive more than once and for requests this instance does not wait for. */
  settled(settlement: StoredSettlement): void
  /** Announcements may have been missed (the connection was re-established): look up what you wait for. */
  resync(): void
  /**
   * A call's news, stored by any instance (this one included), in the order of the call's versions.
   * Not kept: news announced while the subscription was down are not told again (`resync` says so).
   */
  news?(relayed: RelayedNews): void
}

/** Whether outcomes decided by other instances reach this one, for a health endpoint. */
export interface SubscriptionHealth {
  /** The outcome subscription is in place now (a store in one process always is). */
  readonly subscribed: boolean
  /** How many times it was lost (connection dropped, or a subscribe refused) since the store was made. */
  readonly lost: number
}

/**
 * Where call snapshots live, and what several orchestrator instances share through it.
 *
 * The orchestrator loads a call before working on it and, when the store is `durable`, saves it
 * after each processed event with compare-and-set; the effects of an event (HTTP requests) run only
 * after its save. The settlement, deadline and instance members let any instance answer a caller
 * waiting on another, time operations out exactly once, and recover requests of an instance that
 * died. Every store implements all of them; `test/stores/storeContract.ts` is the shared contract.
 */
export interface SnapshotStore {
  /** A store shared by several processes (Redis) must be saved after every event; memory need not. */
  readonly durable: boolean

  // --- snapshots
  load(callId: string): Promise<StoredCall | undefined>
  /** Stores `snapshot` as version `expectedVersion + 1` if the stored version is still `expectedVersion` (0: none yet). */
  save(callId: string, snapshot: unknown, expectedVersion: number, options: SaveOptions): Promise<VersionConflict | StoredCall>
  /** The ids of calls stored as open (not ended). May include a few that ended a moment ago. */
  listOpen(): Promise<readonly string[]>
  /** Forgets a call (its snapshot, open-set membership and deadline). */
  delete(callId: string): Promise<void>

  // --- settlements
  /** The stored outcome of one request, while the store's retention keeps it. */
  settlement(callId: string, clientContext: string): Promise<StoredSettlement | undefined>
  /** Delivers every outcome saved from now on, by any instance. Resolves with the unsubscribe function. */
  subscribe(listener: SettlementListener): Promise<() => Promise<void>>
  /**
   * Whether the subscription is in place. A store that cannot subscribe now (its server is away)
   * keeps the listener and subscribes when it can, however long that takes, then calls `resync`.
   */
  subscriptionHealth(): SubscriptionHealth

  // --- deadlines (one entry per call: its earliest pending deadline)
  /** Schedules `callId` to be swept at `at`, unless it already is at an earlier time. */
  scheduleDeadline(callId: string, at: number): Promise<void>
  /**
   * Claims up to `limit` calls whose deadline is at or before `now`: each is leased until
   * `leaseUntil` (due again then, unless released), so concurrent sweepers never claim one twice.
   */
  claimDeadlines(now: number, leaseUntil: number, limit: number): Promise<readonly string[]>
  /** Ends a claim: schedules `next` (or nothing) unless someone scheduled the call meanwhile. */
  releaseDeadline(callId: string, leaseUntil: number, next: number | undefined): Promise<void>

  // --- who times an operation (optional: a store without them has every sweeper time every deadline)
  /**
   * Records that `instanceId` times the deadline of the operation `clientContext` itself (its caller
   * waits there): other instances time it out only once that instance's heartbeat has lapsed.
   */
  setOperationOwner?(callId: string, clientContext: string, instanceId: string): Promise<void>
  /** The owners recorded for the call's operations: clientContext → instance id. */
  operationOwners?(callId: string): Promise<Readonly<Record<string, string>>>

  // --- instances
  /** Marks an orchestrator instance alive for `ttlMs`. */
  heartbeat(instanceId: string, ttlMs: number): Promise<void>
  isAlive(instanceId: string): Promise<boolean>
  /** Marks an instance gone at once (on close), so others may recover its requests. */
  forgetInstance(instanceId: string): Promise<void>

  close(): Promise<void>
}
