import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { holdConflict } from '../../src/domain/CallOpsError.js'
import type { SettlementListener, SnapshotStore, StoredCall } from '../../src/stores/SnapshotStore.js'
import type { RelayedNews } from '../../src/codecs/RelayedNews.js'
import type { StoredSettlement } from '../../src/codecs/StoredSettlement.js'

/** Makes a fresh, empty store; the suite closes it after each test. */
export type StoreFactory = (options: { readonly retentionMs?: number }) => Promise<SnapshotStore>

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const until = async (predicate: () => boolean, ms = 2_000): Promise<void> => {
  const end = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await sleep(5)
  }
}

const snapshotOf = (n: number) => ({
  status: 'active',
  value: { established: { hold: 'held', transfer: 'idle' } },
  context: { callId: 'c', n, roster: { 'ä-1': { displayName: 'Zoë 🎧' } }, queue: [], nothing: null },
  children: {},
})

const settledOk = (callId: string, clientContext: string): StoredSettlement => ({
  callId,
  clientContext,
  result: {
    ok: true,
    operation: { clientContext, action: 'startHoldMusic', callId, participantId: 'p1', id: 'op-1', status: 'completed', resultInfo: { code: 200, subcode: 0, message: 'ok' } },
  },
})

const settledConflict = (callId: string, clientContext: string): StoredSettlement => ({
  callId,
  clientContext,
  result: { ok: false, error: holdConflict(callId, 'p2', 'p1') },
})

const recorder = (): SettlementListener & { readonly seen: StoredSettlement[]; resyncs: number } => {
  const seen: StoredSettlement[] = []
  const r = {
    seen,
    resyncs: 0,
    settled: (s: StoredSettlement) => {
      seen.push(s)
    },
    resync: () => {
      r.resyncs++
    },
  }
  return r
}

const isStored = (r: unknown): r is StoredCall => typeof r === 'object' && r !== null && !('_tag' in r)

/**
 * The contract every {@link SnapshotStore} keeps, run against the memory store and the Redis store.
 * Times are real but short (retention and heartbeats of a few hundred milliseconds).
 */
