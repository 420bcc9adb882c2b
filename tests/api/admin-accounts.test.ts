// What a real installation's administrator and every account holder need: changing one's own password
// (other sessions closed, rate-limited per account), listing and searching accounts, disabling one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { AccountsService, hashPassword } from '@pingxuan/server';
import { snapshot, startTestApp, type Client, type TestApp } from './harness.js';

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = '新的密码 staple 2025';

let t: TestApp;
let admin: Client;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signedIn('root-admin', { isAdmin: true });
}, 60_000);
afterAll(async () => t?.close());

const userId = async (username: string) =>
  String((await t.ctx.models.User.findOne({ username }).lean())!._id);
const sessionsOf = async (username: string) =>
  t.ctx.models.Session.countDocuments({ userId: await userId(username) });

/** A second browser of an account already signed in once (the harness creates it only the first time). */
async function anotherSession(username: string, password = PASSWORD) {
  const c = t.client();
  const r = await c.post('/api/auth/login', { username, password });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return c;
}

describe('POST /api/auth/password', () => {
  it('is for signed-in users only', async () => {
    const r = await t
      .client()
      .post('/api/auth/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(r.status).toBe(401);
  });

  it('refuses every bad input with a 400 naming the field, and changes nothing', async () => {
    const me = await t.signedIn('pw-bad');
    const before = await snapshot(t.conn);
    const cases: [unknown, string][] = [
      [{ newPassword: NEW_PASSWORD }, 'body.currentPassword'],
      [{ currentPassword: PASSWORD }, 'body.newPassword'],
      [{ currentPassword: PASSWORD, newPassword: 'short' }, 'body.newPassword'],
      [{ currentPassword: PASSWORD, newPassword: 'x'.repeat(201) }, 'body.newPassword'],
      [{ currentPassword: PASSWORD, newPassword: 12345678 }, 'body.newPassword'],
      [{ currentPassword: PASSWORD, newPassword: PASSWORD }, 'body.newPassword'],
      [{ currentPassword: '', newPassword: NEW_PASSWORD }, 'body.currentPassword'],
      [{ currentPassword: 'x'.repeat(201), newPassword: NEW_PASSWORD }, 'body.currentPassword'],
      [{ currentPassword: { $ne: 'x' }, newPassword: NEW_PASSWORD }, 'body.currentPassword'],
      [{ currentPassword: 'wrong horse battery', newPassword: NEW_PASSWORD }, 'body.currentPassword'],
      [{ currentPassword: PASSWORD, newPassword: NEW_PASSWORD, isAdmin: true }, 'body'],
    ];
    for (const [input, field] of cases) {
      const r = await me.post('/api/auth/password', input);
      expect(r.status, JSON.stringify(input)).toBe(400);
      const paths = (r.body.error.fields as { path: string }[]).map((f) => f.path);
      expect(paths, JSON.stringify(r.body)).toContain(field);
    }
    expect(await snapshot(t.conn)).toBe(before);
    expect((await me.get('/api/auth/me')).status).toBe(200);
    expect(
      (await t.client().post('/api/auth/login', { username: 'pw-bad', password: PASSWORD })).status,
    ).toBe(200);
  });

  it('sets the new password, closes the other sessions only, and audits without the secret', async () => {
    const here = await t.signedIn('pw-user');
    const tablet = await anotherSession('pw-user');
    const bystander = await t.signedIn('pw-bystander');
    const oldHash = (await t.ctx.models.User.findOne({ username: 'pw-user' }).lean())!.passwordHash!;
    expect(await sessionsOf('pw-user')).toBe(2);

    const r = await here.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(r.status, JSON.stringify(r.body)).toBe(204);

    expect((await here.get('/api/auth/me')).body).toMatchObject({ username: 'pw-user' });
    expect((await tablet.get('/api/auth/me')).status).toBe(401);
    expect((await bystander.get('/api/auth/me')).status).toBe(200);
    expect(await sessionsOf('pw-user')).toBe(1);

    const login = (password: string) => t.client().post('/api/auth/login', { username: 'pw-user', password });
    expect((await login(PASSWORD)).status).toBe(401);
    expect((await login(NEW_PASSWORD)).status).toBe(200);

    const newHash = (await t.ctx.models.User.findOne({ username: 'pw-user' }).lean())!.passwordHash!;
    expect(newHash).not.toBe(oldHash);
    const events = await t.ctx.models.AuditEvent.find({ action: 'user.changePassword' }).lean();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { userId: await userId('pw-user'), username: 'pw-user' },
      target: { type: 'user', id: await userId('pw-user') },
    });
    const text = JSON.stringify(events);
    for (const secret of [PASSWORD, NEW_PASSWORD, oldHash, newHash, 'scrypt'])
      expect(text).not.toContain(secret);
  });

  it('answers 409 for an account that signs in by one-time code and has no password', async () => {
    const judge = await t.ctx.models.User.create({ username: 'code-judge', displayName: '扫码评委' });
    const { code } = await new AccountsService(t.ctx).issueSignInCode(
      String(judge._id),
      new Types.ObjectId().toHexString(),
    );
    const c = t.client();
    expect((await c.post('/api/auth/code-login', { code })).status).toBe(200);
    const before = await snapshot(t.conn);
    const r = await c.post('/api/auth/password', { currentPassword: 'anything', newPassword: NEW_PASSWORD });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/one-time code/);
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('is rate-limited per account, like sign-in', async () => {
    const strict = await startTestApp({ loginRateLimit: 3 });
    try {
      const c = await strict.signedIn('limited');
      const other = await strict.signedIn('not-limited');
      for (let i = 0; i < 3; i++)
        expect(
          (await c.post('/api/auth/password', { currentPassword: 'wrong guess', newPassword: NEW_PASSWORD }))
            .status,
        ).toBe(400);
      const blocked = await c.post('/api/auth/password', {
        currentPassword: PASSWORD,
        newPassword: NEW_PASSWORD,
      });
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.code).toBe('rate_limited');
      // Same address, another account: not held back by the first one's guesses.
      expect(
        (await other.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }))
          .status,
      ).toBe(204);
    } finally {
      await strict.close();
    }
  });
});

