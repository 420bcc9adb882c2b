// The hostile-input proof: tests/api/fuzz.test.ts run long (PROOF=1: 400 generated requests per route and a
// database comparison after every request). `--runs N` and `--seed S` change the defaults. The figures are
// printed and written to test-output/fuzz-summary-proof.json; see docs/proof-hostile-input.md.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const env: NodeJS.ProcessEnv = { ...process.env, PROOF: '1' };
if (flag('runs')) env.FUZZ_RUNS = flag('runs');
if (flag('seed')) env.FUZZ_SEED = flag('seed');

const started = Date.now();
const r = spawnSync('npx', ['vitest', 'run', '--project', 'api', 'tests/api/fuzz.test.ts'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
console.log(
  `hostile-input proof: ${r.status === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`,
);
process.exit(r.status ?? 1);
