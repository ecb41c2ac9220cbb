/**
 * A local simulator of the Microsoft Graph calls API, for demos and tests.
 *
 * @module callops/simulator
 */
export { createSimulator } from './createSimulator.js'
export type { Simulator, SimulatorOptions } from './createSimulator.js'
export { connectSimulator, CreatedCall } from './connectSimulator.js'
export type { ConnectSimulatorOptions, RemoteSimulator, RemoteSimulatorError, Unreachable } from './connectSimulator.js'
export { runSimulatorCli } from './runSimulatorCli.js'
export type { CliIo } from './runSimulatorCli.js'
export { SimulatorFaults, noFaults } from './SimulatorFaults.js'
export type { ResolvedFaults } from './SimulatorFaults.js'
export { CallerInput, CreateCallInput, ParticipantSeed, RingInput, SimId } from './adminBodies.js'
export { PressKeysInput } from './createTonePad.js'
export type { PressedTone } from './createTonePad.js'
export { runSimulatorControlCli } from './runSimulatorControlCli.js'
export type { HoldInterval, SimCallState, SimCaller, SimCallView, SimOperationView, SimParticipantView } from './SimCall.js'
export { answerDeadlineInfo, conversationEndedInfo, transferCompletedInfo } from './lifecycleResources.js'
export type { Conflict, NotFound, SimulatorError } from './SimulatorError.js'
export type { SimulatorStats } from './createSimulatorStats.js'
export type { RecordedRequest } from './createRequestLog.js'
export { isLoopbackUrl } from './isLoopbackUrl.js'
export { createPrng } from './createPrng.js'
export type { Prng } from './createPrng.js'
export { SIMULATOR_APP_ID, SIMULATOR_ISSUER, SIMULATOR_TENANT_ID } from './simulatorIdentity.js'
export {
  appHostedToneInfo,
  holdConflictInfo,
  mediaCancelledInfo,
  notOnHoldInfo,
  participantGoneInfo,
  simulatedFailureInfo,
} from './operationOutcome.js'
