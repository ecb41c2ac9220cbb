import { and, not, or, type AnyStateMachine, type EventObject } from 'xstate'

// The guards and actions of a machine as plain functions, for machineStep.ts: what XState's
// evaluateGuard and its assign, emit, raise and enqueueActions do, without building an action
// object per enqueued action or a snapshot per assign.

/** A guard: whether a transition is enabled. */
export type Guard = (context: unknown, event: EventObject) => boolean

/** What one step changes as its actions run: the context, the events emitted, the events raised. */
export interface Run {
  context: object
  readonly emitted: unknown[]
  readonly queue: EventObject[]
}

/** An action: it changes `run`. */
export type Act = (run: Run, event: EventObject) => void

/** Thrown where an action does what the stepper does not; the step is then declined. */
export class StepUnsupported extends Error {}

// The built-in guards are told apart by their check function, which each carries.
const checkOf = (guard: unknown): unknown => (typeof guard === 'function' && 'check' in guard ? guard.check : undefined)
const AND = checkOf(and([]))
const OR = checkOf(or([]))
const NOT = checkOf(not(() => true))

const paramsOf = (ref: unknown): ((context: unknown, event: EventObject) => unknown) | unknown => (typeof ref === 'object' && ref !== null && 'params' in ref ? ref.params : undefined)

const resolveParams = (params: unknown, context: unknown, event: EventObject): unknown => (typeof params === 'function' ? params({ context, event }) : params)

/** The name a guard or action reference gives (`'name'` or `{ type: 'name', params }`), if any. */
export const refName = (ref: unknown): string | undefined =>
  typeof ref === 'string' ? ref : typeof ref === 'object' && ref !== null && 'type' in ref && typeof ref.type === 'string' ? ref.type : undefined

// One arguments object per guard, filled in for each evaluation: guards read it and return.
const calling = (fn: (args: unknown, params: unknown) => boolean, params: unknown): Guard => {
  const args: { context: unknown; event: EventObject | undefined } = { context: undefined, event: undefined }
  return (context, event) => {
    args.context = context
    args.event = event
    return fn(args, resolveParams(params, context, event))
  }
}

/**
 * Compiles guards and actions of `machine`. `noOps` names custom actions that do nothing but mark a
 * step for an inspector. `guardOf` and `actsOf` throw an Error for what they cannot run; an action
 * an enqueueActions body enqueues is resolved when it runs, and one the stepper cannot run throws
 * {@link StepUnsupported} then.
 */
