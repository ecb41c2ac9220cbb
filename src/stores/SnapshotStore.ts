/** A call's persisted snapshot with the version it was stored under. */
export interface StoredCall {
  /** The call machine's persisted snapshot (`actor.getPersistedSnapshot()`), JSON-safe. */
  readonly snapshot: unknown
  /** Increases by one at each save; compare-and-set uses it. */
  readonly version: number
}

/** A save lost a compare-and-set race: someone stored another version first. */
export interface VersionConflict {
  readonly _tag: 'VersionConflict'
  readonly callId: string
  readonly expected: number
  readonly actual: number
}

/**
 * Where call snapshots live. The orchestrator loads a call before working on it and saves it after
 * each processed event when the store is `durable`; effects run only after the save.
 */
export interface SnapshotStore {
  /** A store shared by several processes (Redis) must be saved after every event; memory need not. */
  readonly durable: boolean
  load(callId: string): Promise<StoredCall | undefined>
  /** Stores `snapshot` as version `expectedVersion + 1` if the stored version is still `expectedVersion` (0: none yet). */
  save(callId: string, snapshot: unknown, expectedVersion: number, open: boolean): Promise<VersionConflict | StoredCall>
  /** The ids of calls stored as open (not ended). */
  listOpen(): Promise<readonly string[]>
  /** Forgets a call. */
  delete(callId: string): Promise<void>
  close(): Promise<void>
}
