import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { leafPaths } from '../domain/leafPaths.js'
import { decodeShaped, type DecodeError } from './decode.js'
import { migrateCallSnapshot } from './migrateCallSnapshot.js'
import { OperationStatus } from './OperationStatus.js'
import { ResultInfo } from './ResultInfo.js'
import { ActionNameCodec, CallOpsErrorValue, IncomingCallValue, OperationValue, RosterEntryValue } from './storedValues.js'

/** The schema version of the call snapshots callops writes. Raise it with each change of shape, and add a migration. */
export const CALL_SNAPSHOT_VERSION = 4

/** What callops stores for a call: the call machine's persisted snapshot, under its schema version. */
export interface VersionedCallSnapshot {
  readonly schemaVersion: number
  /** `actor.getPersistedSnapshot()` of the call machine. */
  readonly call: unknown
}

/** The state values a snapshot may be in: the leaf paths of each machine (`established.hold.held`, `failed.timedOut`). */
export interface KnownStates {
  readonly call: ReadonlySet<string>
  readonly operation: ReadonlySet<string>
}

/** A stored snapshot callops cannot use: written by a newer version, or not of the shape its version promises. */
export interface SnapshotRefused {
  readonly _tag: 'SnapshotRefused'
  /** The schema version the snapshot claims (1 for one written before snapshots carried a version). */
  readonly schemaVersion: number
  readonly message: string
}

const isKnown = (paths: readonly string[] | undefined, known: ReadonlySet<string>): boolean =>
  paths !== undefined && paths.length > 0 && paths.every((p) => known.has(p))

// A parallel state (the call's `established`) has a leaf in each region: every one must be known.
const stateValue = (name: string, known: ReadonlySet<string>): t.Type<unknown, unknown, unknown> =>
  new t.Type<unknown, unknown, unknown>(
    name,
    (u): u is unknown => isKnown(leafPaths(u), known),
    (u, c) => {
      const paths = leafPaths(u)
      return isKnown(paths, known) ? t.success(u) : t.failure(u, c, `unknown state ${paths?.join(' + ') ?? JSON.stringify(u)}`)
    },
    (a) => a,
  )

const OperationReportValue = t.partial({
  id: t.union([t.string, t.null]),
  status: OperationStatus,
  clientContext: t.string,
  resultInfo: ResultInfo,
  completionReason: t.string,
  recordingLocation: t.string,
})

const CallStateDetailValue = t.partial({ resultInfo: ResultInfo, terminationReason: t.string, audio: t.string })

const ToneValue = t.intersection([t.type({ tone: t.string }), t.partial({ sequenceId: t.number })])

const ToneLogValue = t.intersection([t.type({ pending: t.array(ToneValue) }), t.partial({ last: t.number, gapUntil: t.number })])

const QueuedHoldValue = t.intersection([
  t.type({ clientContext: t.string, participantId: t.string, deadline: t.number }),
  t.partial({ body: t.unknown, swapFrom: t.string }),
])

const TimedOutStopValue = t.type({ clientContext: t.string, covers: t.array(t.string) })

const HoldSlotValue = t.intersection([
  t.type({ participantId: t.string, holdKey: t.string, attempts: t.array(t.string) }),
  t.partial({ operation: OperationValue, stopKey: t.string, timedOutStops: t.array(TimedOutStopValue) }),
])

const OperationContextValue = t.intersection([
  t.type({ operation: OperationValue, deadline: t.number }),
  t.partial({ early: OperationReportValue, error: CallOpsErrorValue, late: OperationValue, lateError: CallOpsErrorValue, reportsToCall: t.literal(true) }),
])

// Each operation's lifecycle lives in its in-flight entry (schema version 4): operationMachine's
// state value and context.
const inFlightValue = (operationState: t.Type<unknown, unknown, unknown>) =>
  t.intersection([
    t.type({ action: ActionNameCodec, deadline: t.number, op: t.type({ value: operationState, context: OperationContextValue }) }),
    t.partial({ participantId: t.string, body: t.unknown, id: t.string, timedOut: t.literal(true) }),
  ])

