export { actionCatalog, actionNames } from './actionCatalog.js'
export type { ActionBody, ActionName, ActionScope, ActionSpec } from './actionCatalog.js'
export { createGraphClient } from './createGraphClient.js'
export type {
  AcceptedOperation,
  ActionRequest,
  GraphActions,
  GraphClient,
  GraphClientOptions,
  KeepAliveOptions,
  TokenCredentialLike,
} from './createGraphClient.js'
export { canonicalId, validateClientContext, validatePathId } from './pathId.js'
export type { RetryOptions } from './retry.js'
