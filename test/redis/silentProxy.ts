import net from 'node:net'
import type { AddressInfo } from 'node:net'

/** A TCP proxy that can go silent: connections stay open but nothing is forwarded either way. */
export interface SilentProxy {
  readonly port: number
  /** Stops forwarding, as a partition that drops packets would (no FIN, no RST). */
  silence(): void
  close(): Promise<void>
}

/** Starts a loopback proxy to `target` (host:port). */
export const startSilentProxy = async (targetPort: number): Promise<SilentProxy> => {
  let silent = false
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1')
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => undefined)
      s.on('close', () => sockets.delete(s))
    }
    client.on('data', (d) => {
      if (!silent) upstream.write(d)
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
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
