/**
 * callops: Microsoft Graph call operations as XState state machines for call-center bots.
 *
 * @module callops
 */
// The public API of callops. Each name is exported explicitly; see docs/ for guides.

// --- orchestrator
export { createCallOrchestrator } from './orchestrator/createCallOrchestrator.js'
export type {
  ActionRequestOf,
  ActionResult,
  CallOrchestrator,
  CallOrchestratorOptions,
  CallRegistration,
  OrchestratorActions,
  OrchestratorStats,
  OrchestratorTaskEithers,
  ParticipantRequest,
  RequestBase,
} from './orchestrator/CallOrchestrator.js'
export type { CallView, OperationView } from './orchestrator/CallView.js'
export { DEFAULT_CALL_ACTION_TIMEOUTS_MS } from './orchestrator/CallActionMethods.js'
export type {
  AnswerRequest,
  CallActionAnswer,
  CallActionMethods,
  CallActionRequestBase,
  CreateCallRequest,
  HangUpRequest,
  RedirectRequest,
  RejectRequest,
  RemoveParticipantRequest,
  TransferRequest,
} from './orchestrator/CallActionMethods.js'
export type { CallActionName, CallActionOutcome, CallActionResult } from './domain/CallAction.js'
export type { Clock } from './domain/Clock.js'
export type { CallNewsEvent, OrchestratorEvent, OrchestratorListener } from './runtime/OrchestratorEvent.js'
export type { CallNewsListener } from './runtime/createCallWatchers.js'
export type { CallNews } from './domain/CallNews.js'
export { collectDigits } from './orchestrator/collectDigits.js'
export type { CollectDigitsFailure, CollectDigitsOptions, DigitsCollected, DigitsTimeout, ToneSource } from './orchestrator/collectDigits.js'
export type { KeepAliveSchedule } from './runtime/keepAliveScheduler.js'

// --- observability
export { traceOperations } from './observability/traceOperations.js'
export type { SpanAttributeValue, SpanLike, TracerLike } from './observability/TracerLike.js'

// --- domain values
export {
  answerTooLate,
  callActionFailed,
  callEnded,
  callFailed,
  cancelled,
  capacityExceeded,
  fenced,
  holdConflict,
  invalidRequest,
  notSent,
  operationFailed,
  storeRolledBack,
  timeout,
} from './domain/CallOpsError.js'
export type {
  AnswerTooLate,
  CallActionFailed,
  CallEnded,
  CallFailed,
  CallOpsError,
  CapacityExceeded,
  Cancelled,
  Credential,
  Decode,
  Fenced,
  GraphError,
  HoldConflict,
  Http,
  InvalidRequest,
  NotSent,
  OperationFailed,
  OutcomeUnknown,
  StoreRolledBack,
  Timeout,
} from './domain/CallOpsError.js'
export type { Operation, OperationReport } from './domain/Operation.js'
export type { ResultInfo } from './domain/ResultInfo.js'
export type { GraphErrorDetail } from './domain/GraphErrorDetail.js'
export type { CallNotice, CallStateDetail, ToneReceived } from './domain/CallNotice.js'
export type { Identity, IdentityKind, IdentityList } from './domain/Identity.js'
export type { IncomingCall, IncomingContext } from './domain/IncomingCall.js'
export type { DecodeError } from './codecs/decode.js'
export type { OperationStatus } from './domain/OperationStatus.js'
export type { ClientContext, ClientContextBrand } from './codecs/ClientContext.js'

// --- Graph client
export { actionCatalog, actionNames } from './graph/actionCatalog.js'
export { actionScopes } from './domain/ActionName.js'
export type { ActionBody, ActionName, ActionScope, ActionSpec } from './graph/actionCatalog.js'
export { createGraphClient } from './graph/createGraphClient.js'
export type {
  AcceptedOperation,
  ActionRequest,
  GraphActions,
  GraphClient,
  GraphClientOptions,
  KeepAliveOptions,
  TokenCredentialLike,
} from './graph/createGraphClient.js'
export type {
  CallActionAccepted,
  GraphCallActions,
  GraphRequest,
  GraphResponse,
  HangUpResult,
  HttpMethod,
  RequestOptions,
  StartedCall,
} from './graph/GraphClient.js'
export type { AnswerBody, RedirectBody, RejectBody, RejectReason, TransferBody, Transferee } from './codecs/callActionBodies.js'
export type { ChatInfo, CreateCallBody, MeetingInfo } from './codecs/CreateCallBody.js'
export type { AppHostedMediaConfig, CallOptions, MediaConfig, Modality, PreFetchMedia, ServiceHostedMediaConfig } from './codecs/MediaConfig.js'
export { canonicalId } from './domain/canonicalId.js'
export { validateClientContext } from './codecs/ClientContext.js'
export { validatePathId } from './graph/pathId.js'
export type { RetryOptions } from './graph/retry.js'

// --- notifications
export { createNotificationHandler } from './notifications/createNotificationHandler.js'
export type {
  NotificationHandler,
  NotificationHandlerOptions,
  NotificationHandlerStats,
  NotificationHeaders,
  NotificationResponse,
} from './notifications/createNotificationHandler.js'
export { parseResourceUrl } from './notifications/parseResourceUrl.js'
export type { ResourceRef } from './notifications/parseResourceUrl.js'
export { toCallEvents } from './notifications/toCallEvents.js'
export { toOperationReport } from './codecs/toOperationReport.js'
export { statusWithCompletion } from './domain/statusWithCompletion.js'
export type { CommsNotification } from './codecs/CommsNotification.js'
export type { RoutedEvent } from './notifications/toCallEvents.js'
export {
  DEFAULT_ISSUERS,
  DEFAULT_OPENID_CONFIG_URL,
  createNotificationAuthenticator,
} from './notifications/auth/index.js'
export type {
  AuthClaims,
  AuthFailure,
  AuthUnavailable,
  Forbidden,
  Unauthorized,
  NotificationAuthDeps,
  NotificationAuthOptions,
  NotificationAuthenticator,
} from './notifications/auth/index.js'

// --- stores
export { createMemoryStore } from './stores/createMemoryStore.js'
export type { MemoryStoreOptions } from './stores/createMemoryStore.js'
export { createRedisStore } from './stores/createRedisStore.js'
export type { RedisStoreOptions } from './stores/createRedisStore.js'
export type { SaveOptions, SettlementListener, SnapshotStore, StoredCall, SubscriptionHealth, VersionConflict } from './stores/SnapshotStore.js'
export type { StoredSettlement } from './codecs/StoredSettlement.js'

// --- live view
export { createLiveView } from './view/createLiveView.js'
export type { LiveView, LiveViewSource, LiveViewStats } from './view/createLiveView.js'
export type { SseHubStats } from './view/createSseHub.js'
export { LiveViewOptions } from './view/LiveViewOptions.js'
export { toMachineGraph } from './view/machineGraph.js'
export type { MachineGraph, MachineGraphEdge, MachineGraphNode } from './view/machineGraph.js'
export type { ViewMessage, WireOrchestratorEvent } from './view/ViewMessage.js'

// --- logging
export { silentLogger } from './logging/Logger.js'
export type { Logger } from './logging/Logger.js'

// --- machines (also at 'callops/machines')
export { callMachine, operationMachine } from '../machines/index.js'
export type { CallKind, HoldPolicy, RosterEntry } from '../machines/index.js'
