import type { Logger } from '../logging/Logger.js'
import type { OrchestratorEvent, OrchestratorListener } from './OrchestratorEvent.js'
import { errorText } from './errorText.js'

/** Hands each event to every listener; a listener that throws is logged and does not stop the others. */
export interface EventPublisher {
  /** Whether anyone listens: callers build an event only then. */
  readonly listening: () => boolean
  readonly publish: (event: OrchestratorEvent) => void
  /** Adds a listener; the result removes it. */
  readonly subscribe: (listener: OrchestratorListener) => () => void
}

/** Creates the orchestrator's {@link EventPublisher}. */
export const createEventPublisher = (logger: Logger): EventPublisher => {
  const listeners = new Set<OrchestratorListener>()
  return {
    listening: () => listeners.size > 0,
    publish: (event) => {
      for (const l of listeners) {
        try {
          l(event)
        } catch (err) {
          logger.error({ err: errorText(err) }, 'subscriber threw')
        }
      }
    },
    subscribe: (listener) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
}
