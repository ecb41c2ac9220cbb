import { assign, createActor, enqueueActions, setup } from 'xstate'

const cpu = (): number => {
  const u = process.cpuUsage()
  return u.user + u.system
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN

// The smallest child that does what an operation child does: it takes an event and reports to its parent.
const child = setup({ types: { events: {} as { type: 'go' } } }).createMachine({
  initial: 'waiting',
  states: {
    waiting: { on: { go: { actions: enqueueActions(({ enqueue }) => enqueue.sendParent({ type: 'reported' })) } } },
  },
})

type ParentEvent =
  | { type: 'assign' }
  | { type: 'ignored' }
  | { type: 'spawn'; id: string }
  | { type: 'stop'; id: string }
  | { type: 'forward'; id: string }
  | { type: 'reported' }

const parent = setup({ types: { context: {} as { n: number }, events: {} as ParentEvent }, actors: { child } }).createMachine({
  context: { n: 0 },
  on: {
    assign: { actions: assign({ n: ({ context }) => context.n + 1 }) },
    spawn: { actions: enqueueActions(({ enqueue, event }) => void (event.type === 'spawn' && enqueue.spawnChild('child', { id: event.id }))) },
    stop: { actions: enqueueActions(({ enqueue, event }) => void (event.type === 'stop' && enqueue.stopChild(event.id))) },
    forward: { actions: enqueueActions(({ enqueue, event }) => void (event.type === 'forward' && enqueue.sendTo(event.id, { type: 'go' }))) },
    reported: { actions: assign({ n: ({ context }) => context.n + 1 }) },
  },
})

/**
 * What XState itself charges for the building blocks the call machine is made of, on a trivial
 * machine (µs of CPU, medians): the floor under any design that keeps operations as child actors.
 * `N` events per measurement, several passes.
 */
export const xstatePrimitiveCosts = (n = 20_000, passes = 7): Map<string, number> => {
  const samples = new Map<string, number[]>()
  const measure = (name: string, each: (actor: ReturnType<typeof createActor<typeof parent>>, i: number) => void): void => {
    for (let pass = 0; pass < passes; pass++) {
      const actor = createActor(parent).start()
      const t0 = cpu()
      for (let i = 0; i < n; i++) each(actor, i)
      const us = (cpu() - t0) / n
      actor.stop()
      if (pass > 0) samples.set(name, [...(samples.get(name) ?? []), us])
    }
  }
  measure('an event with no transition', (a) => a.send({ type: 'ignored' }))
  measure('an event whose transition assigns once', (a) => a.send({ type: 'assign' }))
  measure('spawn a child, then stop it (two events)', (a, i) => {
    a.send({ type: 'spawn', id: `c${i}` })
    a.send({ type: 'stop', id: `c${i}` })
  })
  measure('forward to a child that reports back (sendTo + sendParent)', (a, i) => {
    if (i === 0) a.send({ type: 'spawn', id: 'c' })
    a.send({ type: 'forward', id: 'c' })
  })
  return new Map([...samples].map(([name, xs]) => [name, median(xs)]))
}
