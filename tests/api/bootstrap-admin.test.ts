import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin, loadConfig } from '@pingxuan/server';
import { startTestApp, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 60_000);
afterAll(async () => t?.close());

describe('production start-up', () => {
  it('seeds the demo only outside production, unless SEED_DEMO says otherwise', () => {
    expect(loadConfig({}).seedDemo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'true' }).seedDemo).toBe(true);
    expect(loadConfig({ SEED_DEMO: 'false' }).seedDemo).toBe(false);
    expect(() => loadConfig({ ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD/);
    expect(() => loadConfig({ SEED_DEMO: 'yes' })).toThrow(/SEED_DEMO/);
  });

  it('creates one administrator in an empty database, with a generated password that signs in', async () => {
    const first = await bootstrapAdmin(t.ctx, { username: 'admin', password: undefined });
    expect(first?.username).toBe('admin');
    expect(first?.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await t.ctx.models.User.countDocuments()).toBe(1);
    expect(await t.ctx.models.Contest.countDocuments()).toBe(0);

    const c = t.client();
    expect(
      (await c.post('/api/auth/login', { username: 'admin', password: 'wrong password here' })).status,
    ).toBe(401);
    const ok = await c.post('/api/auth/login', { username: 'admin', password: first!.generatedPassword });
    expect(ok.status).toBe(200);
    expect((await c.get('/api/auth/me')).body).toMatchObject({ username: 'admin', isAdmin: true });

    const events = await t.ctx.models.AuditEvent.find({ action: 'user.bootstrapAdmin' }).lean();
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(first!.generatedPassword);
  });

  it('does nothing once the database has a user (a restart keeps the password the administrator set)', async () => {
    expect(await bootstrapAdmin(t.ctx, { username: 'other', password: 'another long password' })).toBeNull();
    expect(await t.ctx.models.User.countDocuments()).toBe(1);
  });
});
