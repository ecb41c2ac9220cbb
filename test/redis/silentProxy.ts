import net from 'node:net'
import type { AddressInfo } from 'node:net'

/** A TCP proxy that can go silent: connections stay open but nothing is forwarded either way. */
export interface SilentProxy {
  readonly port: number
  /** Stops forwarding, as a partition that drops packets would (no FIN, no RST). */
  silence(): void
  /**
   * Goes silent right after forwarding the client chunk in which `pattern` has been seen `count`
   * times in all (those commands reach the server; no answer comes back). Resolves then.
   */
  silenceAfter(pattern: RegExp, count: number): Promise<void>
  /** Ends the partition as a long one ends: every connection through it is reset, new ones forward again. */
  heal(): void
  close(): Promise<void>
}

/** Starts a loopback proxy to `target` (host:port). */
export const startSilentProxy = async (targetPort: number): Promise<SilentProxy> => {
  let silent = false
  let trigger: { pattern: RegExp; left: number; fired: () => void } | undefined
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1')
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => undefined)
      s.on('close', () => sockets.delete(s))
    }
    client.on('data', (d) => {
      if (silent) return
      upstream.write(d)
      if (trigger === undefined) return
      trigger.left -= d.toString('latin1').match(new RegExp(trigger.pattern.source, 'gi'))?.length ?? 0
      if (trigger.left > 0) return
      silent = true
      const { fired } = trigger
      trigger = undefined
      fired()
    })
    upstream.on('data', (d) => {
      if (!silent) client.write(d)
    })
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.address() as AddressInfo).port,
    silence: () => {
      silent = true
    },
    silenceAfter: (pattern, count) =>
      new Promise<void>((fired) => {
        trigger = { pattern, left: count, fired }
      }),
    heal: () => {
      for (const s of sockets) s.destroy()
      silent = false
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
