import type * as t from 'io-ts'
import { functionOf } from '../../codecs/options/functionOf.js'
import { numberIn, timerMs } from '../../codecs/options/numberIn.js'
import { optionValue } from '../../codecs/options/OptionType.js'
import { strictObject } from '../../codecs/options/strictObject.js'
import { isTrustedKeyUrl } from './createSigningKeyCache.js'

/** Where Microsoft publishes the keys that sign Graph call notifications (public cloud). */
export const DEFAULT_OPENID_CONFIG_URL = 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration'

/** The issuers of Graph call notification tokens (public cloud). */
export const DEFAULT_ISSUERS: readonly string[] = ['https://api.botframework.com', 'https://graph.microsoft.com']

/** How to check the `Authorization: Bearer <JWT>` header of a notification. */
export interface NotificationAuthOptions {
  /** The bot's application (client) id: the token's audience. Required. */
  readonly appId: string
  /**
   * Tenants whose notifications are accepted (compared case-insensitively). A valid token of any
   * other tenant is refused with 403. Omit to accept every tenant; an empty list is refused.
   */
  readonly tenantIds?: readonly string[]
  /** The OpenID metadata naming the signing keys. Default {@link DEFAULT_OPENID_CONFIG_URL}; set it for sovereign clouds. Must be https (plain http only on loopback). */
  readonly openIdConfigUrl?: string
  /** Accepted `iss` values. Default {@link DEFAULT_ISSUERS}. */
  readonly issuers?: readonly string[]
  /** Allowed clock skew for `exp` and `nbf`, in seconds. Default 300. */
  readonly clockToleranceSec?: number
  /** Timeout of each metadata or key-set request, in milliseconds. Default 5000. */
  readonly fetchTimeoutMs?: number
  /** The fetch used for the metadata and key set. Default the global `fetch`. */
  readonly fetch?: typeof fetch
}

const isNonBlank = (u: unknown): u is string => typeof u === 'string' && u.trim() !== ''
const isNonBlankList = (u: unknown): u is readonly string[] => Array.isArray(u) && u.length > 0 && u.every(isNonBlank)
const isKeyUrl = (u: unknown): u is string => typeof u === 'string' && URL.canParse(u) && isTrustedKeyUrl(new URL(u))
const KEY_URL = 'an https URL (plain http is allowed on loopback only)'

/** Checks {@link NotificationAuthOptions}; unknown keys are refused. */
export const NotificationAuthOptions: t.Type<NotificationAuthOptions, NotificationAuthOptions, unknown> = strictObject(
  'notification authentication options (an object with appId)',
  {
    appId: optionValue('a non-blank string', isNonBlank, () => ({
      sentence: '`appId` is required: the bot application id the tokens are issued for (a non-blank string).',
    })),
  },
  {
    tenantIds: optionValue('a non-empty array of tenant ids (non-blank strings)', isNonBlankList, (u) =>
      Array.isArray(u) && u.length === 0
        ? { sentence: '`tenantIds` is empty, which would refuse every notification: omit it to accept every tenant.' }
        : { expected: 'a non-empty array of tenant ids (non-blank strings)' },
    ),
    openIdConfigUrl: optionValue(KEY_URL, isKeyUrl, (u) =>
      typeof u === 'string' && URL.canParse(u) ? { expected: KEY_URL } : { sentence: `\`openIdConfigUrl\` is not a URL: expected ${KEY_URL}.` },
    ),
    issuers: optionValue('a non-empty array of issuer URLs (non-blank strings)', isNonBlankList),
    clockToleranceSec: numberIn('a non-negative number of seconds', { min: 0 }),
    fetchTimeoutMs: timerMs,
    fetch: functionOf<typeof fetch>('a fetch function'),
  },
)
