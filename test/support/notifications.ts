/** Builders of Graph notification bodies, as the docs show them. */

export interface OperationNotice {
  readonly callId: string
  readonly operationId: string | null
  readonly clientContext?: string
  readonly status?: string
  readonly resultInfo?: { code: number; subcode?: number; message?: string }
  readonly odataType?: string
  /** Override the resourceUrl (quirk tests). */
  readonly resourceUrl?: string
}

export const operationNotification = (n: OperationNotice): Record<string, unknown> => ({
  '@odata.type': '#microsoft.graph.commsNotification',
  changeType: 'deleted',
  resourceUrl: n.resourceUrl ?? `communications/calls/${n.callId}/operations/${n.operationId ?? 'participants'}`,
  resourceData: {
    '@odata.type': n.odataType ?? '#microsoft.graph.startHoldMusicOperation',
    id: n.operationId,
    status: n.status ?? 'completed',
    ...(n.clientContext === undefined ? {} : { clientContext: n.clientContext }),
    ...(n.resultInfo === undefined ? {} : { resultInfo: n.resultInfo }),
  },
})

export const batch = (...value: Record<string, unknown>[]): Record<string, unknown> => ({
  '@odata.type': '#microsoft.graph.commsNotifications',
  value,
})

export const terminated = (callId: string): Record<string, unknown> => ({
  changeType: 'deleted',
  resourceUrl: `/communications/calls/${callId}`,
  resourceData: { '@odata.type': '#microsoft.graph.call', state: 'terminated' },
})

export const rosterLeft = (callId: string, participantId: string): Record<string, unknown> => ({
  changeType: 'deleted',
  resourceUrl: `/communications/calls/${callId}/participants`,
  resourceData: [{ '@odata.type': '#microsoft.graph.participant', id: participantId }],
})

export const rosterUpdated = (callId: string, participants: { id: string; isMuted?: boolean; name?: string }[]): Record<string, unknown> => ({
  changeType: 'updated',
  resourceUrl: `/communications/calls/${callId}/participants`,
  resourceData: participants.map((p) => ({
    '@odata.type': '#microsoft.graph.participant',
    id: p.id,
    ...(p.name === undefined ? {} : { info: { identity: { user: { displayName: p.name } } } }),
    ...(p.isMuted === undefined ? {} : { isMuted: p.isMuted }),
    isInLobby: false,
  })),
})

/** POSTs a JSON body to a webhook URL and returns the status. */
export const post = async (url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, text: await res.text() }
}
