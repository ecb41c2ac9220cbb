import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { and, assign, emit, enqueueActions, fromPromise, not, or, raise, setup, type AnyMachineSnapshot, type EventObject } from 'xstate'
import { compileMachineStep } from '../../machines/machineStep.js'
import { expectSameSteps, pureScope } from './stepAgreement.js'

// The call machine's model proves the compiled step equal to XState on every path it generates
// (call.model.test.ts). This machine uses what the call machine does not, or only rarely: two
// regions taking one event, transitions of two regions that conflict, a reentering transition,
// chains of eventless transitions and raised events, exit and entry actions in nested states,
// guards with params, or and not. Random walks over it must agree with XState after every step.

type Ev = { readonly type: 'go' | 'tick' | 'left' | 'both' | 'clash' | 'again' | 'reset' | 'noise'; readonly n?: number }

const base = setup({
  types: { context: {} as { count: number; log: string[] }, events: {} as Ev, emitted: {} as { type: 'said'; what: string } },
  guards: {
    atLeast: ({ context }, params: { n: number }) => context.count >= params.n,
    even: ({ context }) => context.count % 2 === 0,
    big: ({ event }) => (event.n ?? 0) > 5,
  },
  actions: {
    // Each note records the count, so the order of actions shows in the context.
    note: assign({ log: ({ context, event }, params: { what: string }) => [...context.log, `${params.what}:${event.type}:${context.count}`] }),
    bump: assign({ count: ({ context }) => context.count + 1 }),
    // Both property assigners see the context from before the assign.
    bumpAndNote: assign({ count: ({ context }) => context.count + 1, log: ({ context }) => [...context.log, `count was ${context.count}`] }),
  },
})

const toy = base.extend({
  actions: {
    tell: base.enqueueActions(({ context, event, enqueue }) => {
      enqueue.emit({ type: 'said', what: `${event.type}@${context.count}` })
      if (context.count % 3 === 0) enqueue.raise({ type: 'tick' })
      enqueue.assign({ count: context.count + 10 })
      enqueue({ type: 'note', params: { what: 'enqueued' } })
    }),
  },
}).createMachine({
  id: 'toy',
  initial: 'idle',
  context: { count: 0, log: [] },
  on: { reset: { target: '.idle', actions: assign({ count: 0 }) }, noise: { actions: emit({ type: 'said', what: 'noise' }) }, tick: { actions: { type: 'note', params: { what: 'root' } } } },
  states: {
    idle: {
      entry: { type: 'note', params: { what: 'enter idle' } },
      exit: { type: 'note', params: { what: 'exit idle' } },
      on: { go: 'busy', tick: { actions: 'bump' }, noise: { guard: 'even', actions: { type: 'note', params: { what: 'idle' } } } },
    },
    busy: {
      type: 'parallel',
      entry: ['tell', raise({ type: 'tick' })],
      exit: { type: 'note', params: { what: 'exit busy' } },
      // Taken when region b's b2 has its own eventless transition too: the deeper one wins.
      always: { guard: { type: 'atLeast', params: { n: 60 } }, target: 'done', actions: { type: 'note', params: { what: 'busy always' } } },
      on: { left: '#toy.done', again: { target: 'busy', reenter: true, actions: 'bump' } },
      states: {
        a: {
          initial: 'a1',
          states: {
            a1: { on: { tick: { target: 'a2', actions: 'bump' }, both: { target: 'a2', actions: { type: 'note', params: { what: 'a' } } } } },
            a2: {
              entry: { type: 'note', params: { what: 'enter a2' } },
              always: [{ guard: and([{ type: 'atLeast', params: { n: 20 } }, 'even']), target: 'a3' }],
              on: { tick: { guard: not('even'), actions: 'bump' }, clash: '#toy.idle' },
            },
            a3: { entry: 'tell', on: { tick: 'a1' } },
          },
        },
        b: {
          initial: 'b1',
          states: {
            b1: { on: { both: { target: 'b2', actions: { type: 'note', params: { what: 'b' } } }, go: { guard: or(['big', 'even']), target: 'b2', actions: assign({ count: ({ context }) => context.count + 30 }) }, clash: '#toy.done' } },
            b2: { exit: 'bump', always: { guard: { type: 'atLeast', params: { n: 40 } }, target: 'b1', actions: raise({ type: 'tick' }) }, on: { clash: '#toy.done', tick: 'b1' } },
          },
        },
      },
    },
    done: { on: { go: { target: 'idle', actions: 'bump' }, tick: { actions: 'bumpAndNote' } } },
  },
})

