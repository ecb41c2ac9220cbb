// The tests use the same controlled clock callops ships for bots' own tests.
export { controlledClock } from '../../src/testing/index.js'
export type { ControlledClock } from '../../src/testing/index.js'
