import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, snapshot, type TestApp } from './harness.js';
import { AuditService } from '@pingxuan/server';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('health', () => {
  it('reports the database state', async () => {
    const r = await t.client().get('/api/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', database: { state: 'connected' } });
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const r = await t.client().get('/api/nothing-here');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });
});

describe('log-in, sessions and log-out', () => {
  it('signs in with the right password, sets an HttpOnly SameSite cookie and answers /me', async () => {
    const admin = await t.signedIn('alice', { isAdmin: true });
    const me = await admin.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'alice', isAdmin: true, memberships: [] });

    const raw = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'correct horse battery' }),
    });
    const cookie = raw.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(await raw.json()).not.toHaveProperty('passwordHash');
  });

  it('refuses a wrong password with 401 and an unknown user the same way', async () => {
    await t.signedIn('bob');
    const c = t.client();
    const wrong = await c.post('/api/auth/login', { username: 'bob', password: 'not the password' });
    const unknown = await c.post('/api/auth/login', { username: 'nobody', password: 'whatever1' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.code).toBe(unknown.body.error.code);
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });

  it('gives a new session id at each log-in and invalidates it on the server at log-out', async () => {
    await t.signedIn('carol');
    const c = t.client();
    await c.post('/api/auth/login', { username: 'carol', password: 'correct horse battery' });
    const first = await t.ctx.models.Session.countDocuments({});
    const stolen = t.client();
    // Copy the cookie to a second client, as an attacker with the cookie would.
    const res = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'carol', password: 'correct horse battery' }),
    });
    const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
    expect((await stolen.get('/api/auth/me', { cookie })).status).toBe(200);
    expect(await t.ctx.models.Session.countDocuments({})).toBe(first + 1);

    const out = await fetch(`${t.url}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    expect((await stolen.get('/api/auth/me', { cookie })).status).toBe(401);
  });

  it('rejects bad log-in bodies with 400 naming the field', async () => {
    const c = t.client();
    const missing = await c.post('/api/auth/login', { username: 'alice' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.map((f: { path: string }) => f.path)).toContain('body.password');

    const operator = await c.post('/api/auth/login', { username: { $ne: null }, password: 'x' });
    expect(operator.status).toBe(400);
    expect(operator.body.error.fields[0].path).toBe('body.username');

    const extra = await c.post('/api/auth/login', { username: 'alice', password: 'x', isAdmin: true });
    expect(extra.status).toBe(400);

    const malformed = await c.request('POST', '/api/auth/login', '{"username":', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
  });

  it('expires sessions after the idle timeout', async () => {
    await t.signedIn('dave');
    const c = t.client();
    await c.post('/api/auth/login', { username: 'dave', password: 'correct horse battery' });
    expect((await c.get('/api/auth/me')).status).toBe(200);
    const user = await t.ctx.models.User.findOne({ username: 'dave' });
    await t.ctx.models.Session.updateMany({ userId: user!._id }, { $set: { lastSeenAt: new Date(Date.now() - 24 * 3_600_000) } });
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });
});

describe('log-in rate limit', () => {
  it('answers 429 with Retry-After after too many attempts for one name', async () => {
    const limited = await startTestApp({ loginRateLimit: 3 });
    try {
      const c = limited.client();
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await c.post('/api/auth/login', { username: 'eve', password: 'guess' + i })).status);
      expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
      expect(codes[3]).toBe(429);
      const r = await c.post('/api/auth/login', { username: 'eve', password: 'again' });
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await limited.close();
    }
  });
});

describe('admin: users', () => {
  it('lets an admin create users; others get 401 or 403; bad input changes nothing', async () => {
    const admin = await t.signedIn('root', { isAdmin: true });
    const plain = await t.signedIn('plainuser');

    expect((await t.client().post('/api/admin/users', { username: 'xuser1', displayName: 'X', password: 'password1' })).status).toBe(401);
    expect((await plain.post('/api/admin/users', { username: 'xuser1', displayName: 'X', password: 'password1' })).status).toBe(403);

    const before = await snapshot(t.conn);
    const bad = await admin.post('/api/admin/users', { username: 'xuser1', displayName: 'X', password: 'short' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('body.password');
    expect(await snapshot(t.conn)).toBe(before);

    const ok = await admin.post('/api/admin/users', { username: 'judge.wang', displayName: '王老师', password: 'password1' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ username: 'judge.wang', isAdmin: false });
    const dup = await admin.post('/api/admin/users', { username: 'judge.wang', displayName: '王老师', password: 'password1' });
    expect(dup.status).toBe(409);
    expect((await t.client().post('/api/auth/login', { username: 'judge.wang', password: 'password1' })).status).toBe(200);
  });
});

describe('audit log', () => {
  it('is hash-chained and the verifier names the first edited event', async () => {
    const admin = await t.signedIn('auditor', { isAdmin: true });
    const ok = await admin.get('/api/admin/audit/verify');
    expect(ok.status).toBe(200);
    expect(ok.body.ok).toBe(true);
    expect(ok.body.count).toBeGreaterThan(3);

    const third = await t.ctx.models.AuditEvent.findOne({ seq: 3 });
    await t.ctx.models.AuditEvent.updateOne({ _id: third!._id }, { $set: { action: 'auth.something_else' } });
    const broken = await admin.get('/api/admin/audit/verify');
    expect(broken.body).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'event edited' });
    await t.ctx.models.AuditEvent.updateOne({ _id: third!._id }, { $set: { action: third!.action } });

    await t.ctx.models.AuditEvent.deleteOne({ seq: 2 });
    const gap = await admin.get('/api/admin/audit/verify');
    expect(gap.body).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  it('keeps the chain linear under concurrent appends', async () => {
    const isolated = await startTestApp();
    try {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => isolated.ctx.audit.append({ actor: null, action: 'test.concurrent', target: { type: 'test', id: String(i) } })),
      );
      expect(await isolated.ctx.audit.verify()).toEqual({ ok: true, count: 40 });
    } finally {
      await isolated.close();
    }
  });

  it('fails only the event that cannot be written when several wait together', async () => {
    const isolated = await startTestApp();
    try {
      const audit = isolated.ctx.audit;
      const event = (i: number, after: unknown = null) => ({ actor: null, action: 'test.mixed', target: { type: 'test', id: String(i) }, after });
      const outcomes = await Promise.allSettled([audit.append(event(0)), audit.append(event(1)), audit.append(event(2, { n: 1n })), audit.append(event(3))]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect(await audit.verify()).toEqual({ ok: true, count: 3 });
      await audit.append(event(4));
      expect(await audit.verify()).toEqual({ ok: true, count: 4 });
    } finally {
      await isolated.close();
    }
  });

  it('stores each event of a batch once when another server took a seq in the middle of it', async () => {
    const isolated = await startTestApp();
    try {
      const audit = new AuditService(isolated.ctx.models);
      const event = (i: number) => ({ actor: null, action: 'test.batch', target: { type: 'test', id: String(i) } });
      await audit.append(event(0));
      await audit.append(event(1));
      // Another server's event at seq 5: this writer's batch 4, 5, 6 stops at 5 after storing 4.
      await isolated.ctx.models.AuditEvent.create({
        seq: 5, at: new Date(), actor: { userId: null, username: null }, action: 'test.other', target: { type: 'test' },
        prevHash: 'x', hash: 'y',
      });
      await Promise.all([2, 3, 4, 5].map((i) => audit.append(event(i))));
      const stored = await isolated.ctx.models.AuditEvent.find({}, { seq: 1, action: 1, target: 1 }).sort({ seq: 1 }).lean();
      expect(stored.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(stored.filter((e) => e.action === 'test.batch').map((e) => e.target!.id).sort()).toEqual(['0', '1', '2', '3', '4', '5']);
    } finally {
      await isolated.close();
    }
  });

  it('keeps one chain when two servers append to the same database in turn and at once', async () => {
    const isolated = await startTestApp();
    try {
      // A second server process on the same database: its own writer, its own memory of the chain's end.
      const other = new AuditService(isolated.ctx.models);
      const event = (who: string, i: number) => ({ actor: null, action: `test.${who}`, target: { type: 'test', id: String(i) } });
      for (let i = 0; i < 5; i++) {
        await isolated.ctx.audit.append(event('a', i));
        await other.append(event('b', i));
      }
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? other : isolated.ctx.audit).append(event('both', i))),
      );
      expect(await isolated.ctx.audit.verify()).toEqual({ ok: true, count: 30 });
      const seqs = (await isolated.ctx.models.AuditEvent.find({}, { seq: 1 }).sort({ seq: 1 }).lean()).map((e) => e.seq);
      expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    } finally {
      await isolated.close();
    }
  });
});
