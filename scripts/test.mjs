// `npm test`: every check and every test, as CI runs it.
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureInstalled, root, run, step } from './lib.mjs';

ensureInstalled();
const out = path.join(root, 'test-output');
mkdirSync(out, { recursive: true });

step('build shared');
run('npm', ['run', 'build', '-w', 'shared']);
// The browser test drives the built client (client/dist).
if (existsSync(path.join(root, 'client', 'package.json'))) {
  step('build client');
  run('npm', ['run', 'build', '-w', 'client']);
}

step('type-check');
for (const p of ['shared', 'server', 'tests', 'client']) {
  if (existsSync(path.join(root, p, 'tsconfig.json'))) run('npx', ['tsc', '-p', `${p}/tsconfig.json`]);
}

step('lint');
run('npx', ['eslint', '.', '--max-warnings=0']);

step('tests (vitest)');
const report = path.join(out, 'vitest.json');
const vitest = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
  cwd: root,
  stdio: 'inherit',
});

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests;
  skipped = r.numPendingTests + (r.numTodoTests ?? 0);
}
if (vitest.status !== 0 && failed === 0) failed = 1; // a crash outside a test still fails the run
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(vitest.status === 0 && failed === 0 ? 0 : 1);
