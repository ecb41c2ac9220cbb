import * as t from 'io-ts'
import { ResultInfo } from './ResultInfo.js'

/** The parts of Graph's `call` resource that callops uses from call-state notifications. */
export const CallResource = t.partial(
  {
    '@odata.type': t.string,
    id: t.string,
    state: t.string,
    /** Present for meetings and group calls: unmute is allowed there. */
    meetingInfo: t.union([t.UnknownRecord, t.null]),
    chatInfo: t.union([t.UnknownRecord, t.null]),
    resultInfo: t.union([ResultInfo, t.null]),
  },
  'CallResource',
)
/** A decoded call resource. */
export type CallResource = t.TypeOf<typeof CallResource>
