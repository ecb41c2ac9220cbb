/** Runs `work` over `items`, at most `concurrency` at a time, in order of start. */
export const pool = async <A>(items: readonly A[], concurrency: number, work: (item: A, index: number) => Promise<void>): Promise<void> => {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      await work(items[index] as A, index)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker))
}

/** Resolves after the current microtasks and I/O callbacks have run. */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Collects garbage fully when node runs with `--expose-gc` (a few passes, so weak and finalised objects go too). */
export const fullGc = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.()
    await tick()
  }
}
