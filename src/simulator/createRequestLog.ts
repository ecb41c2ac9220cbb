/** One Graph request as the simulator saw and answered it. */
export interface RecordedRequest {
  /** Epoch milliseconds at arrival. */
  readonly at: number
  readonly method: string
  readonly path: string
  /** The catalog action, `keepAlive`, or `unknown`. */
  readonly action: string
  readonly callId?: string
  readonly participantId?: string
  readonly status: number
  /** The `client-request-id` header the client sent, if any. */
  readonly clientRequestId?: string
  /** The `request-id` the simulator answered with. */
  readonly requestId: string
}

/** The last requests, oldest first, bounded so a long benchmark does not grow without end. */
export interface RequestLog {
  readonly record: (r: RecordedRequest) => void
  readonly list: () => RecordedRequest[]
}

/** Creates a log keeping the last `capacity` requests. */
export const createRequestLog = (capacity: number): RequestLog => {
  const ring: RecordedRequest[] = []
  let next = 0
  return {
    record: (r) => {
      if (ring.length < capacity) ring.push(r)
      else ring[next] = r
      next = (next + 1) % capacity
    },
    list: () => (ring.length < capacity ? [...ring] : [...ring.slice(next), ...ring.slice(0, next)]),
  }
}
