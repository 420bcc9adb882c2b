// The real server serving the built client (client/dist), as every browser test starts it.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../api/harness.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const clientDir = path.join(root, 'client', 'dist');
/** Where browser tests leave their screenshots (README and failures). */
export const shots = path.join(root, 'test-output', 'screenshots');

/** Starts the test app with the built client; `npm test` builds it first, a lone run must too. */
export async function startClientApp(): Promise<TestApp> {
  if (!existsSync(path.join(clientDir, 'index.html')))
    throw new Error(`${clientDir}/index.html is missing: build the client first (npm run build -w client)`);
  mkdirSync(shots, { recursive: true });
  return startTestApp({ clientDir });
}
