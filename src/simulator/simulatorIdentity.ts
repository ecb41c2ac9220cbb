/** The app id the simulator puts in the `aud` claim of its notification tokens unless told otherwise. */
export const SIMULATOR_APP_ID = '8c1b2a5e-0c3f-4e7d-9a61-5f0d2c7ea11e'

/** The tenant id the simulator puts in the `tid` claim of its notification tokens unless told otherwise. */
export const SIMULATOR_TENANT_ID = '3f9d6c1a-7b2e-4d80-a5c4-0e1f2a3b4c5d'

/** The issuer of the simulator's notification tokens: the one Graph's calling notifications carry. */
export const SIMULATOR_ISSUER = 'https://api.botframework.com'
