import { randomInt, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { decode } from '../codecs/decode.js'
import type { CreateCallInput, ParticipantSeed, RingInput } from './adminBodies.js'
import type { Tone } from '../codecs/requestBodies.js'
import { createCallLifecycle } from './createCallLifecycle.js'
import { createTonePad } from './createTonePad.js'
import type { PressedTone } from './createTonePad.js'
import { createNotificationSigner } from './createNotificationSigner.js'
import { createNotifier } from './createNotifier.js'
import { createRequestLog } from './createRequestLog.js'
import type { RecordedRequest } from './createRequestLog.js'
import { createSimulatorCore } from './createSimulatorCore.js'
import { createSimulatorFeed } from './createSimulatorFeed.js'
import { createSimulatorStats } from './createSimulatorStats.js'
import type { SimulatorStats } from './createSimulatorStats.js'
import { createGraphRouter } from './graphRoutes.js'
import { adminPrefix, handleAdminRequest } from './handleAdminRequest.js'
import { handleGraphRequest } from './handleGraphRequest.js'
import type { HoldInterval, SimCallView, SimParticipantView } from './SimCall.js'
import type { SimulatorError } from './SimulatorError.js'
import { mergeFaults, noFaults, SimulatorFaults } from './SimulatorFaults.js'
import type { ResolvedFaults } from './SimulatorFaults.js'
import type { LiveViewSource } from '../view/createLiveView.js'
import { SIMULATOR_APP_ID, SIMULATOR_ISSUER, SIMULATOR_TENANT_ID } from './simulatorIdentity.js'

/** How to start a simulator. Every option has a default. */
export interface SimulatorOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number
  /** Seed of every chance the simulator takes (ids, faults); random when absent, and shown as `simulator.seed`. */
  readonly seed?: number
  /** Faults for every call (each call may override them). All off by default. */
  readonly faults?: SimulatorFaults
  /** The `aud` claim of notification tokens (default {@link SIMULATOR_APP_ID}). */
  readonly appId?: string
  /** The `tid` claim of notification tokens (default {@link SIMULATOR_TENANT_ID}). */
  readonly tenantId?: string
  /** Ended calls kept for inspection before the oldest are forgotten (default 10,000). */
  readonly maxEndedCalls?: number
  /** The clock of hold intervals (default `Date.now`). */
  readonly now?: () => number
  /** How long a rung call waits in `incoming` for answer, reject or redirect (default 15,000 ms, as Graph documents). */
  readonly answerDeadlineMs?: number
}

/** A running simulator of the Graph calls API. */
export interface Simulator {
  /** `http://127.0.0.1:<port>`: the admin API lives under `/_sim/`. */
  readonly url: string
  /** The Graph base URL to give a client instead of `https://graph.microsoft.com/v1.0`. */
  readonly graphUrl: string
  readonly port: number
  readonly seed: number
  readonly appId: string
  readonly tenantId: string
  /** OpenID metadata whose keys verify the notification tokens. */
  readonly openIdConfigUrl: string
  /** The JWKS of the notification tokens. */
  readonly jwksUrl: string
  /** Creates a call whose notifications go to `callbackUrl` (loopback only). */
  readonly createCall: (input: CreateCallInput) => E.Either<SimulatorError, SimCallView>
  /**
   * Rings the bot: a call in state `incoming` whose `created` notification names the caller in
   * `source` and the bot in `targets`. It waits for answer, reject or redirect until its answer
   * deadline, then ends `terminated` with 408/1106.
   */
  readonly ring: (input: RingInput) => E.Either<SimulatorError, SimCallView>
  /**
   * The caller presses keys: one `updated` call notification with `toneInfo` per tone, once the
   * bot's subscribeToTone completed (Conflict before). Resolves once they were posted.
   */
  readonly pressKeys: (callId: string, tones: readonly Tone[]) => Promise<E.Either<SimulatorError, PressedTone[]>>
  /** Ends a call; resolves once its `terminated` notification was posted (or dropped). */
  readonly hangUp: (callId: string) => Promise<E.Either<SimulatorError, SimCallView>>
  /** Adds a participant; resolves once the roster update was posted (or dropped). */
  readonly join: (callId: string, participant?: ParticipantSeed) => Promise<E.Either<SimulatorError, SimParticipantView>>
  /** Removes a participant, ending its hold; resolves once the `deleted` roster notification was posted. */
  readonly leave: (callId: string, participantId: string) => Promise<E.Either<SimulatorError, SimParticipantView>>
  /** The call as the simulator knows it. */
  readonly call: (callId: string) => E.Either<SimulatorError, SimCallView>
  /** Every hold interval of the call, in the order they began. */
  readonly holds: (callId: string) => E.Either<SimulatorError, HoldInterval[]>
  /** Changes faults for the whole simulator, or for one call when `callId` is given. */
  readonly setFaults: (faults: SimulatorFaults, callId?: string) => E.Either<SimulatorError, ResolvedFaults>
  readonly stats: () => SimulatorStats
  /**
   * The simulator's calls for callops's live view: `createLiveView().attach(simulator.viewSource)`
   * shows them live (holds, refused holds, operations), with no bot running.
   */
  readonly viewSource: LiveViewSource
  /** The last 10,000 Graph requests, with their `client-request-id`. */
  readonly requests: () => RecordedRequest[]
  /** Resolves when no notification is waiting or in flight. */
  readonly idle: () => Promise<void>
  /** Stops the server; notifications not yet sent are discarded. */
  readonly close: () => Promise<void>
}

