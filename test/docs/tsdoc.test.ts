import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { publicExports } from './publicExports.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const typedoc = JSON.parse(readFileSync(`${root}/typedoc.json`, 'utf8')) as { entryPoints: string[] }
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { exports: Record<string, string | { types?: string }> }
const FIXTURE = 'test/docs/fixtures/someDocumented.ts'

/** The source file of each entry of package.json's export map (`./dist/src/index.d.ts` → `src/index.ts`). */
const sourcesOfExportMap = (): string[] =>
  Object.values(pkg.exports)
    .flatMap((target) => (typeof target === 'object' && target.types !== undefined ? [target.types] : []))
    .map((types) => types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '.ts'))
    .sort()

// What whole calls added to the public entry points, and the events their bot code reads.
const WHOLE_CALL_EXPORTS: Readonly<Record<string, readonly string[]>> = {
  'src/index.ts': [
    'DEFAULT_CALL_ACTION_TIMEOUTS_MS', 'AnswerRequest', 'CallActionAnswer', 'CallActionMethods', 'CallActionRequestBase', 'CreateCallRequest',
    'HangUpRequest', 'RedirectRequest', 'RejectRequest', 'RemoveParticipantRequest', 'TransferRequest', 'CallActionName', 'CallActionOutcome',
    'CallActionResult', 'CallNews', 'collectDigits', 'CollectDigitsFailure', 'CollectDigitsOptions', 'DigitsCollected', 'DigitsTimeout', 'ToneSource',
    'OrchestratorEvent', 'OrchestratorListener', 'answerTooLate', 'callActionFailed', 'fenced', 'notSent', 'storeRolledBack', 'AnswerTooLate',
    'CallActionFailed', 'Fenced', 'NotSent', 'StoreRolledBack', 'CallNotice', 'CallStateDetail', 'ToneReceived', 'Identity', 'IdentityKind',
    'IdentityList', 'IncomingCall', 'IncomingContext', 'CallActionAccepted', 'GraphCallActions', 'GraphRequest', 'GraphResponse', 'HangUpResult',
    'HttpMethod', 'RequestOptions', 'StartedCall', 'AnswerBody', 'RedirectBody', 'RejectBody', 'RejectReason', 'TransferBody', 'Transferee',
    'ChatInfo', 'CreateCallBody', 'MeetingInfo', 'AppHostedMediaConfig', 'CallOptions', 'MediaConfig', 'Modality', 'PreFetchMedia',
    'ServiceHostedMediaConfig', 'NotificationHandlerStats', 'statusWithCompletion', 'CommsNotification',
  ],
  'src/simulator/index.ts': [
    'CallerInput', 'CreateCallInput', 'ParticipantSeed', 'RingInput', 'SimId', 'PressKeysInput', 'PressedTone', 'runSimulatorControlCli',
    'HoldInterval', 'SimCallState', 'SimCaller', 'SimCallView', 'SimOperationView', 'SimParticipantView', 'answerDeadlineInfo',
    'conversationEndedInfo', 'transferCompletedInfo', 'appHostedToneInfo',
  ],
  'machines/index.ts': [
    'CallActionEffect', 'CallActionRequested', 'CallActionSettled', 'CallNewsEmitted', 'CallUpdated', 'PendingCallAction', 'CallNews',
    'isKnownCallState', 'isStaleCallState', 'TONE_GAP_MS', 'flushTones', 'receiveTone', 'ToneLog', 'ToneStep',
  ],
}

// One compiler program for all tests (building it is the slow part).
const all = publicExports(root, [...typedoc.entryPoints, FIXTURE])

describe('the API reference', () => {
  it('documents every entry point of the package (typedoc.json follows package.json’s export map)', () => {
    expect([...typedoc.entryPoints].sort()).toEqual(sourcesOfExportMap())
  })

  it('the check sees through re-exports and finds an export without a doc comment', () => {
    const found = all.filter((e) => e.entry === FIXTURE)
    expect(found.map((e) => [e.name, e.doc])).toEqual([
      ['documented', 'Documented.'],
      ['undocumented', ''],
    ])
    expect(found[1]?.declaredAt).toBe('test/docs/fixtures/undocumented.ts:2')
  })

  it('every public export has a doc comment', () => {
    const exports = all.filter((e) => e.entry !== FIXTURE)
    expect(exports.length).toBeGreaterThan(100)
    const undocumented = exports.filter((e) => e.doc === '').map((e) => `${e.entry}: ${e.name} (declared at ${e.declaredAt})`)
    expect(undocumented).toEqual([])
  })

  it('shows an example on every export that whole calls (issue 15) added, and on the events bot code gets', () => {
    const missing = Object.entries(WHOLE_CALL_EXPORTS).flatMap(([entry, names]) =>
      names.filter((name) => {
        const found = all.find((e) => e.entry === entry && e.name === name)
        return found === undefined || !found.tags.includes('example')
      }).map((name) => `${entry}: ${name}`),
    )
    expect(missing).toEqual([])
  })

  it('the example check reads the tags of every declaration of a name (a codec and its type)', () => {
    const ring = all.find((e) => e.entry === 'src/simulator/index.ts' && e.name === 'RingInput')
    expect(ring?.tags).toContain('example')
    expect(all.find((e) => e.entry === FIXTURE && e.name === 'documented')?.tags).toEqual([])
  })

  it('describes every method of CallOrchestrator, the 13 actions and stats() included', () => {
    const orchestrator = all.find((e) => e.entry === 'src/index.ts' && e.name === 'CallOrchestrator')
    const members = orchestrator?.members ?? []
    expect(members.map((m) => m.name)).toEqual(expect.arrayContaining(['startHoldMusic', 'addLargeGalleryView', 'stats', 'webhook']))
    expect(members.filter((m) => m.doc === '').map((m) => m.name)).toEqual([])
  })
})
