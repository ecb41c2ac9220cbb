import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { decode } from '../codecs/decode.js'

const intIn = (name: string, min: number, max: number) =>
  t.refinement(t.number, (n) => Number.isInteger(n) && n >= min && n <= max, `${name} (an integer from ${min} to ${max})`)

const nonEmpty = t.refinement(t.string, (s) => s.length > 0, 'a non-empty string')

/**
 * Options of {@link createLiveView}, as a codec: they are decoded (not trusted), and a bad value
 * fails at once with the path that is wrong.
 */
export const LiveViewOptions = t.partial({
  /** Interface `listen()` binds. Default `127.0.0.1`: the page shows identities and phone numbers. */
  host: nonEmpty,
  /** Port `listen()` binds. Default 0: a free one (the URL tells which). */
  port: intIn('Port', 0, 65_535),
  /** When set, the page and its stream answer only with `?token=` or `Authorization: Bearer` equal to it. */
  token: nonEmpty,
  /** Pages open at once; more are answered 503. Default 8. */
  maxClients: intIn('MaxClients', 1, 1_000),
  /** Bytes queued for one page before it counts as stalled and is dropped. Default 1 MiB. */
  maxBufferedBytes: intIn('MaxBufferedBytes', 1_024, 256 * 1_048_576),
  /** Recent messages replayed to a page that opens while others are open (its history). Default 5,000. */
  replayLimit: intIn('ReplayLimit', 0, 1_000_000),
  /** Call ids the view remembers to list when a page opens; beyond it the oldest are forgotten. Default 10,000. */
  maxTrackedCalls: intIn('MaxTrackedCalls', 1, 10_000_000),
})
/** Options of {@link createLiveView}: every field optional. */
export type LiveViewOptions = t.TypeOf<typeof LiveViewOptions>

/** {@link LiveViewOptions} with every default filled in. */
export type ResolvedLiveViewOptions = Required<Omit<LiveViewOptions, 'token'>> & Pick<LiveViewOptions, 'token'>

/** Decodes the options and fills in the defaults; a bad option is a TypeError naming it. */
export const resolveLiveViewOptions = (input: unknown): ResolvedLiveViewOptions => {
  const r = decode(LiveViewOptions, input ?? {})
  if (E.isLeft(r)) throw new TypeError(`Invalid live view option ${r.left.message}.`)
  const o = r.right
  return {
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 0,
    maxClients: o.maxClients ?? 8,
    maxBufferedBytes: o.maxBufferedBytes ?? 1_048_576,
    replayLimit: o.replayLimit ?? 5_000,
    maxTrackedCalls: o.maxTrackedCalls ?? 10_000,
    ...(o.token === undefined ? {} : { token: o.token }),
  }
}
