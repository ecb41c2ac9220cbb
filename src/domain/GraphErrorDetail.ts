/** The `error` member of Graph's error body: `{ code, message, innerError: { request-id, date } }`. */
export interface GraphErrorDetail {
  readonly code: string
  readonly message: string
  readonly innerError?: {
    readonly 'request-id'?: string
    readonly 'client-request-id'?: string
    readonly date?: string
  }
}
