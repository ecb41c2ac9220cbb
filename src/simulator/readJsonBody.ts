import type { IncomingMessage } from 'node:http'
import * as E from 'fp-ts/lib/Either.js'

/** Why a request body could not be read. */
export interface BodyRefusal {
  readonly status: 400 | 413
  readonly message: string
}

/** The largest body the simulator reads (a Graph action body is a few hundred bytes). */
export const maxBodyBytes = 1024 * 1024

/**
 * Reads a request body as JSON: an empty body is `{}`, a body over {@link maxBodyBytes} is 413,
 * malformed JSON is 400. The value is `unknown`: callers decode it with a codec.
 */
export const readJsonBody = (req: IncomingMessage): Promise<E.Either<BodyRefusal, unknown>> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBodyBytes) tooLarge = true
      else chunks.push(chunk)
    })
    req.on('error', () => resolve(E.left({ status: 400, message: 'the request body could not be read' })))
    req.on('end', () => {
      if (tooLarge) return resolve(E.left({ status: 413, message: `the request body is over ${maxBodyBytes} bytes` }))
      const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8')
      if (text.trim() === '') return resolve(E.right({}))
      try {
        resolve(E.right(JSON.parse(text) as unknown))
      } catch {
        resolve(E.left({ status: 400, message: 'the request body is not valid JSON' }))
      }
    })
  })
