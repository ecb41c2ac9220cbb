// Waits before trying a failed store call again: a dropped connection is usually back within these.
const STORE_RETRY_DELAYS_MS = [100, 300, 1_000]

/**
 * Runs a store call, trying again after a failure (a dropped connection). Only for calls that are
 * safe to repeat: loads, and saves repeated with their write id (the store recognises its own write).
 */
export const retryStoreCall = async <A>(call: () => Promise<A>): Promise<A> => {
  for (const delay of STORE_RETRY_DELAYS_MS) {
    try {
      return await call()
    } catch {
      await new Promise((r) => setTimeout(r, delay).unref())
    }
  }
  return call()
}
