import type { OperationStatus } from './OperationStatus.js'

// completionReason values the resource pages define as errors: sendDtmfTonesOperation's (and
// playPromptOperation's) `unknown` is "Completion reason with unknown error".
const failureReasons: ReadonlySet<string> = new Set(['unknown'])

/**
 * The status an operation's outcome has once its completionReason is read: Graph reports
 * `completed` for media operations that ended with an error (sendDtmfTones "Error case 2":
 * `completed` + completionReason `unknown`), and callops reports those as `failed`. Any other
 * combination keeps Graph's status. Cancellations (`mediaOperationCanceled`) stay `completed`: the
 * operation machine already treats them as unsuccessful.
 *
 * @example
 * ```ts
 * statusWithCompletion('completed', 'unknown') // 'failed'
 * statusWithCompletion('completed', 'completedSuccessfully') // 'completed'
 * ```
 */
export const statusWithCompletion = (status: OperationStatus | undefined, completionReason: string | undefined): OperationStatus | undefined =>
  status === 'completed' && completionReason !== undefined && failureReasons.has(completionReason) ? 'failed' : status