const callContextValue = (operationState: t.Type<unknown, unknown, unknown>) =>
  t.intersection([
    t.type({
      callId: t.string,
      holdPolicy: t.keyof({ reject: null, queue: null, swap: null }),
      kind: t.keyof({ group: null, peerToPeer: null, unknown: null }),
      roster: t.record(t.string, RosterEntryValue),
      queue: t.array(QueuedHoldValue),
      inFlight: t.record(t.string, inFlightValue(operationState)),
      orphans: t.record(t.string, OperationReportValue),
      joiners: t.record(t.string, t.array(t.string)),
    }),
    t.partial({
      botMuted: t.boolean,
      hold: HoldSlotValue,
      graphState: t.string,
      audio: t.string,
      incoming: IncomingCallValue,
      announced: t.literal(true),
      answerBy: t.number,
      transferFailure: CallStateDetailValue,
      groupByInvite: t.literal(true),
      termination: CallStateDetailValue,
      tones: ToneLogValue,
    }),
  ])

const persisted = <C extends t.Mixed>(name: string, value: t.Type<unknown, unknown, unknown>, context: C) =>
  t.intersection(
    [t.type({ status: t.literal('active'), value, context, children: t.UnknownRecord }), t.partial({ historyValue: t.UnknownRecord })],
    name,
  )

// The call machine runs no child actors (schema version 4): a stored call has none.
const NoChildren = new t.Type<Record<string, never>, Record<string, never>, unknown>(
  'NoChildren',
  (u): u is Record<string, never> => u !== null && typeof u === 'object' && !Array.isArray(u) && Object.keys(u).length === 0,
  (u, c) => (u !== null && typeof u === 'object' && !Array.isArray(u) && Object.keys(u).length === 0 ? t.success(u as Record<string, never>) : t.failure(u, c, 'a call snapshot has no children')),
  (a) => a,
)

const callSnapshotCodec = (known: KnownStates) =>
  t.intersection([persisted('CallSnapshot', stateValue('CallState', known.call), callContextValue(stateValue('OperationState', known.operation))), t.type({ children: NoChildren })], 'CallSnapshot')

const codecs = new WeakMap<KnownStates, ReturnType<typeof callSnapshotCodec>>()

/** The call machine's persisted snapshot, as {@link decodeCallSnapshot} accepts it. */
export type DecodedCallSnapshot = t.TypeOf<ReturnType<typeof callSnapshotCodec>>

const refused = (schemaVersion: number, message: string): SnapshotRefused => ({ _tag: 'SnapshotRefused', schemaVersion, message })

const versionOf = (stored: unknown): number | undefined => {
  if (stored === null || typeof stored !== 'object') return undefined
  if (!('schemaVersion' in stored)) return 'status' in stored && 'context' in stored ? 1 : undefined
  const v = stored.schemaVersion
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : undefined
}

/**
 * Reads what a store holds for a call: migrates a snapshot of an older schema version (a pure step
 * per version), refuses one of a newer version (a later deploy wrote it: never half-read), and
 * decodes the result against the machines' shape and state names before XState sees it.
 *
 * @param known - The state paths the running machines have (see {@link KnownStates}).
 * @example
 * ```ts
 * const r = decodeCallSnapshot(stored.snapshot, knownStates)
 * if (E.isLeft(r)) logger.error({ callId, err: r.left.message }, 'stored call refused')
 * ```
 */
export const decodeCallSnapshot = (stored: unknown, known: KnownStates): E.Either<SnapshotRefused, DecodedCallSnapshot> => {
  const version = versionOf(stored)
  if (version === undefined) return E.left(refused(0, 'not a call snapshot: no schemaVersion'))
  if (version > CALL_SNAPSHOT_VERSION) {
    return E.left(refused(version, `written by a newer callops (schema version ${version}; this one reads up to ${CALL_SNAPSHOT_VERSION})`))
  }
  const body = version === 1 ? stored : (stored as { readonly call?: unknown }).call
  let codec = codecs.get(known)
  if (codec === undefined) {
    codec = callSnapshotCodec(known)
    codecs.set(known, codec)
  }
  const decoded = decodeShaped(codec, migrateCallSnapshot(body, version))
  return E.mapLeft((e: DecodeError) => refused(version, `schema version ${version}: ${e.message}`))(decoded)
}

/** Wraps a persisted call snapshot with the schema version this callops writes. */
export const versionedCallSnapshot = (call: unknown): VersionedCallSnapshot => ({ schemaVersion: CALL_SNAPSHOT_VERSION, call })
