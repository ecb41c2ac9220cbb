import * as t from 'io-ts'

/** Graph's `mediaInfo`: where the audio of a prompt lives. */
export const MediaInfo = t.intersection(
  [t.type({ uri: t.string }), t.partial({ '@odata.type': t.string, resourceId: t.string })],
  'MediaInfo',
)
/** The location of a prompt's audio. */
export type MediaInfo = t.TypeOf<typeof MediaInfo>

/** Graph's `mediaPrompt`: an audio prompt (hold music, playPrompt, recordResponse). */
export const MediaPrompt = t.intersection(
  [t.type({ mediaInfo: MediaInfo }), t.partial({ '@odata.type': t.string })],
  'MediaPrompt',
)
/** An audio prompt. */
export type MediaPrompt = t.TypeOf<typeof MediaPrompt>
