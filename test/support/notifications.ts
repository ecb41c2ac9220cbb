/** The tests' short names for the notification builders of callops/testing, plus a POST helper. */
import {
  callTerminated,
  notificationBatch,
  operationNotification as libOperationNotification,
  rosterLeft as libRosterLeft,
  rosterUpdated as libRosterUpdated,
  type OperationNotice as LibOperationNotice,
} from '../../src/testing/index.js'

export interface OperationNotice extends LibOperationNotice {
  /** Override the resourceUrl (quirk tests). */
  readonly resourceUrl?: string
}

export const operationNotification = (n: OperationNotice): Record<string, unknown> => {
  const note = libOperationNotification(n)
  return n.resourceUrl === undefined ? note : { ...note, resourceUrl: n.resourceUrl }
}

export const batch = notificationBatch

export const terminated = callTerminated

export const rosterLeft = (callId: string, participantId: string): Record<string, unknown> => libRosterLeft(callId, participantId)

export const rosterUpdated = (callId: string, participants: { id: string; isMuted?: boolean; name?: string }[]): Record<string, unknown> =>
  libRosterUpdated(
    callId,
    participants.map((p) => ({
      id: p.id,
      ...(p.isMuted === undefined ? {} : { isMuted: p.isMuted }),
      ...(p.name === undefined ? {} : { displayName: p.name }),
    })),
  )

/** POSTs a JSON body to a webhook URL and returns the status. */
export const post = async (url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, text: await res.text() }
}
