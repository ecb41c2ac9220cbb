/**
 * Bounds a store command: it fails with `Command timed out` (ioredis's own words) `ms` after it was
 * issued, whatever the client does with it meanwhile.
 *
 * ioredis's `commandTimeout` starts when a command is written. With auto-pipelining a command waits
 * for the batch before it to be answered before it is written at all, so in a silent partition it
 * would wait out that batch's timeout before its own began. Started at issue, this bound keeps the
 * documented one: every store call answers or fails within `ms` of the moment it is issued.
 *
 * @example
 * ```ts
 * const bounded = withinTimeout(2_000)
 * const reply = await bounded(redis.hmget(key, 'v'))
 * ```
 */
export const withinTimeout =
  (ms: number) =>
  <A>(command: Promise<A>): Promise<A> =>
    new Promise<A>((resolve, reject) => {
      // One timer per command: Node keeps timers of one duration in one list, so this is O(1) (≈ 0.3 µs).
      const timer = setTimeout(() => reject(new Error('Command timed out')), ms)
      timer.unref()
      command.then(
        (a) => {
          clearTimeout(timer)
          resolve(a)
        },
        (err: unknown) => {
          clearTimeout(timer)
          reject(err)
        },
      )
    })
