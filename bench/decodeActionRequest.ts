// `npx tsx bench/decodeActionRequest.ts [--rounds 20] [--calls 200000]`: the cost of decodeActionRequest
// against the checks run() made inline before it (kept below as they were), in one process, rounds
// alternated so that both see the same machine. Prints µs per call (median of the rounds).
import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import type { HoldPolicy } from '../machines/callTypes.js'
import { decodeShaped } from '../src/codecs/decode.js'
import { invalidRequest, type CallOpsError } from '../src/domain/CallOpsError.js'
import { actionCatalog, type ActionName } from '../src/graph/actionCatalog.js'
import { validateClientContext } from '../src/codecs/ClientContext.js'
import { validatePathId } from '../src/graph/pathId.js'
import { decodeActionRequest } from '../src/orchestrator/decodeActionRequest.js'

const { values } = parseArgs({ options: { rounds: { type: 'string' }, calls: { type: 'string' } } })
const rounds = Number(values.rounds ?? 20)
const calls = Number(values.calls ?? 200_000)

// --- the inline checks of run() before decodeActionRequest (createCallOrchestrator.ts at 3cf2385)

interface Inline {
  readonly callId: string
  readonly participantId: string | undefined
  readonly key: string
  readonly signal: AbortSignal | undefined
  readonly holdPolicy: HoldPolicy | undefined
  readonly body: unknown
  readonly hasFields: boolean
}

const inline = (action: ActionName, req: unknown): E.Either<CallOpsError, Inline> => {
  const spec = actionCatalog[action]
  const r = req as { callId?: unknown; participantId?: unknown; clientContext?: unknown; signal?: AbortSignal; holdPolicy?: HoldPolicy }
  if (typeof req !== 'object' || req === null) return E.left(invalidRequest('expected a request object'))
  const callId = validatePathId('callId', r.callId)
  if (E.isLeft(callId)) return callId
  let participantId: string | undefined
  if (spec.scope === 'participant') {
    const p = validatePathId('participantId', r.participantId)
    if (E.isLeft(p)) return p
    participantId = p.right
  }
  const clientContext = r.clientContext === undefined ? E.right(randomUUID()) : validateClientContext(r.clientContext)
  if (E.isLeft(clientContext)) return clientContext
  const key = clientContext.right
  const { callId: _c, participantId: _p, clientContext: _k, signal, holdPolicy, ...fields } = r
  const hasFields = Object.keys(fields).length > 0
  const body = decodeShaped(spec.body as typeof actionCatalog.startHoldMusic.body, fields)
  if (E.isLeft(body)) return E.left(invalidRequest(body.left.message, body.left.path))
  return E.right({ callId: callId.right, participantId, key, signal, holdPolicy, body: body.right, hasFields })
}

// --- the same requests for both: the commands a call-center bot sends most

const CALL = 'e141b67c-90fd-455d-858b-b48a40b9cc8d'
const A = '5810cede-8e1b-4d61-9a8b-2a5c1c9f1a10'
const signal = new AbortController().signal
const requests: readonly [ActionName, Record<string, unknown>][] = [
  ['startHoldMusic', { callId: CALL, participantId: A }],
  ['startHoldMusic', { callId: CALL, participantId: A, holdPolicy: 'queue', signal }],
  ['stopHoldMusic', { callId: CALL, participantId: A, clientContext: 'stop-1' }],
  ['unmute', { callId: CALL }],
  ['playPrompt', { callId: CALL, prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://bot.example/p.wav' } }] }],
]

const decoded = (action: ActionName, req: unknown): unknown => {
  const d = decodeActionRequest(action, req)
  // What run() does with it: a clientContext is made when the bot gave none.
  return E.isRight(d) && d.right.clientContext === undefined ? randomUUID() : d
}

let sink = 0
const round = (check: (action: ActionName, req: unknown) => unknown): number => {
  const start = process.hrtime.bigint()
  for (let i = 0; i < calls; i++) {
    const [action, req] = requests[i % requests.length] as [ActionName, Record<string, unknown>]
    if (check(action, req) !== undefined) sink++
  }
  return Number(process.hrtime.bigint() - start) / 1_000 / calls
}

for (const [action, req] of requests) {
  if (E.isLeft(decodeActionRequest(action, req)) || E.isLeft(inline(action, req))) throw new Error(`bench request of ${action} is refused`)
}
round(inline)
round(decoded)
const inlineUs: number[] = []
const decodedUs: number[] = []
for (let r = 0; r < rounds; r++) {
  // Alternate which goes first, so neither always runs on a warmer or colder machine.
  if (r % 2 === 0) {
    inlineUs.push(round(inline))
    decodedUs.push(round(decoded))
  } else {
    decodedUs.push(round(decoded))
    inlineUs.push(round(inline))
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
const spread = (xs: number[]): string => `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}`
console.log(`${rounds} rounds × ${calls} requests (${requests.length} kinds), µs per request, median (min–max):`)
console.log(`  inline checks (before):  ${median(inlineUs).toFixed(3)} (${spread(inlineUs)})`)
console.log(`  decodeActionRequest:     ${median(decodedUs).toFixed(3)} (${spread(decodedUs)})`)
console.log(`  ratio decoded / inline:  ${(median(decodedUs) / median(inlineUs)).toFixed(3)}   (sink ${sink})`)
