import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * The full notification fuzz run (`npm run test:fuzz`): the same test file as `npm test`, with
 * 100,000 cases. FUZZ_RUNS and FUZZ_SEED in the environment override the count and the seed.
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/security/notificationFuzz.test.ts'],
    env: { FUZZ_RUNS: process.env['FUZZ_RUNS'] ?? '100000', FUZZ_SEED: process.env['FUZZ_SEED'] ?? '20250601' },
    hookTimeout: 60_000,
  },
})
