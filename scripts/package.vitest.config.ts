import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * `npm run test:package`: packs callops, installs the tarball in a new project and follows the
 * guides there (one to three minutes on the shared 2-core machine, so not in `npm test`;
 * .ci/run calls it).
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/package/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
})
