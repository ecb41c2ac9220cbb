import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { backoff, createRetry, retryAdvice, stop } from '../../src/graph/retry.js'
import type { AttemptFailure, RetryAdvice, RetryClock } from '../../src/graph/retry.js'

/** A controlled clock: sleeping advances time at once and is recorded. */
const fakeClock = (random = 0.5) => {
  let t = 0
  const sleeps: number[] = []
  const clock: RetryClock = {
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms)
      t += ms
    },
    random: () => random,
  }
  return { clock, sleeps, advance: (ms: number) => (t += ms) }
}

/** An attempt function that fails with the given advices in turn, then succeeds. */
const scripted = (advices: readonly RetryAdvice[]) => {
  const calls: number[] = []
  const attempt = async (_: null, n: number): Promise<E.Either<AttemptFailure<string>, string>> => {
    calls.push(n)
    const advice = advices[n - 1]
    return advice === undefined ? E.right(`ok on ${n}`) : E.left({ failure: `failure ${n}`, advice })
  }
  return { attempt, calls }
}

describe('retryAdvice', () => {
  it('honours Retry-After in delta seconds for 429 and 503', () => {
    expect(retryAdvice(429, '1')).toEqual({ kind: 'wait', ms: 1000 })
    expect(retryAdvice(503, ' 7 ')).toEqual({ kind: 'wait', ms: 7000 })
    expect(retryAdvice(429, '0')).toEqual({ kind: 'wait', ms: 0 })
  })

  it('honours Retry-After as an HTTP date, measured from now', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')
    expect(retryAdvice(503, 'Wed, 21 Oct 2015 07:28:03 GMT', now)).toEqual({ kind: 'wait', ms: 3000 })
    expect(retryAdvice(429, 'Wed, 21 Oct 2015 07:27:00 GMT', now)).toEqual({ kind: 'wait', ms: 0 })
  })

  it('backs off on 429 and 503 without a usable Retry-After', () => {
    for (const h of [undefined, '', 'soon', '-1', '1.5']) {
      expect(retryAdvice(429, h)).toEqual(backoff())
      expect(retryAdvice(503, h)).toEqual(backoff())
    }
  })

  it('backs off on 408, 500, 502, 504 and network errors', () => {
    for (const s of [undefined, 408, 500, 502, 504]) expect(retryAdvice(s, '5')).toEqual(backoff())
  })

  it('does not retry any other status', () => {
    for (const s of [400, 401, 403, 404, 405, 409, 410, 412, 413, 422, 501, 505, 599]) expect(retryAdvice(s, '1')).toEqual(stop())
  })
})

describe('createRetry options', () => {
  it.each([
    [{ retries: -1 }, 'Expected `retries` to be a non-negative integer.'],
    [{ retries: 1.5 }, 'Expected `retries` to be a non-negative integer.'],
    [{ retries: Number.POSITIVE_INFINITY }, 'Expected `retries` to be a non-negative integer.'],
    [{ minDelayMs: -1 }, 'Expected `minDelayMs` to be a non-negative finite number.'],
    [{ maxDelayMs: Number.NaN }, 'Expected `maxDelayMs` to be a non-negative finite number.'],
    [{ maxTotalMs: Number.POSITIVE_INFINITY }, 'Expected `maxTotalMs` to be a non-negative finite number.'],
    [{ minDelayMs: 500, maxDelayMs: 100 }, 'Expected `maxDelayMs` to be at least `minDelayMs`.'],
  ])('refuses %j at creation', (options, message) => {
    expect(() => createRetry(options)).toThrow(new TypeError(message))
  })
})

