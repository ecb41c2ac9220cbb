import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { StateMachine } from 'xstate'
import { callMachine, type CallMachine } from '../../machines/call.machine.js'
import type { HoldPolicy as HoldPolicyName } from '../../machines/callTypes.js'
import { decodeOptions, type OptionsError } from '../codecs/options/decodeOptions.js'
import { positiveInteger, timerMs } from '../codecs/options/numberIn.js'
import { objectWith, type MemberKind } from '../codecs/options/objectWith.js'
import { optionValue, type OptionType } from '../codecs/options/OptionType.js'
import { orFalse } from '../codecs/options/orFalse.js'
import { strictObject } from '../codecs/options/strictObject.js'
import { actionCatalog, actionNames, type ActionName } from '../graph/actionCatalog.js'
import type { GraphClient } from '../graph/createGraphClient.js'
import { GraphClientOptions } from '../graph/GraphClientOptions.js'
import { LoggerOption } from '../codecs/options/LoggerOption.js'
import { silentLogger, type Logger } from '../logging/Logger.js'
import { NotificationAuthOptions } from '../notifications/auth/NotificationAuthOptions.js'
import { DEFAULT_BODY_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_NOTIFICATIONS_PER_BATCH } from '../notifications/createNotificationHandler.js'
import type { TracerLike } from '../observability/TracerLike.js'
import { createMemoryStore } from '../stores/createMemoryStore.js'
import type { SnapshotStore } from '../stores/SnapshotStore.js'
import type { CallOrchestratorOptions } from './CallOrchestrator.js'
import { systemClock, type Clock } from '../domain/Clock.js'
import { HoldPolicy } from './HoldPolicy.js'
import { DEFAULT_CALL_ACTION_TIMEOUTS_MS } from './CallActionMethods.js'
import type { CallActionName } from '../domain/CallAction.js'
import { KEEP_ALIVE_MIN_MS, KeepAliveSchedule } from '../runtime/keepAliveScheduler.js'

/** {@link CallOrchestratorOptions} once checked, with every default applied. */
export interface ResolvedOrchestratorOptions {
  /** As given: options for a new Graph client, or a client already made. */
  readonly graph: CallOrchestratorOptions['graph']
  readonly notificationAuth: NotificationAuthOptions | false
  /** A new memory store when none was given. */
  readonly store: SnapshotStore
  readonly holdPolicy: HoldPolicyName
  /** Every action's timeout: the one given, else the catalog's default. */
  readonly timeouts: Readonly<Record<ActionName, number>>
  /** Every call action's timeout: the one given, else `DEFAULT_CALL_ACTION_TIMEOUTS_MS`. */
  readonly callActionTimeouts: Readonly<Record<CallActionName, number>>
  readonly logger: Logger
  /** Absent when none was given. */
  readonly inspect?: NonNullable<CallOrchestratorOptions['inspect']>
  readonly maxCalls: number
  readonly maxPendingOperations: number
  readonly endedCallRetentionMs: number
  readonly maxBodyBytes: number
  readonly bodyTimeoutMs: number
  readonly maxNotificationsPerBatch: number
  readonly clock: Clock
  readonly keepAlive: { readonly intervalMs: number } | false
  /** Absent when none was given. */
  readonly tracer?: TracerLike
  readonly sweepIntervalMs: number
  readonly instanceTtlMs: number
  /** `callMachine` when none was given. */
  readonly machine: CallMachine
}

// --- the services an orchestrator is given, recognised by their members

const Clock = objectWith<Clock>('a clock', { now: 'function', setTimeout: 'function', clearTimeout: 'function', monotonic: 'optional function' })

const Tracer = objectWith<TracerLike>('an OpenTelemetry tracer', { startSpan: 'function' })