export const compileStepLogic = (machine: AnyStateMachine, noOps: ReadonlySet<string>) => {
  const guards = machine.implementations.guards as Record<string, unknown>
  const actions = machine.implementations.actions as Record<string, unknown>

  const compileGuard = (guard: unknown): Guard => {
    if (typeof guard === 'function') {
      const check = checkOf(guard)
      const inner: unknown[] = 'guards' in guard && Array.isArray(guard.guards) ? guard.guards : []
      if (check === AND) {
        const all = inner.map(compileGuard)
        return (c, e) => all.every((g) => g(c, e))
      }
      if (check === OR) {
        const any = inner.map(compileGuard)
        return (c, e) => any.some((g) => g(c, e))
      }
      if (check === NOT) {
        const [g] = inner.map(compileGuard)
        if (g === undefined) throw new Error('machineStep: not() without a guard')
        return (c, e) => !g(c, e)
      }
      if (check !== undefined) throw new Error(`machineStep: the built-in guard ${guard.name} is not supported`)
      return calling(guard as (args: unknown, params: unknown) => boolean, undefined)
    }
    const name = refName(guard)
    const impl = name === undefined ? undefined : guards[name]
    if (impl === undefined) throw new Error(`machineStep: guard ${String(name)} is not implemented`)
    // A guard implemented by another guard (and([...]), a reference) is that guard, with its own params.
    if (typeof impl !== 'function' || 'check' in impl) return compileGuard(impl)
    return calling(impl as (args: unknown, params: unknown) => boolean, typeof guard === 'string' ? undefined : paramsOf(guard))
  }

  // As XState's assign: every property assigner sees the context before this assign.
  const assign = (assignment: unknown, params: unknown, run: Run, event: EventObject): void => {
    const before = run.context
    if (typeof assignment === 'function') {
      run.context = { ...before, ...(assignment({ context: before, event }, resolveParams(params, before, event)) as object) }
      return
    }
    const next: Record<string, unknown> = { ...before }
    let args: { context: object; event: EventObject } | undefined
    // Its own keys, as XState's Object.keys, without the array (this runs for most events).
    for (const key in assignment as object) {
      if (!Object.prototype.hasOwnProperty.call(assignment, key)) continue
      const value: unknown = (assignment as Record<string, unknown>)[key]
      next[key] = typeof value === 'function' ? value((args ??= { context: before, event }), resolveParams(params, before, event)) : value
    }
    run.context = next
  }
  const assignWith = (assignment: unknown, params: unknown): Act => (run, event) => assign(assignment, params, run, event)

  const eventOf = (expr: unknown, run: Run, event: EventObject, params: unknown): unknown =>
    typeof expr === 'function' ? expr({ context: run.context, event }, resolveParams(params, run.context, event)) : expr

  // What an enqueueActions body enqueues, as kind and argument, flat: resolved once the body returns.
  let sink: unknown[] = []
  const RAW = 0
  const ASSIGN = 1
  const EMIT = 2
  const RAISE = 3
  const enqueue = Object.assign((action: unknown) => void sink.push(RAW, action), {
    assign: (assignment: unknown) => void sink.push(ASSIGN, assignment),
    emit: (event: unknown) => void sink.push(EMIT, event),
    raise: (event: unknown, options?: { readonly delay?: unknown; readonly id?: unknown }) => {
      if (options?.delay !== undefined) throw new StepUnsupported('a delayed raise')
      sink.push(RAISE, event)
    },
    cancel: () => {
      throw new StepUnsupported('cancel')
    },
    sendTo: () => {
      throw new StepUnsupported('sendTo')
    },
    sendParent: () => {
      throw new StepUnsupported('sendParent')
    },
    spawnChild: () => {
      throw new StepUnsupported('spawnChild')
    },
    stopChild: () => {
      throw new StepUnsupported('stopChild')
    },
  })

  // `check` of the body running now: bodies run one at a time (an enqueued enqueueActions runs after its parent's body returned).
  let checkContext: unknown
  let checkEvent: EventObject = { type: '' }
  const check = (guard: unknown): boolean => compileGuard(guard)(checkContext, checkEvent)

  const collectWith = (collect: (args: unknown, params: unknown) => void, params: unknown): Act => (run, event) => {
    const mine: unknown[] = []
    const saved = sink
    const savedContext = checkContext
    const savedEvent = checkEvent
    sink = mine
    const context = run.context
    checkContext = context
    checkEvent = event
    try {
      collect({ context, event, enqueue, check }, resolveParams(params, context, event))
    } finally {
      sink = saved
      checkContext = savedContext
      checkEvent = savedEvent
    }
    for (let i = 0; i < mine.length; i += 2) {
      const arg = mine[i + 1]
      switch (mine[i]) {
        case ASSIGN:
          assign(arg, undefined, run, event)
          break
        case EMIT:
          run.emitted.push(eventOf(arg, run, event, undefined))
          break
        case RAISE:
          run.queue.push(eventOf(arg, run, event, undefined) as EventObject)
          break
        default:
          actOf(arg, false)(run, event)
      }
    }
  }

  const noOp: Act = () => {}

  /** `strict`: at compile time, an action the stepper cannot run is an error; at run time, a fallback. */
  const actOf = (action: unknown, strict: boolean): Act => {
    const fail = (what: string): never => {
      if (strict) throw new Error(`machineStep: ${what} is not supported`)
      throw new StepUnsupported(what)
    }
    const name = refName(action)
    if (name !== undefined && noOps.has(name)) return noOp
    const impl: unknown = typeof action === 'function' ? action : name === undefined ? undefined : actions[name]
    // XState runs an action without implementation as nothing.
    if (impl === undefined) return noOp
    if (typeof impl !== 'function' || !('resolve' in impl)) return fail(`the custom action ${String(name)}`)
    const params = typeof action === 'function' ? undefined : paramsOf(action)
    const type: unknown = 'type' in impl ? impl.type : undefined
    if (type === 'xstate.assign' && 'assignment' in impl) return assignWith(impl.assignment, params)
    if (type === 'xstate.enqueueActions' && 'collect' in impl && typeof impl.collect === 'function') return collectWith(impl.collect as (args: unknown, params: unknown) => void, params)
    if (type === 'xstate.emit' && 'event' in impl) {
      const expr = impl.event
      return (run, event) => void run.emitted.push(eventOf(expr, run, event, params))
    }
    if (type === 'xstate.raise' && 'event' in impl && (!('delay' in impl) || impl.delay === undefined)) {
      const expr = impl.event
      return (run, event) => void run.queue.push(eventOf(expr, run, event, params) as EventObject)
    }
    return fail(`the action ${String(type)}`)
  }

  const actsOf = (list: readonly unknown[]): Act[] => list.map((a) => actOf(a, true))
  return { guardOf: compileGuard, actsOf }
}
