import type { HoldPolicy as HoldPolicyName } from '../../machines/callTypes.js'
import { oneOf } from '../codecs/options/oneOf.js'
import type { OptionType } from '../codecs/options/OptionType.js'

// A record, so that a policy added to the machines' type must be added here too (and no other).
const policies: Readonly<Record<HoldPolicyName, null>> = { reject: null, queue: null, swap: null }

/**
 * A hold policy as the bot gives it (`holdPolicy` of the orchestrator, of `registerCall` and of a
 * startHoldMusic request): exactly `reject`, `queue` or `swap`; `'Queue'` is refused.
 *
 * @example
 * ```ts
 * HoldPolicy.is('queue') // true
 * HoldPolicy.is('Queue') // false
 * ```
 */
export const HoldPolicy: OptionType<HoldPolicyName> = oneOf(Object.keys(policies) as HoldPolicyName[])
