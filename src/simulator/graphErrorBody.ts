import type { GraphErrorBody } from '../codecs/GraphErrorBody.js'

/**
 * A Graph-style error body: `{ error: { code, message, innerError: { request-id, date, client-request-id } } }`.
 *
 * @example
 * ```ts
 * graphErrorBody('BadRequest', 'clientContext: too long', requestId, clientRequestId)
 * ```
 */
export const graphErrorBody = (code: string, message: string, requestId: string, clientRequestId: string | undefined): GraphErrorBody => ({
  error: {
    code,
    message,
    innerError:
      clientRequestId === undefined
        ? { 'request-id': requestId, date: new Date().toISOString() }
        : { 'request-id': requestId, date: new Date().toISOString(), 'client-request-id': clientRequestId },
  },
})