describe('createRetry', () => {
  it('returns the first success without waiting', async () => {
    const { clock, sleeps } = fakeClock()
    const { attempt, calls } = scripted([])
    const r = await createRetry({}, clock)(attempt, null, undefined)
    expect(r).toEqual({ result: E.right('ok on 1'), attempts: 1 })
    expect(calls).toEqual([1])
    expect(sleeps).toEqual([])
  })

  it('fails at once when the failure may not be retried', async () => {
    const { clock, sleeps } = fakeClock()
    const { attempt, calls } = scripted([stop()])
    const r = await createRetry({}, clock)(attempt, null, undefined)
    expect(r).toEqual({ result: E.left('failure 1'), attempts: 1 })
    expect(calls).toEqual([1])
    expect(sleeps).toEqual([])
  })

  it('backs off exponentially with jitter, bounded by maxDelayMs', async () => {
    const low = fakeClock(0)
    const high = fakeClock(0.999_999)
    const five = [backoff(), backoff(), backoff(), backoff(), backoff()]
    const options = { retries: 5, minDelayMs: 100, maxDelayMs: 1000, maxTotalMs: 60_000 }
    await createRetry(options, low.clock)(scripted(five).attempt, null, undefined)
    await createRetry(options, high.clock)(scripted(five).attempt, null, undefined)
    // base delays 100, 200, 400, 800, 1000 (capped); equal jitter keeps between half and all of each
    expect(low.sleeps).toEqual([50, 100, 200, 400, 500])
    high.sleeps.forEach((ms, i) => expect(ms).toBeCloseTo([100, 200, 400, 800, 1000][i] ?? 0, 0))
  })

  it('waits what Retry-After asks, then succeeds, counting the attempts', async () => {
    const { clock, sleeps } = fakeClock()
    const { attempt, calls } = scripted([{ kind: 'wait', ms: 1000 }])
    const r = await createRetry({}, clock)(attempt, null, undefined)
    expect(r).toEqual({ result: E.right('ok on 2'), attempts: 2 })
    expect(calls).toEqual([1, 2])
    expect(sleeps).toEqual([1000])
  })

  it('gives up with the last failure once the retries are spent', async () => {
    const { clock } = fakeClock()
    const { attempt, calls } = scripted([backoff(), backoff(), backoff(), backoff()])
    const r = await createRetry({ retries: 2 }, clock)(attempt, null, undefined)
    expect(r).toEqual({ result: E.left('failure 3'), attempts: 3 })
    expect(calls).toEqual([1, 2, 3])
  })

  it('makes one attempt only when retries is 0', async () => {
    const { clock } = fakeClock()
    const { attempt, calls } = scripted([backoff()])
    expect(await createRetry({ retries: 0 }, clock)(attempt, null, undefined)).toEqual({ result: E.left('failure 1'), attempts: 1 })
    expect(calls).toEqual([1])
  })

  it('does not start a Retry-After wait that would end past maxTotalMs', async () => {
    const { clock, sleeps } = fakeClock()
    const { attempt, calls } = scripted([{ kind: 'wait', ms: 31_000 }])
    const r = await createRetry({ maxTotalMs: 30_000 }, clock)(attempt, null, undefined)
    expect(r).toEqual({ result: E.left('failure 1'), attempts: 1 })
    expect(calls).toEqual([1])
    expect(sleeps).toEqual([])
  })

  it('starts no attempt after the operation\'s deadline (withinMs), even when maxTotalMs would allow one', async () => {
    const fake = fakeClock()
    const attempt = async (_: null, n: number): Promise<E.Either<AttemptFailure<string>, string>> => {
      fake.advance(400) // the attempt under way ends past the 300 ms deadline: its answer stands
      return E.left({ failure: `failure ${n}`, advice: { kind: 'wait', ms: 0 } })
    }
    const r = await createRetry({ retries: 10, maxTotalMs: 30_000 }, fake.clock)(attempt, null, undefined, 300)
    expect(r).toEqual({ result: E.left('failure 1'), attempts: 1 })
    expect(fake.sleeps).toEqual([])
  })

  it('counts the time the attempts took against maxTotalMs', async () => {
    const fake = fakeClock()
    const attempt = async (_: null, n: number): Promise<E.Either<AttemptFailure<string>, string>> => {
      fake.advance(400) // each attempt takes 400 ms
      return E.left({ failure: `failure ${n}`, advice: { kind: 'wait', ms: 150 } })
    }
    const r = await createRetry({ retries: 10, maxTotalMs: 1000 }, fake.clock)(attempt, null, undefined)
    // 400 + 150 + 400 = 950: a second wait would end at 1100, past the 1000 ms budget
    expect(r).toEqual({ result: E.left('failure 2'), attempts: 2 })
    expect(fake.sleeps).toEqual([150])
  })

  it('answers Cancelled when the signal aborts the wait between attempts', async () => {
    const controller = new AbortController()
    let sleeping = (): void => {}
    const asleep = new Promise<void>((resolve) => (sleeping = resolve))
    const clock: RetryClock = {
      now: () => 0,
      random: () => 0.5,
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true })
          sleeping()
        }),
    }
    const { attempt, calls } = scripted([backoff()])
    const pending = createRetry({}, clock)(attempt, null, controller.signal)
    await asleep
    controller.abort()
    const r = await pending
    expect(r.attempts).toBe(1)
    expect(r.result).toEqual(E.left(expect.objectContaining({ _tag: 'Cancelled' })))
    expect(calls).toEqual([1])
  })

  it('waits for real with the default clock', async () => {
    const { attempt } = scripted([{ kind: 'wait', ms: 50 }])
    const started = performance.now()
    const r = await createRetry()(attempt, null, undefined)
    expect(r.attempts).toBe(2)
    expect(performance.now() - started).toBeGreaterThanOrEqual(45)
  })
})
