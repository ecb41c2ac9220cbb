import { withoutSecrets } from './withoutSecrets.js'
import type { ServerResponse } from 'node:http'
import type { ViewMessage } from './ViewMessage.js'

/** Limits of a {@link SseHub}. */
export interface SseHubOptions {
  readonly maxClients: number
  /** A page with more bytes than this waiting to be sent is dropped, not waited for. */
  readonly maxBufferedBytes: number
  /** Recent messages kept to replay to a page that opens later. */
  readonly replayLimit: number
  /** Messages queued within one tick beyond this are counted as lost instead. */
  readonly maxPending?: number
}

/** Counters of the live view's event streams: pages connected, pages dropped for reading too slowly, messages lost. */
export interface SseHubStats {
  readonly clients: number
  /** Pages dropped because they did not read fast enough. */
  readonly dropped: number
  /** Messages lost because too many were queued within one tick. */
  readonly lost: number
}

/** Server-sent events to every open page, with a bounded queue per page. */
export interface SseHub {
  /** Pages connected now: callers build nothing when it is 0. */
  readonly size: () => number
  /** Queues a message for every open page; sent on the next tick, batched. */
  readonly publish: (message: ViewMessage) => void
  /**
   * Opens a stream on `res`: `intro` first, then the recent history, then `current` (the state now,
   * which the history leads up to), then every published message. False when the hub is full.
   */
  readonly open: (res: ServerResponse, intro: readonly ViewMessage[], current: () => readonly ViewMessage[]) => boolean
  /** Called when the first page opens (false) and when the last one goes (true). Returns the unsubscribe function. */
  readonly onIdleChange: (listener: (idle: boolean) => void) => () => void
  readonly stats: () => SseHubStats
  /** Ends every stream. */
  readonly close: () => void
}

// The history outlives the last page this long, so a reload finds it.
const KEEP_HISTORY_MS = 60_000
const HEARTBEAT_MS = 15_000

const frame = (message: ViewMessage): string | undefined => {
  try {
    return `data: ${JSON.stringify(message, withoutSecrets)}\n\n`
  } catch {
    return undefined
  }
}

/**
 * Creates the fan-out of the live view. Publishing never waits for a page: messages of one tick
 * are serialised once and written to each page's socket; a page whose socket already holds more
 * than `maxBufferedBytes` unsent is disconnected (it can reconnect and get the history).
 */
export const createSseHub = (options: SseHubOptions): SseHub => {
  const clients = new Set<ServerResponse>()
  const maxPending = options.maxPending ?? 10_000
  let pending: ViewMessage[] = []
  let lostNow = 0
  let scheduled = false
  let dropped = 0
  let lost = 0
  // A ring of serialised frames: `history[(start + i) % limit]`.
  const history: string[] = []
  let start = 0
  let forget: NodeJS.Timeout | undefined
  let heartbeat: NodeJS.Timeout | undefined
  const idleListeners = new Set<(idle: boolean) => void>()

  const remember = (f: string): void => {
    if (options.replayLimit === 0) return
    if (history.length < options.replayLimit) history.push(f)
    else {
      history[start] = f
      start = (start + 1) % options.replayLimit
    }
  }

  const drop = (res: ServerResponse): void => {
    if (!clients.delete(res)) return
    dropped++
    res.destroy()
    if (clients.size === 0) becameIdle()
  }

  // What a page has not taken yet stays under its budget plus one batch: a page keeping up has nothing waiting.
  const write = (res: ServerResponse, chunk: string): void => {
    if (res.writableLength > options.maxBufferedBytes) drop(res)
    else res.write(chunk)
  }

  const flush = (): void => {
    scheduled = false
    const batch = pending
    pending = []
    let chunk = ''
    for (const m of batch) {
      const f = frame(m)
      if (f === undefined) continue
      remember(f)
      chunk += f
    }
    if (lostNow > 0) {
      const f = frame({ k: 'lost', t: Date.now(), n: lostNow })
      lostNow = 0
      if (f !== undefined) {
        remember(f)
        chunk += f
      }
    }
    if (chunk === '') return
    for (const res of [...clients]) write(res, chunk)
  }

  const becameIdle = (): void => {
    clearInterval(heartbeat)
    heartbeat = undefined
    forget = setTimeout(() => {
      history.length = 0
      start = 0
    }, KEEP_HISTORY_MS)
    forget.unref()
    for (const l of [...idleListeners]) l(true)
  }

  const becameBusy = (): void => {
    clearTimeout(forget)
    heartbeat = setInterval(() => {
      for (const res of [...clients]) write(res, ': ping\n\n')
    }, HEARTBEAT_MS)
    heartbeat.unref()
    for (const l of [...idleListeners]) l(false)
  }

  return {
    size: () => clients.size,
    publish: (message) => {
      if (clients.size === 0) return
      if (pending.length >= maxPending) {
        lostNow++
        lost++
        return
      }
      pending.push(message)
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
    },
    open: (res, intro, current) => {
      if (clients.size >= options.maxClients) return false
      // What is queued belongs to the history the new page is about to get.
      if (scheduled) flush()
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      })
      // The history that fits in half the page's budget, newest kept.
      const replay: string[] = []
      let bytes = 0
      for (let i = history.length - 1; i >= 0; i--) {
        const f = history[(start + i) % history.length] ?? ''
        bytes += f.length
        if (bytes > options.maxBufferedBytes / 2) break
        replay.push(f)
      }
      replay.reverse()
      const frames = [...intro.map(frame), ...replay, ...current().map(frame)].filter((f): f is string => f !== undefined)
      res.write(`retry: 2000\n\n${frames.join('')}`)
      clients.add(res)
      if (clients.size === 1) becameBusy()
      res.on('close', () => {
        if (clients.delete(res) && clients.size === 0) becameIdle()
      })
      return true
    },
    onIdleChange: (listener) => {
      idleListeners.add(listener)
      return () => idleListeners.delete(listener)
    },
    stats: () => ({ clients: clients.size, dropped, lost }),
    close: () => {
      for (const res of [...clients]) {
        clients.delete(res)
        res.end()
      }
      clearInterval(heartbeat)
      clearTimeout(forget)
      history.length = 0
    },
  }
}
