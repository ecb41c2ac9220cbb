import type { OrchestratorEvent } from '../runtime/OrchestratorEvent.js'
import type { ToneSource } from '../orchestrator/collectDigits.js'

/**
 * The first orchestrator event that `pick` maps to a value, or `undefined` after `ms`. Listens from
 * the call on, so start it before the request that causes the event.
 */
export const nextEvent = <T>(source: ToneSource, pick: (e: OrchestratorEvent) => T | undefined, ms: number): Promise<T | undefined> =>
  new Promise((resolve) => {
    // Unref'd: a wait nobody needs any more must not keep the process up.
    const timer = setTimeout(() => finish(undefined), ms).unref()
    const finish = (value: T | undefined): void => {
      clearTimeout(timer)
      unsubscribe()
      resolve(value)
    }
    const unsubscribe = source.subscribe((e) => {
      const value = pick(e)
      if (value !== undefined) finish(value)
    })
  })
