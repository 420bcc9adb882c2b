// The product's own entry point (server/src/main.ts) on the test MongoDB: seeds once, prints log-ins, restarts cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, inject } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dbUri = inject('mongoUri') + `start_${Date.now().toString(36)}`;
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

async function startMain(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, MONGODB_URI: dbUri, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SECURE_COOKIES: 'false' },
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 90_000;
  while (!out.includes('is running at')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => out };
}

const stopped = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.on('exit', (code) => r(code))));

describe('npm start entry point', () => {
  it('seeds the demo once, prints working log-ins and keeps the data across a restart', async () => {
    const port = await freePort();
    const first = await startMain(port);
    expect(first.output()).toContain(`http://localhost:${port}`);
    expect(first.output()).toMatch(/organizer\s+organizer \/ organizer-demo-2026/);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'organizer', password: 'organizer-demo-2026' }),
    });
    expect(login.status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await stopped(first.child)).toBe(0);

    const second = await startMain(port);
    expect(second.output()).toContain('demo already seeded');
    second.child.kill('SIGTERM');
    expect(await stopped(second.child)).toBe(0);
  }, 180_000);
});