describe('GET /api/admin/users', () => {
  beforeAll(async () => {
    const hash = await hashPassword(PASSWORD);
    await t.ctx.models.User.insertMany([
      { username: 'zhang.wei', displayName: '张伟（实验小学）', passwordHash: hash },
      { username: 'li.ming', displayName: '李明', passwordHash: hash },
      { username: 'Wang-Fang', displayName: '王芳 Organizer', passwordHash: hash, isAdmin: true },
      { username: 'a.b', displayName: 'dot test', passwordHash: hash },
    ]);
  });

  it('is for administrators only', async () => {
    expect((await t.client().get('/api/admin/users')).status).toBe(401);
    const plain = await t.signedIn('list-plain');
    expect((await plain.get('/api/admin/users')).status).toBe(403);
    expect((await plain.get('/api/admin/users?q=zhang')).status).toBe(403);
  });

  it('lists accounts by username with what an administrator needs, never a hash', async () => {
    const r = await admin.get('/api/admin/users');
    expect(r.status).toBe(200);
    const names = (r.body.users as { username: string }[]).map((u) => u.username);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['root-admin', 'zhang.wei', 'Wang-Fang']));
    expect(r.body.more).toBe(false);
    const wang = r.body.users.find((u: { username: string }) => u.username === 'Wang-Fang');
    expect(Object.keys(wang).sort()).toEqual([
      'createdAt',
      'disabled',
      'displayName',
      'id',
      'isAdmin',
      'username',
    ]);
    expect(wang).toMatchObject({ displayName: '王芳 Organizer', isAdmin: true, disabled: false });
    expect(new Date(wang.createdAt).getTime()).not.toBeNaN();
    expect(JSON.stringify(r.body)).not.toMatch(/scrypt|passwordHash/);
  });

  it('searches part of the username or display name, in any case, with the text taken literally', async () => {
    const search = async (q: string) =>
      (
        (await admin.get(`/api/admin/users?q=${encodeURIComponent(q)}`)).body.users as { username: string }[]
      ).map((u) => u.username);
    expect(await search('ZHANG')).toEqual(['zhang.wei']);
    expect(await search('wang')).toEqual(['Wang-Fang']);
    expect(await search('实验')).toEqual(['zhang.wei']);
    expect(await search('organizer')).toEqual(['Wang-Fang']);
    expect(await search('  李明 ')).toEqual(['li.ming']);
    expect(await search('a.b')).toEqual(['a.b']);
    expect(await search('.*')).toEqual([]);
    expect(await search('nobody-by-this-name')).toEqual([]);
    // A NUL is searched for too (in a BSON pattern it made the driver throw: a 500).
    const nul = await admin.get(`/api/admin/users?q=${encodeURIComponent('zhang\u0000')}`);
    expect(nul.status, JSON.stringify(nul.body)).toBe(200);
    expect(nul.body.users).toEqual([]);
  });

  it('refuses a bad query with a 400 naming query.q', async () => {
    for (const qs of [`q=${'x'.repeat(101)}`, 'q=a&q=b', 'q[$ne]=x', 'other=1']) {
      const r = await admin.get(`/api/admin/users?${qs}`);
      expect(r.status, qs).toBe(400);
      expect(JSON.stringify(r.body.error.fields), qs).toMatch(/"query(\.q)?"/);
    }
  });

  it('answers a page at most, saying there is more', async () => {
    await t.ctx.models.User.insertMany(
      Array.from({ length: 105 }, (_, i) => ({
        username: `bulk-${String(i).padStart(3, '0')}`,
        displayName: `批量 ${i}`,
      })),
    );
    const r = await admin.get('/api/admin/users?q=bulk-');
    expect(r.body.users).toHaveLength(100);
    expect(r.body.more).toBe(true);
    expect(r.body.users[0].username).toBe('bulk-000');
    expect(r.body.users[99].username).toBe('bulk-099');
  });

  it('lists an account created through POST /api/admin/users', async () => {
    const created = await admin.post('/api/admin/users', {
      username: 'new-organizer',
      displayName: '新组织者',
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    const r = await admin.get('/api/admin/users?q=new-organizer');
    expect(r.body.users).toEqual([
      expect.objectContaining({ id: created.body.id, isAdmin: false, disabled: false }),
    ]);
  });
});

