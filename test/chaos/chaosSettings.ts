import type { ActionName } from '../../src/graph/actionCatalog.js'
import type { Prng } from '../../src/simulator/createPrng.js'
import type { SimulatorFaults } from '../../src/simulator/index.js'

// --- settings

/** Every fault of the simulator at once, for every call (each call draws its own `Retry-After`). */
export const chaosFaults: SimulatorFaults = {
  answerLatencyMs: [0, 30],
  notificationLatencyMs: [0, 60],
  throttleRate: 0.05,
  unavailableRate: 0.03,
  dropRate: 0.03,
  duplicateRate: 0.05,
  reorderWindowMs: 20,
  notifyBeforeAnswer: 0.1,
  idVariants: 0.25,
  failRate: 0.05,
  inviteIdNull: 0.5,
  // Graph's 400 or 404 after the operation timed out: longer than the timeouts drawn from 2 to 3.5 s
  // (those from 4 to 5 s see an ordinary refusal), shorter than the Graph client's wait for an
  // answer (its retry budget, 4 s in the run), so callops hears it.
  lateRefusalRate: 0.02,
  lateRefusalMs: 3_900,
  // Whole calls: established before establishing, tones repeated and swapped, answers reaching Graph
  // after its deadline (202, then terminated 408/1106), transfers failing back to established
  // (500/7000), end codes spelled as strings.
  establishedFirst: 0.2,
  toneRepeatRate: 0.1,
  toneReorderRate: 0.15,
  answerTooLate: 0.05,
  transferFailRate: 0.15,
  stringResultCodes: 0.3,
}

/** Share of the calls played as whole calls (rung or outgoing, answered, tones, hold, transfer or hang-up). */
export const WHOLE_CALL_SHARE = 0.25

const shares = [
  'throttleRate',
  'unavailableRate',
  'dropRate',
  'duplicateRate',
  'notifyBeforeAnswer',
  'idVariants',
  'failRate',
  'lateRefusalRate',
  'establishedFirst',
  'toneRepeatRate',
  'toneReorderRate',
  'answerTooLate',
  'transferFailRate',
] as const
/** {@link chaosFaults} with every share multiplied by `scale` (capped at 1), for harsher or gentler runs. */
export const scaledFaults = (scale: number): SimulatorFaults => {
  const faults: Record<string, unknown> = { ...chaosFaults }
  for (const k of shares) faults[k] = Math.min(1, (chaosFaults[k] ?? 0) * scale)
  return faults
}

/** What a chaos run does. */
export interface ChaosOptions {
  /** Seeds the scripts, the timeouts and the simulator's faults. */
  readonly seed: number
  readonly calls: number
  /** Operations per call (the run makes `calls × operationsPerCall`). */
  readonly operationsPerCall: number
  /** Calls played at once. */
  readonly concurrency: number
  /** Multiplies every fault share of {@link chaosFaults} (default 1). */
  readonly faultScale?: number
  /** How long an ended call stays in the orchestrator (short, so the end-of-run checks need not wait). */
  readonly endedCallRetentionMs?: number
  /** Share of the calls played as whole calls (default {@link WHOLE_CALL_SHARE}). */
  readonly wholeCallShare?: number
  /** Called after each call ends. */
  readonly onCallDone?: (done: number, total: number) => void
}

/**
 * Sizes and seed from the environment: `CHAOS_FULL=1` (1,000 calls at 150 at once instead of 60
 * calls all at once), `CHAOS_SEED`, `CHAOS_CALLS`, `CHAOS_OPS_PER_CALL` (10), `CHAOS_CONCURRENCY`,
 * `CHAOS_FAULT_SCALE` (1).
 */
export const chaosOptionsFromEnv = (env: NodeJS.ProcessEnv, defaults: { readonly seed: number }): ChaosOptions => {
  const full = env['CHAOS_FULL'] === '1'
  const int = (name: string, fallback: number): number => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    const n = Number(raw)
    if (!Number.isSafeInteger(n) || n < (name === 'CHAOS_SEED' ? 0 : 1)) throw new TypeError(`Expected \`${name}\` to be a positive integer, got ${raw}.`)
    return n
  }
  const scale = (raw: string | undefined): number => {
    if (raw === undefined || raw === '') return 1
    const n = Number(raw)
    if (!Number.isFinite(n) || n < 0) throw new TypeError(`Expected \`CHAOS_FAULT_SCALE\` to be a number ≥ 0, got ${raw}.`)
    return n
  }
  return {
    seed: int('CHAOS_SEED', defaults.seed),
    calls: int('CHAOS_CALLS', full ? 1_000 : 60),
    operationsPerCall: int('CHAOS_OPS_PER_CALL', 10),
    concurrency: int('CHAOS_CONCURRENCY', full ? 150 : 60),
    faultScale: scale(env['CHAOS_FAULT_SCALE']),
  }
}

/** Each action's timeout, 2 to 5 s in steps of 0.5 s, drawn from the run's seed. */
export const drawTimeouts = (rand: Prng): Record<ActionName, number> => {
  const draw = (): number => 2_000 + 500 * Math.floor(rand.next() * 7)
  return {
    startHoldMusic: draw(),
    stopHoldMusic: draw(),
    unmute: draw(),
    mute: draw(),
    muteParticipant: draw(),
    playPrompt: draw(),
    recordResponse: draw(),
    sendDtmfTones: draw(),
    subscribeToTone: draw(),
    cancelMediaProcessing: draw(),
    updateRecordingStatus: draw(),
    inviteParticipants: draw(),
    addLargeGalleryView: draw(),
  }
}

