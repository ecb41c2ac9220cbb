import type { CallOpsError } from './CallOpsError.js'
import type { Operation } from './Operation.js'

/** How an operation ended, as the call machine and the bot see it. */
export type OperationResult =
  | { readonly ok: true; readonly operation: Operation }
  | { readonly ok: false; readonly operation: Operation; readonly error: CallOpsError }

/** The outcome of a request: an ended operation, or an error decided before or after sending. */
export type SettledResult = OperationResult | { readonly ok: false; readonly error: CallOpsError }
