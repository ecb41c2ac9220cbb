import type { ActionName } from './ActionName.js'
import type { OperationStatus } from './OperationStatus.js'
import type { ResultInfo } from './ResultInfo.js'

/**
 * What callops knows of one operation: the request it made and what Graph said about it. This is
 * the value a successful action resolves with.
 */
export interface Operation {
  /** The clientContext sent with the request: callops's key for the operation. */
  readonly clientContext: string
  readonly action: ActionName
  readonly callId: string
  readonly participantId?: string
  /** Graph's operation id, once an answer or notification told it (`null` for some invites). */
  readonly id?: string | null
  readonly status: OperationStatus
  readonly resultInfo?: ResultInfo
  /** sendDtmfTones / playPrompt / record: why the media operation ended. */
  readonly completionReason?: string
  /** recordResponse: where the recording is. */
  readonly recordingLocation?: string
  /**
   * recordResponse: the token that fetches the recording at `recordingLocation`. A secret: callops
   * never logs it nor puts it in an error message.
   */
  readonly recordingAccessToken?: string
}

/**
 * What Graph reported about an operation, in an HTTP answer or a notification, already decoded
 * and normalised. Machines consume this; only `src/codecs` knows the wire spelling.
 */
export interface OperationReport {
  readonly id?: string | null
  readonly status?: OperationStatus
  readonly clientContext?: string
  readonly resultInfo?: ResultInfo
  readonly completionReason?: string
  readonly recordingLocation?: string
  /** A secret (see {@link Operation.recordingAccessToken}). */
  readonly recordingAccessToken?: string
}
