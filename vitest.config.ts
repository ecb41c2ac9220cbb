import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Packs and installs the package: its own script (npm run test:package), called by .ci/run.
    exclude: ['test/package/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
