import { startChild, type ChildRunner } from '../support/childProcess.js'
import { MemoryRun } from './MemoryRun.js'

/** Item 3: one `--expose-gc` process per size. */
export const runMemory = async (sizes: readonly number[], runner: ChildRunner, log: (line: string) => void): Promise<MemoryRun[]> => {
  const runs: MemoryRun[] = []
  for (const calls of sizes) {
    const child = startChild('memory/memoryProcess', { calls }, { runner, nodeFlags: ['--expose-gc', '--max-old-space-size=8192'] })
    const run = await child.next(MemoryRun)
    await child.stop()
    log(`  ${String(calls).padStart(7)} calls: heap ${(run.heapIdleBytesPerCall / 1024).toFixed(1)} KiB idle, ${(run.heapInFlightBytesPerCall / 1024).toFixed(1)} KiB with one operation in flight`)
    runs.push(run)
  }
  return runs
}
