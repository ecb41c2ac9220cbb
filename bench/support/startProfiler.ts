import { writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'

/**
 * Starts V8's sampling CPU profiler (the one behind `node --cpu-prof`) in this process, so that
 * only the measured window is profiled. The returned function stops it and writes the
 * `.cpuprofile` to `file`.
 */
export const startProfiler = async (file: string, intervalUs = 200): Promise<() => Promise<void>> => {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs })
  await session.post('Profiler.start')
  return async () => {
    const { profile } = await session.post('Profiler.stop')
    await writeFile(file, JSON.stringify(profile))
    session.disconnect()
  }
}
