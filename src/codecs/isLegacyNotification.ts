import * as t from 'io-ts'

const Legacy = t.type({ callState: t.string })

/**
 * Whether a webhook body is in the legacy (Skype calling, pre-Graph) format. The Teams and
 * comms-samples pages say an incoming call may first arrive so, and that the bot answers `204 No
 * Content` to have it sent again in the Graph format; they print no such body. The Skype calling
 * protocol's notifications (`conversation`: `id`, `participants`, `presentedModalityTypes`,
 * `callState`; `conversationResult`: `callState`, `operationOutcome`) all carry a string
 * `callState` at the top level and no `value` array, which a Graph `commsNotifications` never
 * does: that is the rule.
 *
 * @example
 * ```ts
 * isLegacyNotification({ id: 'c1', participants: [], presentedModalityTypes: ['audio'], callState: 'incoming' }) // true
 * ```
 */
export const isLegacyNotification = (body: unknown): boolean =>
  t.UnknownRecord.is(body) && !('value' in body) && Legacy.is(body)
