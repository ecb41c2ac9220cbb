import type * as t from 'io-ts'
import { functionOf } from '../codecs/options/functionOf.js'
import { objectWith } from '../codecs/options/objectWith.js'
import { optionValue } from '../codecs/options/OptionType.js'
import { stringMatching } from '../codecs/options/scalars.js'
import { strictObject } from '../codecs/options/strictObject.js'
import { RetryOptions } from './RetryOptions.js'

/** Anything shaped like `@azure/identity`'s `TokenCredential` (callops does not depend on it). */
export interface TokenCredentialLike {
  getToken(scopes: string | string[]): Promise<{ readonly token: string } | null>
}

/** Options of {@link createGraphClient}. Give exactly one of `getToken` and `credential`. */
export interface GraphClientOptions {
  /** Default `https://graph.microsoft.com/v1.0`. An absolute http or https URL without query or fragment. */
  readonly baseUrl?: string
  /** Returns an access token for Graph; called once per request (cache tokens in it). */
  readonly getToken?: () => Promise<string>
  /** A `TokenCredential`; asked for the scope `https://graph.microsoft.com/.default`. */
  readonly credential?: TokenCredentialLike
  /** Send with this `fetch` instead of the default undici pool. */
  readonly fetch?: typeof fetch
  /** Retries and time budget of each request; see {@link RetryOptions} for the defaults. */
  readonly retry?: RetryOptions
  /** Default `callops`. 1 to 256 printable ASCII characters (it goes into a header). */
  readonly userAgent?: string
}

const isBaseUrl = (u: unknown): u is string => {
  if (typeof u !== 'string' || !URL.canParse(u)) return false
  const url = new URL(u)
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.search === '' && url.hash === ''
}

/** Checks {@link GraphClientOptions}; unknown keys are refused. */
export const GraphClientOptions: t.Type<GraphClientOptions, GraphClientOptions, unknown> = strictObject(
  'Graph client options (an object with getToken or credential)',
  {},
  {
    baseUrl: optionValue('an absolute http or https URL without query or fragment', isBaseUrl),
    getToken: functionOf<() => Promise<string>>('a function returning a promise of an access token'),
    credential: objectWith<TokenCredentialLike>('a TokenCredential', { getToken: 'function' }),
    fetch: functionOf<typeof fetch>('a fetch function'),
    retry: RetryOptions,
    userAgent: stringMatching(/^[\x20-\x7e]{1,256}$/, '1 to 256 printable ASCII characters'),
  },
  (o) =>
    (o.getToken === undefined) === (o.credential === undefined)
      ? { expectation: { sentence: 'Expected exactly one of `getToken` and `credential`.' } }
      : undefined,
)