const step = compileMachineStep<AnyMachineSnapshot, Ev, unknown>(toy, new Set())
const events: Ev[] = (['go', 'tick', 'left', 'both', 'clash', 'again', 'reset', 'noise'] as const).flatMap((type) => [{ type }, { type, n: 9 }])

describe('the compiled machine step', () => {
  it('agrees with XState after every step of random walks over parallel regions, conflicts, reentry, eventless chains and raised events', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...events), { minLength: 1, maxLength: 60 }), (walk) => {
        expect(expectSameSteps(toy, step, undefined, walk)).toBe(0)
      }),
      { seed: 20261203, numRuns: 400 },
    )
  })

  it('keeps the first of two regions’ transitions whose exits meet, as XState does', () => {
    // After a big go: a is in a2 and b back in b1 (the tick busy's entry raised); both take clash.
    expectSameSteps(toy, step, undefined, [{ type: 'go', n: 9 }, { type: 'clash' }])
    const { scope } = pureScope(toy)
    const busy = toy.transition(toy.getInitialSnapshot(scope), { type: 'go', n: 9 }, scope)
    expect(busy.value).toEqual({ busy: { a: 'a2', b: 'b1' } })
    expect(step(busy, { type: 'clash' }, [])?.value).toBe('idle')
  })

  it('declines a step whose actions do what it does not (here a delayed raise), having emitted nothing', () => {
    const delayed = setup({ types: { events: {} as EventObject } }).createMachine({
      on: { later: { actions: enqueueActions(({ enqueue }) => enqueue.raise({ type: 'soon' }, { delay: 10 })) }, now: { actions: emit({ type: 'x' }) } },
    })
    const s = compileMachineStep<AnyMachineSnapshot, EventObject, unknown>(delayed, new Set())
    const start = delayed.getInitialSnapshot(pureScope(delayed).scope)
    const emitted: unknown[] = []
    expect(s(start, { type: 'later' }, emitted)).toBeUndefined()
    expect(emitted).toEqual([])
    expect(s(start, { type: 'now' }, emitted)).toBe(start)
    expect(emitted).toEqual([{ type: 'x' }])
  })

  it('reports a guard that throws as XState does, with the guard, the event and the state named', () => {
    const failing = setup({
      types: { events: {} as EventObject },
      guards: {
        broken: () => {
          throw new Error('no such participant')
        },
      },
    }).createMachine({ id: 'm', initial: 'a', states: { a: { on: { go: [{ guard: 'broken', target: 'b' }, { target: 'b' }] } }, b: {} } })
    const s = compileMachineStep<AnyMachineSnapshot, EventObject, unknown>(failing, new Set())
    const { scope } = pureScope(failing)
    const start = failing.getInitialSnapshot(scope)
    let xstate: unknown
    try {
      failing.transition(start, { type: 'go' }, scope)
    } catch (err) {
      xstate = err
    }
    expect(xstate).toBeInstanceOf(Error)
    expect(() => s(start, { type: 'go' }, [])).toThrow((xstate as Error).message)
    expect((xstate as Error).message).toContain("'broken'")
  })

  it('pushes nothing of a step that throws, though an action before the throw emitted', () => {
    const throwing = setup({ types: { events: {} as EventObject } }).createMachine({
      on: {
        go: {
          actions: [
            emit({ type: 'first' }),
            assign(() => {
              throw new Error('broken action')
            }),
          ],
        },
      },
    })
    const s = compileMachineStep<AnyMachineSnapshot, EventObject, unknown>(throwing, new Set())
    const start = throwing.getInitialSnapshot(pureScope(throwing).scope)
    const emitted: unknown[] = []
    expect(() => s(start, { type: 'go' }, emitted)).toThrow('broken action')
    expect(emitted).toEqual([])
  })

  it('refuses at compile time a machine with what it does not run: invoked actors, final states, delayed transitions, custom actions', () => {
    const refused = [
      setup({ actors: { work: fromPromise(async () => 1) } }).createMachine({ initial: 'a', states: { a: { invoke: { src: 'work' } } } }),
      setup({}).createMachine({ initial: 'a', states: { a: { on: { end: 'b' } }, b: { type: 'final' } } }),
      setup({}).createMachine({ initial: 'a', states: { a: { after: { 100: 'b' } }, b: {} } }),
      setup({ actions: { effect: () => {} } }).createMachine({ on: { x: { actions: 'effect' } } }),
    ]
    for (const machine of refused) expect(() => compileMachineStep(machine, new Set())).toThrow(/machineStep/)
  })
})