export const describeStoreContract = (name: string, make: StoreFactory): void => {
  describe(`${name}: the store contract`, () => {
    const opened: SnapshotStore[] = []
    const store = async (options: { readonly retentionMs?: number } = {}): Promise<SnapshotStore> => {
      const s = await make(options)
      opened.push(s)
      return s
    }
    const id = () => randomUUID()
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()))
    })

    describe('snapshots', () => {
      it('loads nothing for a call never saved', async () => {
        const s = await store()
        expect(await s.load(id())).toBeUndefined()
      })

      it('stores the first save as version 1 and loads it back equal, with the requests being sent', async () => {
        const s = await store()
        const c = id()
        const saved = await s.save(c, snapshotOf(1), 0, { open: true, sending: { k1: 'instance-a' }, writeId: 'w1' })
        expect(saved).toMatchObject({ version: 1, sending: { k1: 'instance-a' }, writeId: 'w1' })
        expect(await s.load(c)).toEqual({ snapshot: snapshotOf(1), version: 1, sending: { k1: 'instance-a' }, writeId: 'w1' })
      })

      it('answers VersionConflict with the stored call to a save at a stale version, and changes nothing', async () => {
        const s = await store()
        const c = id()
        await s.save(c, snapshotOf(1), 0, { open: true })
        await s.save(c, snapshotOf(2), 1, { open: true, sending: { k: 'i' }, writeId: 'w2' })
        const r = await s.save(c, snapshotOf(99), 1, { open: true })
        expect(r).toMatchObject({ _tag: 'VersionConflict', callId: c, expected: 1, actual: 2 })
        expect(!isStored(r) && r.current).toEqual({ snapshot: snapshotOf(2), version: 2, sending: { k: 'i' }, writeId: 'w2' })
        expect(await s.load(c)).toEqual({ snapshot: snapshotOf(2), version: 2, sending: { k: 'i' }, writeId: 'w2' })
      })

      it('answers VersionConflict without a current call when a save expects a version of a call never stored', async () => {
        const s = await store()
        const r = await s.save(id(), snapshotOf(1), 3, { open: true })
        expect(r).toMatchObject({ _tag: 'VersionConflict', expected: 3, actual: 0 })
        expect(!isStored(r) && r.current).toBeUndefined()
      })

      it('lets exactly one of 20 concurrent saves at the same version win', async () => {
        const s = await store()
        const c = id()
        await s.save(c, snapshotOf(0), 0, { open: true })
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => s.save(c, snapshotOf(i + 1), 1, { open: true })))
        const winners = results.filter(isStored)
        expect(winners).toHaveLength(1)
        expect(results.filter((r) => !isStored(r)).every((r) => !isStored(r) && r.actual === 2)).toBe(true)
        expect((await s.load(c))?.snapshot).toEqual(winners[0]?.snapshot)
      })

      it('answers success, not a conflict, to a save repeated with the same write id, and stores it once', async () => {
        const s = await store()
        const c = id()
        await s.save(c, snapshotOf(1), 0, { open: true })
        const writeId = randomUUID()
        const first = await s.save(c, snapshotOf(2), 1, { open: true, writeId })
        const again = await s.save(c, snapshotOf(2), 1, { open: true, writeId })
        expect(first).toMatchObject({ version: 2 })
        expect(again).toMatchObject({ version: 2 })
        expect((await s.load(c))?.version).toBe(2)
        expect(await s.save(c, snapshotOf(3), 1, { open: true, writeId: randomUUID() })).toMatchObject({ _tag: 'VersionConflict' })
      })

      it('answers success with the call as stored now to a save repeated with its write id after others saved', async () => {
        const s = await store()
        const c = id()
        const writeId = randomUUID()
        await s.save(c, snapshotOf(1), 0, { open: true, writeId })
        await s.save(c, snapshotOf(2), 1, { open: true, sending: { k: 'other' } })
        await s.save(c, snapshotOf(3), 2, { open: true, writeId: 'w3' })
        // The first save's answer was lost; its command is run again.
        const again = await s.save(c, snapshotOf(1), 0, { open: true, writeId })
        expect(again).toEqual({ snapshot: snapshotOf(3), version: 3, sending: {}, writeId: 'w3' })
        expect((await s.load(c))?.version).toBe(3)
      })

      it('puts a version back over an older one only while the store still holds the write it names, under the version asked for', async () => {
        const s = await store()
        const c = id()
        await s.save(c, snapshotOf(1), 0, { open: true, writeId: 'w1' })
        // Over the wrong write: refused, nothing changes.
        const wrong = await s.save(c, snapshotOf(9), 1, { open: true, expectedWriteId: 'other', replacing: { version: 6 } })
        expect(wrong).toMatchObject({ _tag: 'VersionConflict', actual: 1 })
        const put = await s.save(c, snapshotOf(5), 1, { open: true, writeId: 'w6', expectedWriteId: 'w1', replacing: { version: 6 } })
        expect(put).toMatchObject({ version: 6, writeId: 'w6' })
        expect(await s.load(c)).toMatchObject({ snapshot: snapshotOf(5), version: 6 })
        // At the right version, but written by another write than the one named: refused too.
        expect(await s.save(c, snapshotOf(7), 6, { open: true, expectedWriteId: 'w1' })).toMatchObject({ _tag: 'VersionConflict', actual: 6 })
        expect(await s.save(c, snapshotOf(7), 6, { open: true, expectedWriteId: 'w6' })).toMatchObject({ version: 7 })
        // Over a call the store lost: only while nothing is stored, and it is open again.
        const gone = id()
        expect(await s.save(gone, snapshotOf(4), 0, { open: true, replacing: { version: 4 } })).toMatchObject({ version: 4 })
        expect(await s.listOpen()).toContain(gone)
      })

      it('lists open calls, drops a call once saved as ended, and forgets it after the retention', async () => {
        const s = await store({ retentionMs: 250 })
        const [a, b] = [id(), id()]
        await s.save(a, snapshotOf(1), 0, { open: true })
        await s.save(b, snapshotOf(1), 0, { open: true })
        expect([...(await s.listOpen())].sort()).toEqual([a, b].sort())
        await s.save(a, snapshotOf(2), 1, { open: false })
        expect(await s.listOpen()).toEqual([b])
        expect((await s.load(a))?.version).toBe(2)
        await sleep(400)
        expect(await s.load(a)).toBeUndefined()
        expect((await s.load(b))?.version).toBe(1)
      })

      it('forgets a deleted call: snapshot, open calls and deadline', async () => {
        const s = await store()
        const c = id()
        await s.save(c, snapshotOf(1), 0, { open: true, deadline: 1_000 })
        await s.delete(c)
        expect(await s.load(c)).toBeUndefined()
        expect(await s.listOpen()).toEqual([])
        expect(await s.claimDeadlines(2_000, 9_000, 10)).toEqual([])
      })
    })

    describe('settlements', () => {
      it('keeps the outcomes saved with a transition and announces them to every subscriber', async () => {
        const s = await store()
        const [one, two] = [recorder(), recorder()]
        await s.subscribe(one)
        await s.subscribe(two)
        const c = id()
        const ok = settledOk(c, 'k-ok')
        const refused = settledConflict(c, 'k-refused')
        await s.save(c, snapshotOf(1), 0, { open: true, settled: [ok, refused] })
        await until(() => one.seen.length === 2 && two.seen.length === 2)
        expect(one.seen).toEqual([ok, refused])
        expect(two.seen).toEqual([ok, refused])
        expect(await s.settlement(c, 'k-ok')).toEqual(ok)
        expect(await s.settlement(c, 'k-refused')).toEqual(refused)
        expect(await s.settlement(c, 'k-unknown')).toBeUndefined()
      })

      it('neither keeps nor announces the outcomes of a save that lost its compare-and-set', async () => {
        const s = await store()
        const listener = recorder()
        await s.subscribe(listener)
        const c = id()
        await s.save(c, snapshotOf(1), 0, { open: true })
        await s.save(c, snapshotOf(2), 0, { open: true, settled: [settledOk(c, 'lost')] })
        await s.save(c, snapshotOf(2), 1, { open: true, settled: [settledOk(c, 'won')] })
        await until(() => listener.seen.length === 1)
        await sleep(50)
        expect(listener.seen.map((x) => x.clientContext)).toEqual(['won'])
        expect(await s.settlement(c, 'lost')).toBeUndefined()
      })

      it('stops announcing to a listener that unsubscribed', async () => {
        const s = await store()
        const [gone, stays] = [recorder(), recorder()]
        const unsubscribe = await s.subscribe(gone)
        await s.subscribe(stays)
        await unsubscribe()
        const c = id()
        await s.save(c, snapshotOf(1), 0, { open: true, settled: [settledOk(c, 'k')] })
        await until(() => stays.seen.length === 1)
        await sleep(50)
        expect(gone.seen).toEqual([])
      })

      it('forgets outcomes after the retention', async () => {
        const s = await store({ retentionMs: 200 })
        const c = id()
        await s.save(c, snapshotOf(1), 0, { open: true, settled: [settledOk(c, 'k')] })
        expect(await s.settlement(c, 'k')).toBeDefined()
        await sleep(350)
        expect(await s.settlement(c, 'k')).toBeUndefined()
      })
    })

    describe('news', () => {
      const newsRecorder = (): SettlementListener & { readonly heard: RelayedNews[] } => {
        const heard: RelayedNews[] = []
        return { heard, settled: () => undefined, resync: () => undefined, news: (n) => void heard.push(n) }
      }

      it('announces the news saved with a transition to every subscriber, with the version stored, in the order saved, and keeps none', async () => {
        const s = await store()
        const [one, two] = [newsRecorder(), newsRecorder()]
        await s.subscribe(one)
        await s.subscribe(two)
        const c = id()
        const caller = { type: 'participantJoined' as const, participant: { id: 'p-1', displayName: 'Zoë 🎧', identity: [{ kind: 'phone' as const, id: '+1 555' }] } }
        await s.save(c, snapshotOf(1), 0, { open: true, news: [caller, { type: 'tone', tone: 'tone1', sequenceId: 1 }] })
        await s.save(c, snapshotOf(2), 1, { open: false, settled: [settledOk(c, 'k')], news: [{ type: 'terminated', resultInfo: { code: 200, subcode: 5001, message: 'bye' } }] })
        await until(() => one.heard.length === 3 && two.heard.length === 3)
        const expected = [
          { callId: c, version: 1, news: caller },
          { callId: c, version: 1, news: { type: 'tone', tone: 'tone1', sequenceId: 1 } },
          { callId: c, version: 2, news: { type: 'terminated', resultInfo: { code: 200, subcode: 5001, message: 'bye' } } },
        ]
        expect(one.heard).toEqual(expected)
        expect(two.heard).toEqual(expected)
      })

      it('announces no news of a save that lost its compare-and-set', async () => {
        const s = await store()
        const listener = newsRecorder()
        await s.subscribe(listener)
        const c = id()
        await s.save(c, snapshotOf(1), 0, { open: true })
        await s.save(c, snapshotOf(2), 0, { open: true, news: [{ type: 'tone', tone: 'tone9' }] })
        await s.save(c, snapshotOf(2), 1, { open: true, news: [{ type: 'tone', tone: 'tone1' }] })
        await until(() => listener.heard.length === 1)
        await sleep(50)
        expect(listener.heard.map((n) => n.news)).toEqual([{ type: 'tone', tone: 'tone1' }])
      })
    })

    describe('deadlines', () => {
      it('schedules the deadline a save carries; the earliest one wins', async () => {
        const s = await store()
        const c = id()
        await s.save(c, snapshotOf(1), 0, { open: true, deadline: 5_000 })
        await s.save(c, snapshotOf(2), 1, { open: true, deadline: 7_000 })
        await s.scheduleDeadline(c, 6_000)
        expect(await s.claimDeadlines(4_999, 60_000, 10)).toEqual([])
        expect(await s.claimDeadlines(5_000, 60_000, 10)).toEqual([c])
      })

      it('claims each due call exactly once among concurrent sweepers, until the lease runs out', async () => {
        const s = await store()
        const due = Array.from({ length: 30 }, () => id())
        const later = id()
        for (const [i, c] of due.entries()) await s.scheduleDeadline(c, 1_000 + i)
        await s.scheduleDeadline(later, 50_000)
        const claims = await Promise.all(Array.from({ length: 8 }, () => s.claimDeadlines(2_000, 10_000, 100)))
        const all = claims.flat()
        expect(all.sort()).toEqual([...due].sort())
        expect(await s.claimDeadlines(9_999, 10_000, 100)).toEqual([])
        // A sweeper that died holding a claim: the calls are due again when its lease ends.
        expect([...(await s.claimDeadlines(10_000, 20_000, 100))].sort()).toEqual([...due].sort())
      })

      it('claims at most `limit` calls at a time, earliest first', async () => {
        const s = await store()
        const [a, b, c] = [id(), id(), id()]
        await s.scheduleDeadline(b, 200)
        await s.scheduleDeadline(a, 100)
        await s.scheduleDeadline(c, 300)
        expect(await s.claimDeadlines(1_000, 5_000, 2)).toEqual([a, b])
        expect(await s.claimDeadlines(1_000, 5_000, 2)).toEqual([c])
      })

      it('reschedules a released claim at the next deadline, or drops it when there is none', async () => {
        const s = await store()
        const [a, b] = [id(), id()]
        await s.scheduleDeadline(a, 100)
        await s.scheduleDeadline(b, 100)
        await s.claimDeadlines(100, 5_000, 10)
        await s.releaseDeadline(a, 5_000, 300)
        await s.releaseDeadline(b, 5_000, undefined)
        expect(await s.claimDeadlines(299, 9_000, 10)).toEqual([])
        expect(await s.claimDeadlines(6_000, 9_000, 10)).toEqual([a])
      })

      it('keeps a deadline scheduled while the call was claimed when the claim is released', async () => {
        const s = await store()
        const c = id()
        await s.scheduleDeadline(c, 100)
        await s.claimDeadlines(100, 5_000, 10)
        // Another instance starts an operation meanwhile.
        await s.scheduleDeadline(c, 400)
        await s.releaseDeadline(c, 5_000, undefined)
        expect(await s.claimDeadlines(400, 9_000, 10)).toEqual([c])
      })

      it('drops the deadline of a call saved as ended', async () => {
        const s = await store()
        const c = id()
        await s.save(c, snapshotOf(1), 0, { open: true, deadline: 100 })
        await s.save(c, snapshotOf(2), 1, { open: false })
        expect(await s.claimDeadlines(1_000, 5_000, 10)).toEqual([])
      })
    })

    describe('owners of operations', () => {
      it('records who times each operation of a call, and forgets them when the call ends or is deleted', async () => {
        const s = await store()
        const [c, d] = [id(), id()]
        expect(await s.operationOwners?.(c)).toEqual({})
        await s.save(c, snapshotOf(1), 0, { open: true })
        await s.setOperationOwner?.(c, 'hold-1', 'instance-a')
        await s.setOperationOwner?.(c, 'prompt-1', 'instance-b')
        await s.setOperationOwner?.(d, 'hold-1', 'instance-c')
        expect(await s.operationOwners?.(c)).toEqual({ 'hold-1': 'instance-a', 'prompt-1': 'instance-b' })
        await s.save(c, snapshotOf(2), 1, { open: false })
        expect(await s.operationOwners?.(c)).toEqual({})
        await s.delete(d)
        expect(await s.operationOwners?.(d)).toEqual({})
      })
    })

    describe('instances', () => {
      it('knows an instance alive while its heartbeat lasts, and gone after it or once forgotten', async () => {
        const s = await store()
        const [a, b] = [id(), id()]
        expect(await s.isAlive(a)).toBe(false)
        await s.heartbeat(a, 200)
        await s.heartbeat(b, 10_000)
        expect(await s.isAlive(a)).toBe(true)
        await s.forgetInstance(b)
        expect(await s.isAlive(b)).toBe(false)
        await sleep(350)
        expect(await s.isAlive(a)).toBe(false)
      })
    })
  })
}
