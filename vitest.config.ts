import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const sharedSrc = fileURLToPath(new URL('./shared/src/index.ts', import.meta.url));
const serverSrc = fileURLToPath(new URL('./server/src/index.ts', import.meta.url));

export default defineConfig({
  resolve: { alias: { '@pingxuan/shared': sharedSrc, '@pingxuan/server': serverSrc } },
  test: {
    projects: [
      { extends: true, test: { name: 'shared', include: ['shared/test/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'api',
          include: ['tests/**/*.test.ts', 'server/test/**/*.test.ts'],
          exclude: ['tests/browser/**', '**/node_modules/**'],
          globalSetup: ['tests/support/globalSetup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { extends: true, test: { name: 'client', include: ['client/test/**/*.test.ts'], environment: 'node' } },
      {
        // Drives the built client (client/dist, built by `npm test` first) in Debian's chromium.
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/support/globalSetup.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
