import type { RoutedEvent } from './toCallEvents.js'

/** Request headers as node:http gives them (names in lower case). */
export type NotificationHeaders = Readonly<Record<string, string | readonly string[] | undefined>>

/** The answer to give Graph for one notification POST. */
export interface NotificationResponse {
  /** 204 answers a legacy-format notification: Graph then sends it again in its own format. */
  readonly status: 202 | 204 | 400 | 401 | 403 | 408 | 413 | 415 | 503
  /** Empty for 202 and 204; a Graph-style `{ error: { code, message } }` JSON otherwise. */
  readonly body: string
}

/** A POST checked and decoded: its answer, and the events to apply once it is given (none unless 202). */
export interface CheckedPost {
  readonly response: NotificationResponse
  readonly events: readonly RoutedEvent[]
}

/** A Graph-style error answer: `{ error: { code, message, path? } }`. */
export const refuse = (status: NotificationResponse['status'], code: string, message: string, path?: string): NotificationResponse => ({
  status,
  body: JSON.stringify({ error: path === undefined ? { code, message } : { code, message, path } }),
})

/** One header's value (the first, when node:http gives a list). */
export const header = (headers: NotificationHeaders, name: string): string | undefined => {
  const v = headers[name]
  return typeof v === 'string' ? v : v?.[0]
}

/** Whether a Content-Type is JSON (`application/json`, `application/…+json`, any parameters). */
export const isJsonType = (contentType: string | undefined): boolean =>
  contentType !== undefined && /^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(contentType.trim())