const SnapshotStore = objectWith<SnapshotStore>('a SnapshotStore (as createMemoryStore and createRedisStore make)', {
  durable: 'boolean',
  load: 'function',
  save: 'function',
  listOpen: 'function',
  delete: 'function',
  settlement: 'function',
  subscribe: 'function',
  scheduleDeadline: 'function',
  claimDeadlines: 'function',
  releaseDeadline: 'function',
  setOperationOwner: 'optional function',
  operationOwners: 'optional function',
  heartbeat: 'function',
  isAlive: 'function',
  forgetInstance: 'function',
  subscriptionHealth: 'function',
  close: 'function',
  // Every member of the contract, so that one added to SnapshotStore must be added here.
} satisfies Record<keyof SnapshotStore, MemberKind>)

const GraphClient = objectWith<GraphClient>('a Graph client (as createGraphClient makes)', { send: 'function', keepAlive: 'function', close: 'function' })

const GivenClient = strictObject('{ client }', { client: GraphClient }, {})

// `{ client }` when a `client` key is there, else the options of a new client: the message then
// speaks of the form the bot meant.
const GraphOption = new t.Type<CallOrchestratorOptions['graph'], CallOrchestratorOptions['graph'], unknown>(
  'Graph client options (an object with getToken or credential), or { client }',
  (u): u is CallOrchestratorOptions['graph'] => GivenClient.is(u) || GraphClientOptions.is(u),
  (u, c) => (typeof u === 'object' && u !== null && 'client' in u ? GivenClient.validate(u, c) : GraphClientOptions.validate(u, c)),
  t.identity,
)

type Inspect = NonNullable<CallOrchestratorOptions['inspect']>
const observerMembers = ['next', 'error', 'complete'] as const
const isInspect = (u: unknown): u is Inspect => {
  if (typeof u === 'function') return true
  if (typeof u !== 'object' || u === null) return false
  const o = u as Partial<Record<(typeof observerMembers)[number], unknown>>
  return observerMembers.some((m) => o[m] !== undefined) && observerMembers.every((m) => o[m] === undefined || typeof o[m] === 'function')
}
const isCallMachine = (u: unknown): u is CallMachine => u instanceof StateMachine && u.id === callMachine.id
const Machine: OptionType<CallMachine> = optionValue('callMachine, or callMachine.provide({ ... })', isCallMachine)

const Inspect: OptionType<Inspect> = optionValue('an inspection function, or an observer with next, error or complete functions', isInspect)

const Timeouts = strictObject(
  'timeouts per action (an object of milliseconds)',
  {},
  Object.fromEntries(actionNames.map((a) => [a, timerMs])) as Record<ActionName, typeof timerMs>,
)

const CallActionTimeouts = strictObject(
  'timeouts per call action (an object of milliseconds)',
  {},
  Object.fromEntries(Object.keys(DEFAULT_CALL_ACTION_TIMEOUTS_MS).map((a) => [a, timerMs])) as Record<CallActionName, typeof timerMs>,
)

const NotificationAuth = orFalse(NotificationAuthOptions)

const optionalMembers = {
  store: SnapshotStore,
  holdPolicy: HoldPolicy,
  timeouts: Timeouts,
  callActionTimeouts: CallActionTimeouts,
  logger: LoggerOption,
  inspect: Inspect,
  maxCalls: positiveInteger,
  maxPendingOperations: positiveInteger,
  endedCallRetentionMs: timerMs,
  maxBodyBytes: positiveInteger,
  bodyTimeoutMs: timerMs,
  maxNotificationsPerBatch: positiveInteger,
  clock: Clock,
  keepAlive: orFalse(KeepAliveSchedule),
  tracer: Tracer,
  sweepIntervalMs: timerMs,
  instanceTtlMs: timerMs,
  machine: Machine,
}

/**
 * Checks {@link CallOrchestratorOptions}: `graph` and `notificationAuth` are required, every other
 * key is optional, unknown keys are refused at every level.
 */
