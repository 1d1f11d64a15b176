import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['shared/test/**/*.test.ts', 'api/test/**/*.test.ts', 'web/test/**/*.test.ts', 'web/e2e/**/*.test.ts'],
    globalSetup: ['api/test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
})
