// Helpers shared by the start and test commands: plain Node, usable before `npm install`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

/** Installs dependencies on a fresh clone, from the lock file. */
export function ensureInstalled() {
  if (!existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
    console.log('› installing dependencies (npm ci)');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
}

export const step = (name) => console.log(`\n› ${name}`);