export const CallOrchestratorOptionsCodec: t.Type<CallOrchestratorOptions, CallOrchestratorOptions, unknown> = strictObject(
  'orchestrator options (an object with graph and notificationAuth)',
  { graph: GraphOption, notificationAuth: NotificationAuth },
  optionalMembers,
)

// The codec names every option of the public type, and no other.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false
const everyOptionHasACodec: SameKeys<CallOrchestratorOptions, typeof optionalMembers & { graph: unknown; notificationAuth: unknown }> = true
void everyOptionHasACodec

/** Every action's timeout: the one configured, else the catalog's default. */
const timeoutsOf = (given: CallOrchestratorOptions['timeouts']): Record<ActionName, number> => {
  const timeouts = {} as Record<ActionName, number>
  for (const a of actionNames) timeouts[a] = given?.[a] ?? actionCatalog[a].defaultTimeoutMs
  return timeouts
}

/**
 * Checks the options of `createCallOrchestrator` and applies every default. Nothing is started:
 * the Graph client is built by the orchestrator from `graph`, and the default store is a fresh
 * memory store (no I/O, no timers).
 *
 * @returns the resolved options, or an {@link OptionsError} whose message names each refused
 *   option by its full path, what was given and what is allowed.
 * @example
 * ```ts
 * decodeOrchestratorOptions({ graph: { getToken }, notificationAuth: false, holdPolicy: 'Queue' })
 * // Left: Invalid option `holdPolicy`: got "Queue"; expected one of "reject", "queue", "swap" (names are case-sensitive: "queue").
 * ```
 */
export const decodeOrchestratorOptions = (input: unknown): E.Either<OptionsError, ResolvedOrchestratorOptions> => {
  const decoded = decodeOptions(CallOrchestratorOptionsCodec, input)
  if (E.isLeft(decoded)) return decoded
  const o = decoded.right
  const resolved: ResolvedOrchestratorOptions = {
    graph: o.graph,
    notificationAuth: o.notificationAuth,
    store: o.store ?? createMemoryStore(),
    holdPolicy: o.holdPolicy ?? 'reject',
    timeouts: timeoutsOf(o.timeouts),
    callActionTimeouts: { ...DEFAULT_CALL_ACTION_TIMEOUTS_MS, ...o.callActionTimeouts },
    logger: o.logger ?? silentLogger,
    maxCalls: o.maxCalls ?? 100_000,
    maxPendingOperations: o.maxPendingOperations ?? 100_000,
    endedCallRetentionMs: o.endedCallRetentionMs ?? 60_000,
    maxBodyBytes: o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    bodyTimeoutMs: o.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
    maxNotificationsPerBatch: o.maxNotificationsPerBatch ?? DEFAULT_MAX_NOTIFICATIONS_PER_BATCH,
    clock: o.clock ?? systemClock,
    keepAlive: o.keepAlive === false ? false : { intervalMs: o.keepAlive?.intervalMs ?? KEEP_ALIVE_MIN_MS },
    sweepIntervalMs: o.sweepIntervalMs ?? 1_000,
    instanceTtlMs: o.instanceTtlMs ?? 10_000,
    machine: o.machine ?? callMachine,
    ...(o.inspect === undefined ? {} : { inspect: o.inspect }),
    ...(o.tracer === undefined ? {} : { tracer: o.tracer }),
  }
  return E.right(resolved)
}

/**
 * {@link decodeOrchestratorOptions} for the constructor: the resolved options, or a `TypeError`.
 *
 * @throws TypeError when an option is refused, e.g. ``Unknown option `timeouts.startHoldMusc`; known: startHoldMusic, ...``
 * @example
 * ```ts
 * const o = orchestratorOptions(options)
 * ```
 */
export const orchestratorOptions = (input: unknown): ResolvedOrchestratorOptions => {
  const r = decodeOrchestratorOptions(input)
  if (E.isLeft(r)) throw new TypeError(r.left.message)
  return r.right
}
