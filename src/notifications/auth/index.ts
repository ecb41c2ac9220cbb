export type { AuthFailure, AuthUnavailable, Forbidden, Unauthorized } from './AuthFailure.js'
export { authUnavailable, forbidden, unauthorized } from './AuthFailure.js'
export type { AuthClaims, NotificationAuthDeps, NotificationAuthenticator, NotificationAuthOptions } from './createNotificationAuthenticator.js'
export { createNotificationAuthenticator, DEFAULT_ISSUERS, DEFAULT_OPENID_CONFIG_URL } from './createNotificationAuthenticator.js'
