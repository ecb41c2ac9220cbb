import type { CallStateDetail, ToneReceived } from '../domain/CallNotice.js'
import type { Mutable } from '../domain/Mutable.js'
import type { CallResource } from './CallResource.js'
import { toResultInfo } from './ResultInfo.js'

/**
 * What a call-state notification says beyond the state: resultInfo, terminationReason and
 * `mediaState.audio`. `undefined` when it says none of them.
 *
 * @example
 * ```ts
 * toCallStateDetail({ state: 'terminated', terminationReason: 'AppTransferred' }) // { terminationReason: 'AppTransferred' }
 * ```
 */
export const toCallStateDetail = (call: CallResource): CallStateDetail | undefined => {
  const detail: Mutable<CallStateDetail> = {}
  let any = false
  if (call.resultInfo !== undefined && call.resultInfo !== null) {
    detail.resultInfo = toResultInfo(call.resultInfo)
    any = true
  }
  if (typeof call.terminationReason === 'string') {
    detail.terminationReason = call.terminationReason
    any = true
  }
  const audio = call.mediaState?.audio
  if (typeof audio === 'string') {
    detail.audio = audio
    any = true
  }
  return any ? detail : undefined
}

/**
 * The DTMF key of a call update's `toneInfo` (Graph sends each key so), or `undefined` when the
 * update has none. The tone is kept as Graph spells it, so a key Graph adds later still arrives.
 *
 * @example
 * ```ts
 * toToneReceived({ state: 'established', toneInfo: { sequenceId: 1, tone: 'tone1' } }) // { tone: 'tone1', sequenceId: 1 }
 * ```
 */
export const toToneReceived = (call: CallResource): ToneReceived | undefined => {
  const info = call.toneInfo
  if (info === undefined || info === null || typeof info.tone !== 'string') return undefined
  return typeof info.sequenceId === 'number' ? { tone: info.tone, sequenceId: info.sequenceId } : { tone: info.tone }
}
