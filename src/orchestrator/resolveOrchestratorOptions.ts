import type { ActionName } from '../domain/ActionName.js'
import { actionNames } from '../domain/ActionName.js'
import type { HoldPolicy } from '../domain/HoldPolicy.js'
import { actionCatalog } from '../graph/actionCatalog.js'
import type { CallOrchestratorOptions } from './CallOrchestrator.js'

/** The orchestrator's numeric options and policy with their defaults applied. */
export interface ResolvedOptions {
  readonly holdPolicy: HoldPolicy
  readonly timeouts: Readonly<Record<ActionName, number>>
  readonly maxCalls: number
  readonly maxPendingOperations: number
  readonly endedCallRetentionMs: number
  readonly sweepIntervalMs: number
  readonly instanceTtlMs: number
}

const positive = (name: string, value: number | undefined, fallback: number): number => {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`Expected \`${name}\` to be a positive number, got ${value}.`)
  return value
}

/** Checks the options and applies the defaults; throws a TypeError naming a bad option. */
export const resolveOrchestratorOptions = (options: CallOrchestratorOptions): ResolvedOptions => {
  const timeouts = {} as Record<ActionName, number>
  for (const action of actionNames) {
    timeouts[action] = positive(`timeouts.${action}`, options.timeouts?.[action], actionCatalog[action].defaultTimeoutMs)
  }
  if (options.notificationAuth === undefined) {
    throw new TypeError('Expected `notificationAuth`: authentication options, or `false` to turn checking off.')
  }
  return {
    holdPolicy: options.holdPolicy ?? 'reject',
    timeouts,
    maxCalls: positive('maxCalls', options.maxCalls, 100_000),
    maxPendingOperations: positive('maxPendingOperations', options.maxPendingOperations, 100_000),
    endedCallRetentionMs: positive('endedCallRetentionMs', options.endedCallRetentionMs, 60_000),
    sweepIntervalMs: positive('sweepIntervalMs', options.sweepIntervalMs, 1_000),
    instanceTtlMs: positive('instanceTtlMs', options.instanceTtlMs, 10_000),
  }
}
