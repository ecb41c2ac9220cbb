import { afterEach, describe, expect, it } from 'vitest'
import { documentedAnswer, type SeenRequest, type StandInAnswer } from '../support/graphStandIn.js'
import { startHarness, until, type Harness } from './harness.js'

// Issue 14, the chaos run's graphHoldRefusals: a hold answered 429 was retried after its operation
// had timed out, and the retry put the participant on hold after a later release. No attempt may
// start after the operation's deadline; and a request Graph answered only 429/503 never ran, so its
// late refusal frees the hold slot.

const CALL = 'e141b67c-90fd-455d-858b-b48a40b9cc8d'
const A = 'fa1e9582-7145-4ca3-bcd8-577f561fcb6e'
const B = 'b0b0b0b0-7145-4ca3-bcd8-577f561fcb6e'
const HOLD_TIMEOUT_MS = 300

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** A's holds are refused with `status` and `retryAfter`, answered `delayMs` after they arrive; B's are carried out. */
const refusingA =
  (status: number, retryAfter: string, delayMs: number) =>
  async (req: SeenRequest): Promise<StandInAnswer> => {
    if (req.participantId !== A) return documentedAnswer(req)
    await sleep(delayMs)
    return { status, headers: { 'retry-after': retryAfter }, body: { error: { code: 'TooManyRequests', message: 'throttled' } } }
  }

const holdsOf = (participantId: string): SeenRequest[] => h!.graph.requests.filter((r) => r.participantId === participantId)

describe('no Graph attempt starts after its operation\'s deadline', () => {
  it.each([
    [429, '0'],
    [503, '0'],
  ])('a hold answered %i after its timeout is not retried: the caller got Timeout, and the slot is free, so another participant is held', async (status, retryAfter) => {
    h = await startHarness({ timeouts: { startHoldMusic: HOLD_TIMEOUT_MS } }, refusingA(status, retryAfter, HOLD_TIMEOUT_MS + 150))
    const result = await h.orchestrator.startHoldMusic({ callId: CALL, participantId: A })
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'Timeout' } })
    // The slot waits for the answer: the participant may still be put on hold.
    expect(h.orchestrator.getCall(CALL)?.hold).toMatchObject({ participantId: A })
    await until(() => h!.orchestrator.getCall(CALL)?.hold === undefined)
    // Long enough for a retry to have left (the stand-in asks for none, the harness backs off 10–50 ms).
    await sleep(200)
    expect(holdsOf(A)).toHaveLength(1)
    void h.orchestrator.startHoldMusic({ callId: CALL, participantId: B })
    await until(() => holdsOf(B).length === 1)
    expect(h.orchestrator.getCall(CALL)?.hold).toMatchObject({ participantId: B })
  })

  it('a hold answered 429 with a Retry-After longer than its timeout is not retried, and the refusal frees the slot', async () => {
    h = await startHarness({ timeouts: { startHoldMusic: HOLD_TIMEOUT_MS } }, refusingA(429, '1', 10))
    const result = await h.orchestrator.startHoldMusic({ callId: CALL, participantId: A })
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'Http', status: 429, attempts: 1, unprocessed: true } })
    await sleep(1_200)
    expect(holdsOf(A)).toHaveLength(1)
    expect(h.orchestrator.getCall(CALL)?.hold).toBeUndefined()
  })
})

// Chaos seed 4242 at fault scale 3: a hold of A was aborted by the bot while the client retried it
// (503, 429, 429); the bot held A again and swapped to B, whose release of A succeeded; then A's
// first hold, retried once more before its deadline, reached Graph and put A back on hold, and the
// queued hold of C that callops sent once the slot was free was refused 409/8560.
describe('no Graph attempt starts after the caller aborted the hold', () => {
  it('a hold aborted while it waits to retry a 429 is not retried, though its deadline is still far', async () => {
    h = await startHarness({ timeouts: { startHoldMusic: 5_000 } }, refusingA(429, '0', 60))
    const result = await h.orchestrator.startHoldMusic({ callId: CALL, participantId: A, signal: AbortSignal.timeout(30) })
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'Cancelled' } })
    // Retries would leave every 10–50 ms (Retry-After 0) for the 5 s of the deadline.
    await sleep(400)
    expect(holdsOf(A)).toHaveLength(1)
  })
})