describe('PATCH /api/admin/users/:userId', () => {
  it('is for administrators only', async () => {
    const target = await userId('li.ming');
    expect((await t.client().patch(`/api/admin/users/${target}`, { disabled: true })).status).toBe(401);
    const plain = await t.signedIn('patch-plain');
    expect((await plain.patch(`/api/admin/users/${target}`, { disabled: true })).status).toBe(403);
    expect((await t.ctx.models.User.findById(target).lean())!.disabled).toBe(false);
  });

  it('refuses bad input with a 400 naming the field, itself with a 409, and an unknown account with a 404', async () => {
    const target = await userId('li.ming');
    const before = await snapshot(t.conn);
    const bad: [string, unknown, string][] = [
      ['not-an-id', { disabled: true }, 'params.userId'],
      [target, {}, 'body.disabled'],
      [target, { disabled: 'yes' }, 'body.disabled'],
      [target, { disabled: true, isAdmin: true }, 'body'],
    ];
    for (const [id, input, field] of bad) {
      const r = await admin.patch(`/api/admin/users/${id}`, input);
      expect(r.status, JSON.stringify(input)).toBe(400);
      expect((r.body.error.fields as { path: string }[]).map((f) => f.path)).toContain(field);
    }
    const self = await admin.patch(`/api/admin/users/${await userId('root-admin')}`, { disabled: true });
    expect(self.status).toBe(409);
    const unknown = await admin.patch(`/api/admin/users/${new Types.ObjectId().toHexString()}`, {
      disabled: true,
    });
    expect(unknown.status).toBe(404);
    expect(await snapshot(t.conn)).toBe(before);
    expect((await admin.get('/api/auth/me')).status).toBe(200);
  });

  it('disables an account, closing its sessions at once, and enables it again', async () => {
    const victim = await t.signedIn('to-disable');
    const tablet = await anotherSession('to-disable');
    const id = await userId('to-disable');

    const off = await admin.patch(`/api/admin/users/${id}`, { disabled: true });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id, username: 'to-disable', disabled: true });
    expect(await sessionsOf('to-disable')).toBe(0);
    expect((await victim.get('/api/auth/me')).status).toBe(401);
    expect((await tablet.get('/api/auth/me')).status).toBe(401);
    const login = () => t.client().post('/api/auth/login', { username: 'to-disable', password: PASSWORD });
    expect((await login()).status).toBe(401);

    const on = await admin.patch(`/api/admin/users/${id}`, { disabled: false });
    expect(on.body.disabled).toBe(false);
    expect((await login()).status).toBe(200);

    const actions = (await t.ctx.models.AuditEvent.find({ 'target.id': id }).sort({ seq: 1 }).lean())
      .map((e) => e.action)
      .filter((a) => a.startsWith('user.'));
    expect(actions).toEqual(['user.disable', 'user.enable']);
  });
});
