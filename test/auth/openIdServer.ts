import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** How the fake OpenID provider answers. */
export type OpenIdServerMode = 'ok' | 'status500' | 'badJson' | 'noJwksUri' | 'hang'

/** A local OpenID provider on 127.0.0.1: metadata at `metadataUrl`, key set at `/keys`. */
export interface OpenIdServer {
  readonly metadataUrl: string
  /** Requests received per path since the start. */
  readonly counts: { metadata: number; jwks: number }
  setJwks(jwks: { keys: readonly object[] }): void
  setMode(mode: OpenIdServerMode): void
  close(): Promise<void>
}

/** Starts a {@link OpenIdServer} on a free loopback port. */
export const startOpenIdServer = async (jwks: { keys: readonly object[] }): Promise<OpenIdServer> => {
  let currentJwks = jwks
  let mode: OpenIdServerMode = 'ok'
  const counts = { metadata: 0, jwks: 0 }
  let base = ''

  const answer = (res: ServerResponse, body: unknown): void => {
    if (mode === 'hang') return
    if (mode === 'status500') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('boom')
      return
    }
    const text = mode === 'badJson' ? '{"jwks_uri": ' : JSON.stringify(body)
    res.writeHead(200, { 'content-type': 'application/json' }).end(text)
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/.well-known/openid-configuration') {
      counts.metadata++
      answer(res, mode === 'noJwksUri' ? { issuer: base } : { issuer: base, jwks_uri: `${base}/keys` })
    } else if (req.url === '/keys') {
      counts.jwks++
      answer(res, currentJwks)
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  base = `http://127.0.0.1:${port}`

  return {
    metadataUrl: `${base}/.well-known/openid-configuration`,
    counts,
    setJwks: (next) => {
      currentJwks = next
    },
    setMode: (next) => {
      mode = next
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
