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
  /**
   * Runs `fn` (the handling of a notification batch) with the transitions and call news it publishes
   * held back until the next turn of the event loop (`setImmediate`), after the webhook's answer has
   * been written: a slow listener cannot delay the 2xx Graph waits for. Held events keep their order.
   * Outcomes (`settled`, `callActionSettled`, `lateOutcome`) stay synchronous: they travel with the bot's own awaited result.
   * An event published outside a batch first delivers what a batch still holds back.
   */
  readonly afterAnswer: <T>(fn: () => T) => T
}

const notHeld: ReadonlySet<OrchestratorEvent['type']> = new Set(['settled', 'lateOutcome', 'request', 'answer', 'callActionRequest', 'callActionAnswer', 'callActionSettled'])
const heldBack = (event: OrchestratorEvent): boolean => !notHeld.has(event.type)

/** Creates the orchestrator's {@link EventPublisher}. */
export const createEventPublisher = (logger: Logger): EventPublisher => {
  const listeners = new Set<OrchestratorListener>()
  const held: OrchestratorEvent[] = []
  let holding = 0
  let scheduled = false
  const deliver = (event: OrchestratorEvent): void => {
    for (const l of listeners) {
      try {
        l(event)
      } catch (err) {
        logger.error({ err: errorText(err) }, 'subscriber threw')
      }
    }
  }
  const flush = (): void => {
    scheduled = false
    for (const event of held.splice(0)) deliver(event)
  }
  return {
    listening: () => listeners.size > 0,
    publish: (event) => {
      if (holding === 0) {
        // Outside a batch nothing waits: what a batch held back is told first, so the order holds.
        if (held.length > 0) flush()
        return deliver(event)
      }
      if (!heldBack(event)) return deliver(event)
      held.push(event)
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
    },
    subscribe: (listener) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    afterAnswer: (fn) => {
      holding++
      try {
        return fn()
      } finally {
        holding--
      }
    },
  }
}
