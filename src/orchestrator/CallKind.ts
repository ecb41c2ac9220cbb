import type { CallKind as CallKindName } from '../../machines/callTypes.js'
import { oneOf } from '../codecs/options/oneOf.js'
import type { OptionType } from '../codecs/options/OptionType.js'

// A record, so that a kind added to the machines' type must be added here too (and no other).
const kinds: Readonly<Record<CallKindName, null>> = { group: null, peerToPeer: null, unknown: null }

/**
 * A call's kind as `registerCall` takes it: exactly `group`, `peerToPeer` or `unknown`.
 *
 * @example
 * ```ts
 * CallKind.is('peerToPeer') // true
 * ```
 */
export const CallKind: OptionType<CallKindName> = oneOf(Object.keys(kinds) as CallKindName[])
