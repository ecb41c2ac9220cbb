/** Graph's `resultInfo`: `code` is HTTP-like (2xx success, 4xx client error, 5xx server error). */
export interface ResultInfo {
  readonly code: number
  readonly subcode?: number
  readonly message?: string
}