const fail = (message: string): never => {
  throw new TypeError(message)
}

const validated = (options: SimulatorOptions): { port: number; seed: number; faults: ResolvedFaults } => {
  const port = options.port ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`Expected \`port\` to be an integer from 0 to 65535, got ${String(options.port)}.`)
  const seed = options.seed ?? randomInt(2 ** 31)
  if (!Number.isInteger(seed)) fail(`Expected \`seed\` to be an integer, got ${String(options.seed)}.`)
  const faults = decode(SimulatorFaults, options.faults ?? {})
  if (E.isLeft(faults)) return fail(`Invalid \`faults\`: ${faults.left.message}.`)
  if (options.answerDeadlineMs !== undefined && !(Number.isFinite(options.answerDeadlineMs) && options.answerDeadlineMs >= 0)) {
    fail(`Expected \`answerDeadlineMs\` to be a number ≥ 0, got ${String(options.answerDeadlineMs)}.`)
  }
  if (options.maxEndedCalls !== undefined && !(Number.isInteger(options.maxEndedCalls) && options.maxEndedCalls >= 0)) {
    fail(`Expected \`maxEndedCalls\` to be a non-negative integer, got ${String(options.maxEndedCalls)}.`)
  }
  return { port, seed, faults: mergeFaults(noFaults, faults.right) }
}

/**
 * Starts a simulator of the Graph calls API on 127.0.0.1: every action of the catalog, the
 * single-hold rule as ground truth, notifications signed with its own keys, seeded faults.
 * Rejects at once (TypeError) on bad options.
 *
 * @example
 * ```ts
 * const sim = await createSimulator({ seed: 42 })
 * const call = sim.createCall({ callbackUrl: 'http://127.0.0.1:4000/callback', participants: [{}, {}] })
 * // point the bot's Graph client at sim.graphUrl, its notification auth at sim.openIdConfigUrl
 * await sim.close()
 * ```
 */
export const createSimulator = async (options: SimulatorOptions = {}): Promise<Simulator> => {
  const { port, seed, faults } = validated(options)
  const appId = options.appId ?? SIMULATOR_APP_ID
  const tenantId = options.tenantId ?? SIMULATOR_TENANT_ID
  const now = options.now ?? Date.now
  const signer = await createNotificationSigner({ issuer: SIMULATOR_ISSUER, appId, tenantId }, `callops-sim-${randomUUID()}`)
  const stats = createSimulatorStats()
  const log = createRequestLog(10_000)
  const notifier = createNotifier(signer, stats)
  let baseUrl = ''
  const feed = createSimulatorFeed({ get: (callId) => core.get(callId), stats: stats.snapshot })
  const core = createSimulatorCore({
    observe: feed.observe,
    seed,
    faults,
    appId,
    now,
    notifier,
    stats,
    graphBase: () => `${baseUrl}/v1.0`,
    baseUrl: () => baseUrl,
    maxEndedCalls: options.maxEndedCalls ?? 10_000,
  })
  const lifecycle = createCallLifecycle({ core, appId, tenantId, graphBase: () => `${baseUrl}/v1.0`, answerDeadlineMs: options.answerDeadlineMs ?? 15_000 })
  const tonePad = createTonePad(core)
  const graph = { core, lifecycle, route: createGraphRouter(), stats, log, now }
  const admin = { core, lifecycle, tonePad, stats, log, signer, issuer: SIMULATOR_ISSUER, baseUrl: () => baseUrl }

  const server = createServer((req, res) => {
    const handled = (req.url ?? '').startsWith(adminPrefix) ? handleAdminRequest(req, res, admin) : handleGraphRequest(req, res, graph)
    handled.catch((e: unknown) => {
      // A bug of the simulator: answer 500 rather than leave the client hanging.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: { code: 'InternalServerError', message: e instanceof Error ? e.message : String(e) } }))
    })
  })
  server.keepAliveTimeout = 10_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const actualPort = (server.address() as AddressInfo).port
  baseUrl = `http://127.0.0.1:${actualPort}`

  let closing: Promise<void> | undefined
  return {
    url: baseUrl,
    graphUrl: `${baseUrl}/v1.0`,
    port: actualPort,
    seed,
    appId,
    tenantId,
    openIdConfigUrl: `${baseUrl}/_sim/openid/.well-known/openid-configuration`,
    jwksUrl: `${baseUrl}/_sim/openid/keys`,
    createCall: (input) => core.createCall(input),
    ring: (input) => lifecycle.ring(input),
    pressKeys: (callId, tones) => tonePad.press(callId, { tones }),
    hangUp: core.hangUp,
    join: (callId, participant) => core.join(callId, participant ?? {}),
    leave: core.leave,
    call: core.view,
    holds: core.holds,
    setFaults: (f, callId) => core.setFaults(f, callId),
    stats: stats.snapshot,
    viewSource: { subscribe: feed.subscribe, getCall: feed.getCall, stats: feed.stats },
    requests: log.list,
    idle: notifier.idle,
    close: () =>
      (closing ??= (async () => {
        core.close()
        await notifier.close()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
      })()),
  }
}
