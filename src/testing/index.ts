/**
 * Helpers for testing a bot built on callops: a controlled clock and Graph notification builders.
 *
 * @module callops/testing
 */
// Helpers for testing a bot built on callops ('callops/testing'). Each name is exported explicitly.

export { controlledClock } from './controlledClock.js'
export type { ControlledClock } from './controlledClock.js'
export {
  callTerminated,
  notificationBatch,
  operationNotification,
  rosterLeft,
  rosterUpdated,
} from './graphNotifications.js'
export type { GraphJson, OperationNotice } from './graphNotifications.js'
