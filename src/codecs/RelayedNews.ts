import * as t from 'io-ts'
import type { CallNews } from '../domain/CallNews.js'
import { ResultInfo } from './ResultInfo.js'
import { IdentityValue, IncomingCallValue, RosterEntryValue } from './storedValues.js'

const CallNewsValue: t.Type<CallNews, unknown, unknown> = t.union([
  t.type({ type: t.literal('incoming'), incoming: IncomingCallValue }),
  t.intersection([t.type({ type: t.literal('callState'), state: t.string, known: t.boolean }), t.partial({ previous: t.string })]),
  t.intersection([t.type({ type: t.literal('mediaState'), audio: t.string }), t.partial({ previous: t.string })]),
  t.intersection([t.type({ type: t.literal('tone'), tone: t.string }), t.partial({ sequenceId: t.number })]),
  t.type({ type: t.literal('participantJoined'), participant: RosterEntryValue }),
  t.intersection([
    t.type({ type: t.literal('participantLeft'), participantId: t.string }),
    t.partial({ identity: t.array(IdentityValue), displayName: t.string }),
  ]),
  t.intersection([t.type({ type: t.literal('terminated') }), t.partial({ resultInfo: ResultInfo, terminationReason: t.string })]),
]) as t.Type<CallNews, unknown, unknown>

/**
 * A call's news as a durable store announces it to every instance: the call, the stored version
 * whose transition told it (news of one call arrive in version order), and the news itself. Read
 * back from a pub/sub message, so it is decoded like anything else from outside.
 *
 * @example
 * ```ts
 * const message: RelayedNews = { callId, version: 7, news: { type: 'tone', tone: 'tone1', sequenceId: 1 } }
 * ```
 */
export const RelayedNews = t.type({ callId: t.string, version: t.number, news: CallNewsValue }, 'RelayedNews')
/** See {@link RelayedNews}. */
export type RelayedNews = t.TypeOf<typeof RelayedNews>
