import type { InvalidRequest } from '../domain/CallOpsError.js'

/** The call or participant is not known to the simulator (or the call has ended). */
export interface NotFound {
  readonly _tag: 'NotFound'
  readonly message: string
}

/** The id is already taken (a call or participant id given twice). */
export interface Conflict {
  readonly _tag: 'Conflict'
  readonly message: string
}

/** What the simulator's admin operations answer with when they refuse. Match on `_tag`. */
export type SimulatorError = InvalidRequest | NotFound | Conflict

/** Builds a {@link NotFound}. */
export const notFound = (message: string): NotFound => ({ _tag: 'NotFound', message })

/** Builds a {@link Conflict}. */
export const conflict = (message: string): Conflict => ({ _tag: 'Conflict', message })
