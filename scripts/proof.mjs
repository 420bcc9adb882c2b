// `npm run proof`: the long proofs, one after another, each printing its figures (see docs/proof-*.md).
// `npm run proof -- faults` runs only the proofs named. Each proof is a script taking its own flags;
// run it alone with `npm run proof:<name> -- --flag value` to change them.
import { ensureInstalled, root, run, step } from './lib.mjs';

/** Name -> script; in the order they run. */
const PROOFS = {
  load: 'tests/proof/load.ts',
  faults: 'tests/proof/faults.ts',
  hostile: 'tests/api/fuzz/proof.ts',
};

const asked = process.argv.slice(2);
const unknown = asked.filter((n) => !(n in PROOFS));
if (unknown.length) {
  console.error(`unknown proof: ${unknown.join(', ')} (known: ${Object.keys(PROOFS).join(', ')})`);
  process.exit(2);
}

ensureInstalled();
step('build shared');
run('npm', ['run', 'build', '-w', 'shared']);
for (const [name, script] of Object.entries(PROOFS)) {
  if (asked.length && !asked.includes(name)) continue;
  step(`proof: ${name}`);
  run('npx', ['tsx', script], { cwd: root });
}
