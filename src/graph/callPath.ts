/** The path of a call, its id escaped (ids are checked with validatePathId first). */
export const callPath = (callId: string): string => `/communications/calls/${encodeURIComponent(callId)}`
