import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness.js';

// A stand-in for client/dist: what matters here is how the server sends it, not what it is.
const dir = mkdtempSync(path.join(os.tmpdir(), 'pingxuan-client-'));
mkdirSync(path.join(dir, 'assets'));
writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>评选</title><div id="root"></div>');
const script = `export const words = ${JSON.stringify(Array.from({ length: 2000 }, (_, i) => `judge-${i}`))};`;
writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), script);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ clientDir: dir });
}, 60_000);
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (p: string, encoding = 'gzip, br') =>
  fetch(t.url + p, { headers: { 'accept-encoding': encoding } });

describe('serving the client', () => {
  it('compresses the client files for browsers that accept it, and caches hashed assets for good', async () => {
    const res = await get('/assets/index-abc123.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toMatch(/^(gzip|br)$/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe(script); // fetch undoes the encoding

    const plain = await get('/assets/index-abc123.js', 'identity');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(script);
  });

  it('answers every page address with index.html, revalidated so a new release shows at once', async () => {
    for (const p of ['/', '/judge/abc/works', '/winners/x']) {
      const res = await get(p);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<div id="root">');
    }
  });

  it('does not compress API answers (no secret next to reflected input in a compressed stream)', async () => {
    const res = await get('/api/public/contests');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    const missing = await get('/api/no-such-route');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/json/);
  });
});
