import v8 from 'node:v8'
import vm from 'node:vm'

/** How the heap was measured: after a forced full collection, or after a settle period only. */
export type GcMode = 'forced' | 'settled'

const findGc = (): (() => void) | undefined => {
  const global = (globalThis as { gc?: unknown }).gc
  if (typeof global === 'function') return () => void global()
  try {
    // Without --expose-gc: turn the flag on now and take `gc` from a fresh context, where V8
    // installs it once the flag is set. Works on Node 20; a runtime that refuses falls back below.
    v8.setFlagsFromString('--expose-gc')
    const fromContext: unknown = vm.runInNewContext('gc')
    if (typeof fromContext === 'function') return () => void fromContext()
  } catch {
    // fall through: no forced collection available
  }
  return undefined
}

const gc = findGc()

/** How {@link heapAfterGc} measures on this runtime. */
export const gcMode: GcMode = gc === undefined ? 'settled' : 'forced'

/**
 * The used V8 heap in bytes after a forced full collection (twice, so objects freed by finalisers
 * of the first are gone too), or after `settleMs` of idle time when no collection can be forced.
 */
export const heapAfterGc = async (settleMs = 1_000): Promise<number> => {
  if (gc === undefined) {
    await new Promise((r) => setTimeout(r, settleMs))
    return process.memoryUsage().heapUsed
  }
  gc()
  await new Promise((r) => setImmediate(r))
  gc()
  return process.memoryUsage().heapUsed
}
