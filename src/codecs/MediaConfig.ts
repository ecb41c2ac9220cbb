import * as t from 'io-ts'

// mediaConfig and callOptions, shared by answer (call-answer.md) and a new call
// (application-post-calls.md).

/** One media file Graph fetches before the call starts (`mediaInfo` of `preFetchMedia`). */
export const PreFetchMedia = t.intersection(
  [t.type({ uri: t.string }), t.partial({ '@odata.type': t.string, resourceId: t.string })],
  'PreFetchMedia',
)
/**
 * One media file Graph fetches before the call starts.
 *
 * @example
 * ```ts
 * const media: PreFetchMedia = { uri: 'https://bot.example/welcome.wav', resourceId: 'welcome' }
 * ```
 */
export type PreFetchMedia = t.TypeOf<typeof PreFetchMedia>

/** Graph hosts the media (prompts, tones, recording): `serviceHostedMediaConfig`. */
export const ServiceHostedMediaConfig = t.intersection(
  [
    t.type({ '@odata.type': t.literal('#microsoft.graph.serviceHostedMediaConfig') }),
    t.partial({ preFetchMedia: t.array(PreFetchMedia), removeFromDefaultAudioGroup: t.boolean }),
  ],
  'ServiceHostedMediaConfig',
)
/**
 * Graph hosts the media: prompts, tones and recordings work (tones need it).
 *
 * @example
 * ```ts
 * const media: ServiceHostedMediaConfig = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig', preFetchMedia: [{ uri: 'https://bot.example/hold.wav', resourceId: 'hold' }] }
 * ```
 */
export type ServiceHostedMediaConfig = t.TypeOf<typeof ServiceHostedMediaConfig>

/** The bot hosts the media (the Real-time Media SDK's session blob): `appHostedMediaConfig`. */
export const AppHostedMediaConfig = t.intersection(
  [
    t.type({ '@odata.type': t.literal('#microsoft.graph.appHostedMediaConfig') }),
    t.partial({ blob: t.string, removeFromDefaultAudioGroup: t.boolean }),
  ],
  'AppHostedMediaConfig',
)
/**
 * The bot hosts the media.
 *
 * @example
 * ```ts
 * const media: AppHostedMediaConfig = { '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: mediaSession.getMediaConfiguration() }
 * ```
 */
export type AppHostedMediaConfig = t.TypeOf<typeof AppHostedMediaConfig>

/** `mediaConfig` of answer and of a new call: service-hosted or app-hosted, told apart by `@odata.type`. */
export const MediaConfig = t.union(
  [ServiceHostedMediaConfig, AppHostedMediaConfig],
  'a mediaConfig ({ "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" } or appHostedMediaConfig)',
)
/**
 * `mediaConfig` of answer and of a new call.
 *
 * @example
 * ```ts
 * const media: MediaConfig = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' }
 * ```
 */
export type MediaConfig = t.TypeOf<typeof MediaConfig>

/** A modality of a call (`audio` is the one service-hosted media serves). */
export const Modality = t.keyof(
  { audio: null, video: null, videoBasedScreenSharing: null, data: null, unknown: null, unknownFutureValue: null },
  'a modality',
)
/**
 * A modality of a call.
 *
 * @example
 * ```ts
 * const modalities: Modality[] = ['audio']
 * ```
 */
export type Modality = t.TypeOf<typeof Modality>

/** `callOptions` of answer and of a new call (contrib: hideBotAfterEscalation, isContentSharingNotificationEnabled). */
export const CallOptions = t.partial(
  { '@odata.type': t.string, hideBotAfterEscalation: t.boolean, isContentSharingNotificationEnabled: t.boolean, isDeltaRosterEnabled: t.boolean },
  'CallOptions',
)
/**
 * `callOptions` of answer and of a new call.
 *
 * @example
 * ```ts
 * const callOptions: CallOptions = { hideBotAfterEscalation: true }
 * ```
 */
export type CallOptions = t.TypeOf<typeof CallOptions>
