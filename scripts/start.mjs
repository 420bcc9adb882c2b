// `npm start`: install if needed, build, and run the product on http://localhost:3000 with the demo contest.
// `npm start -- --offline-demo`: no mongod at hand; uses the in-process test database (nothing is kept).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureInstalled, root, run, step } from './lib.mjs';

const offline = process.argv.includes('--offline-demo');
ensureInstalled();

step('build');
run('npm', ['run', 'build', '-w', 'shared']);
run('npm', ['run', 'build', '-w', 'server']);
if (existsSync(path.join(root, 'client', 'package.json'))) run('npm', ['run', 'build', '-w', 'client']);

const env = { ...process.env };
let mini;
if (offline) {
  console.warn(
    '\n⚠ --offline-demo: using the in-process MongoDB *test* server. Data lives in memory and is lost on exit.\n' +
      '  Never use this for a real contest: set MONGODB_URI or let the embedded mongod download once.\n',
  );
  const { tsImport } = await import('tsx/esm/api');
  const { MiniMongo } = await tsImport('../tests/support/miniMongo.ts', import.meta.url);
  mini = new MiniMongo();
  env.MONGODB_URI = (await mini.start()) + 'pingxuan';
  env.PINGXUAN_OFFLINE_DEMO = '1';
}

step('start server');
const child = spawn(process.execPath, ['server/dist/main.js'], { cwd: root, env, stdio: 'inherit' });
const stop = (sig) => child.kill(sig);
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
child.on('exit', async (code) => {
  await mini?.stop();
  process.exit(code ?? 0);
});
