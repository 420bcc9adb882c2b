// Starting, stopping and killing the proofs' child processes (server-child.mjs, floor-child.mjs).
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');

/** The machine the figures come from; other work on it shows in the load average. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} x ${cpus[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${os.type()} ${os.release()}`;
}

export const loadAverage = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');

/** Which build of the product the child runs: the built server (dist) or its sources under tsx (src). */
export type ServerBuild = 'dist' | 'src';

export type Child = {
  url: string;
  port: number;
  pid: number;
  /** The child's ready message (server-child.mjs adds `repaired`: audit events appended at start-up). */
  ready: { port: number; repaired?: number };
  /** Lines the child wrote (stdout and stderr), for the report. */
  output: string[];
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<void>;
  /** SIGKILL: no shutdown code runs, in-flight requests are cut. */
  kill9: () => Promise<void>;
  /** Sends { type } and resolves with the child's first answer of that type. */
  ask: <T>(type: string) => Promise<T>;
  /** Graceful: closes the server and the database connection, SIGKILL after 10 s. */
  stop: () => Promise<void>;
};

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** Builds shared and server (server/dist), as `npm start` does; throws with npm's output when it fails. */
export function buildServer(log: (l: string) => void): void {
  for (const ws of ['shared', 'server']) {
    const t0 = performance.now();
    const r = spawnSync('npm', ['run', 'build', '-w', ws], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run build -w ${ws} failed:\n${r.stdout}\n${r.stderr}`);
    log(`[proof] built ${ws} in ${Math.round(performance.now() - t0)} ms`);
  }
}

/** Forks `script` (a file in tests/proof) and waits for its { ready, port } message. */
export async function forkChild(
  script: string,
  env: Record<string, string>,
  opts: { tsx?: boolean } = {},
): Promise<Child> {
  const output: string[] = [];
  const child: ChildProcess = fork(path.join(here, script), [], {
    cwd: root,
    // PROOF_CHILD_ARGS adds node flags to the children, e.g. `--cpu-prof` to see where a request's time goes.
    execArgv: [
      ...(opts.tsx ? ['--import', 'tsx'] : []),
      ...(process.env.PROOF_CHILD_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const collect = (d: Buffer) => {
    for (const line of d.toString().split('\n')) if (line.trim()) output.push(line);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const ready = await new Promise<Child['ready']>((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) =>
      reject(new Error(`${script} exited (${code ?? signal}) before listening:\n${output.join('\n')}`));
    child.once('exit', onExit);
    child.on('message', (m: { ready?: boolean; port?: number; repaired?: number }) => {
      if (!m.ready) return;
      child.off('exit', onExit);
      resolve({ port: m.port!, repaired: m.repaired });
    });
  });
  const { port } = ready;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    ready,
    output,
    exited,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    ask: <T>(type: string) =>
      new Promise<T>((resolve) => {
        const on = (m: { type?: string }) => {
          if (m?.type !== type) return;
          child.off('message', on);
          resolve(m as T);
        };
        child.on('message', on);
        child.send({ type });
      }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      if (child.connected) child.disconnect();
      else child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Environment of a child serving the product (server-child.mjs) on `dbUri`. */
export function productEnv(o: {
  dbUri: string;
  majority: boolean;
  build: ServerBuild;
  port?: number;
  logLevel?: string;
  countCommands?: boolean;
}) {
  return {
    PROOF_COUNT_COMMANDS: o.countCommands ? '1' : '0',
    PROOF_DB_URI: o.dbUri,
    PROOF_DB_MAJORITY: o.majority ? '1' : '0',
    PROOF_SERVER: o.build === 'dist' ? 'server/dist/index.js' : 'server/src/index.ts',
    PROOF_PORT: String(o.port ?? 0),
    PROOF_LOG_LEVEL: o.logLevel ?? 'silent',
  };
}
