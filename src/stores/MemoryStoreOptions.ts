import type * as t from 'io-ts'
import { functionOf } from '../codecs/options/functionOf.js'
import { positiveNumber } from '../codecs/options/numberIn.js'
import { booleanOption } from '../codecs/options/scalars.js'
import { strictObject } from '../codecs/options/strictObject.js'

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Save after every event, as with Redis. Only useful to run several orchestrators in one process
   * over one store (tests of the many-instance behaviour without Redis). Default `false`.
   */
  readonly durable?: boolean
  /** How long ended calls and stored outcomes are kept. Default 10 minutes. */
  readonly retentionMs?: number
  /** The clock of retention and heartbeats; tests pass a controlled one. Default `Date.now`. */
  readonly now?: () => number
}

/** Checks {@link MemoryStoreOptions}; unknown keys are refused. */
export const MemoryStoreOptions: t.Type<MemoryStoreOptions, MemoryStoreOptions, unknown> = strictObject(
  'memory store options (an object)',
  {},
  { durable: booleanOption, retentionMs: positiveNumber, now: functionOf<() => number>('a function returning epoch milliseconds') },
)
