import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import ExcelJS from 'exceljs';
import { ContestSettingsSchema } from '@pingxuan/shared';
import { startTestApp, snapshot, type Client, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());
afterEach(() => vi.restoreAllMocks());

let seq = 0;
const uniq = (p: string) => `${p}${++seq}`;

/** A contest made directly in the database (not through the contests routes) with an organizer. */
async function contestWithOrganizer(opts: { categories?: { id: string; name: { zh: string } }[] } = {}) {
  const { Contest, Membership, User } = t.ctx.models;
  const contest = await Contest.create({
    name: '区教师黑板字比赛',
    settings: ContestSettingsSchema.parse({}),
    rounds: [{ id: 'main', name: { zh: '评审' } }],
    categories: opts.categories ?? [],
    status: 'draft',
  });
  const contestId = String(contest._id);
  const username = uniq('org');
  const org = await t.signedIn(username);
  const user = await User.findOne({ username });
  await Membership.create({ contestId, userId: user!._id, role: 'organizer' });
  return { contestId, org, base: `/api/contests/${contestId}` };
}

async function addEntries(contestId: string, list: [code: string, school: string][]) {
  await t.ctx.models.Entry.insertMany(
    list.map(([code, school]) => ({ contestId, code, school, title: `作品 ${code}`, teacherName: '李老师', roundIds: ['main'] })),
  );
}

const paths = (fields: { path: string }[]) => fields.map((f) => f.path);
const audits = (contestId: string, action: string) => t.ctx.models.AuditEvent.find({ contestId, action }).sort({ seq: 1 }).lean();
const csvFile = (text: string, name = 'judges.csv') => {
  const fd = new FormData();
  fd.append('file', new Blob([text], { type: 'text/csv' }), name);
  return fd;
};
async function xlsxFile(rows: (string | number)[][], name = 'judges.xlsx') {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('评委');
  for (const r of rows) sheet.addRow(r);
  const buf = await wb.xlsx.writeBuffer();
  const fd = new FormData();
  fd.append('file', new Blob([buf as ArrayBuffer]), name);
  return fd;
}

describe('who may call the judge and panel routes', () => {
  it('answers 401 without a session and 403 to outsiders, organizers of other contests and judges; nothing changes', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const other = await contestWithOrganizer();
    const judgeName = uniq('judge.user');
    const judgeClient = await t.signedIn(judgeName);
    const judge = await org.post(`${base}/judges`, { name: '王老师', username: judgeName });
    expect(judge.status).toBe(201);
    const panel = await org.post(`${base}/panels`, { name: '第一组' });
    expect(panel.status).toBe(201);
    const jid = judge.body.id;
    const pid = panel.body.id;
    const outsider = await t.signedIn(uniq('outsider'));

    const routes: [string, string, (() => unknown)?][] = [
      ['GET', `${base}/judges`],
      ['GET', `${base}/judges/${jid}`],
      ['POST', `${base}/judges`, () => ({ name: '赵老师' })],
      ['PATCH', `${base}/judges/${jid}`, () => ({ version: 0, name: '改名' })],
      ['DELETE', `${base}/judges/${jid}`],
      ['POST', `${base}/judges/import`, () => csvFile('name\n钱老师\n')],
      ['PUT', `${base}/judges/${jid}/conflicts`, () => ({ version: 0, conflictSchools: ['某校'], conflictEntryCodes: [] })],
      ['GET', `${base}/judges/${jid}/conflicting-entries`],
      ['POST', `${base}/judges/${jid}/sign-in-code`],
      ['POST', `${base}/judges/sign-in-codes`, () => ({})],
      ['GET', `${base}/panels`],
      ['POST', `${base}/panels`, () => ({ name: '第二组' })],
      ['PATCH', `${base}/panels/${pid}`, () => ({ version: 0, name: '改组' })],
      ['DELETE', `${base}/panels/${pid}`],
      ['POST', `${base}/panels/${pid}/judges`, () => ({ judgeIds: [jid] })],
    ];
    const before = await snapshot(t.conn);
    const codesBefore = await t.ctx.models.SignInCode.countDocuments({});
    for (const [method, path, makeBody] of routes) {
      const anon = await t.client().request(method, path, makeBody?.());
      expect(anon.status, `${method} ${path} anonymous`).toBe(401);
      for (const [who, c] of [
        ['outsider', outsider],
        ['organizer of another contest', other.org],
        ['judge', judgeClient],
      ] as [string, Client][]) {
        const r = await c.request(method, path, makeBody?.());
        expect(r.status, `${method} ${path} as ${who}`).toBe(403);
      }
    }
    expect(await snapshot(t.conn)).toBe(before);
    expect(await t.ctx.models.SignInCode.countDocuments({})).toBe(codesBefore);
    // The judge does belong to the contest: judge-level routes let them in.
    expect((await judgeClient.get(`/api/contests/${contestId}`)).status).toBe(200);
  });

  it('answers 400 naming params for malformed ids and 404 for judges of another contest', async () => {
    const { org, base } = await contestWithOrganizer();
    const other = await contestWithOrganizer();
    const foreign = await other.org.post(`${other.base}/judges`, { name: '外组评委' });
    const bad = await org.get(`${base}/judges/not-an-id`);
    expect(bad.status).toBe(400);
    expect(paths(bad.body.error.fields)).toEqual(['params.judgeId']);
    expect((await org.get(`${base}/judges/${foreign.body.id}`)).status).toBe(404);
    expect((await org.patch(`${base}/judges/${foreign.body.id}`, { version: 0, name: 'x' })).status).toBe(404);
    expect((await org.delete(`${base}/judges/${foreign.body.id}`)).status).toBe(404);
  });
});

describe('creating judges', () => {
  it('creates a code-only account with a generated username, a judge and a judge membership, and audits it', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const r = await org.post(`${base}/judges`, { name: '  张老师 ', school: '第一中学', conflictSchools: ['第二中学', '第二中学'] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      contestId,
      name: '张老师',
      username: `judge-${contestId.slice(-6)}-1`,
      school: '第一中学',
      panelId: null,
      conflictSchools: ['第二中学'],
      conflictEntryCodes: [],
      active: true,
      version: 0,
    });
    const user = await t.ctx.models.User.findById(r.body.userId).lean();
    expect(user).toMatchObject({ displayName: '张老师', passwordHash: null, isAdmin: false });
    expect(await t.ctx.models.Membership.countDocuments({ contestId, userId: r.body.userId, role: 'judge' })).toBe(1);
    const [event] = await audits(contestId, 'judge.create');
    expect(event).toMatchObject({ target: { type: 'judge', id: r.body.id }, before: null, after: { name: '张老师', username: r.body.username } });

    // Code-only: no password sign-in is possible for that account.
    const login = await t.client().post('/api/auth/login', { username: r.body.username, password: 'anything-at-all' });
    expect(login.status).toBe(401);

    const second = await org.post(`${base}/judges`, { name: '李老师' });
    expect(second.body.username).toBe(`judge-${contestId.slice(-6)}-2`);
  });

  it('creates a named account, or reuses an existing one without touching it', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const named = await org.post(`${base}/judges`, { name: '刘老师', username: 'liu.judge' });
    expect(named.status).toBe(201);
    expect(named.body.username).toBe('liu.judge');

    const existing = uniq('teacher.chen');
    await t.signedIn(existing);
    const userBefore = await t.ctx.models.User.findOne({ username: existing }).lean();
    const users = await t.ctx.models.User.countDocuments({});
    const reused = await org.post(`${base}/judges`, { name: '陈老师', username: existing });
    expect(reused.status).toBe(201);
    expect(reused.body.userId).toBe(String(userBefore!._id));
    expect(await t.ctx.models.User.countDocuments({})).toBe(users);
    expect(await t.ctx.models.User.findOne({ username: existing }).lean()).toEqual(userBefore);
    expect(await t.ctx.models.Membership.countDocuments({ contestId, userId: userBefore!._id, role: 'judge' })).toBe(1);
  });

  it('refuses bad input with 400 naming the field and changes nothing', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const other = await contestWithOrganizer();
    const foreignPanel = await other.org.post(`${other.base}/panels`, { name: '外组' });
    await addEntries(contestId, [['BB-001', '第一中学']]);
    const before = await snapshot(t.conn);
    const cases: [unknown, string][] = [
      [{}, 'body.name'],
      [{ name: '   ' }, 'body.name'],
      [{ name: '王', username: 'a b' }, 'body.username'],
      [{ name: '王', panelId: 'abc' }, 'body.panelId'],
      [{ name: '王', panelId: foreignPanel.body.id }, 'body.panelId'],
      [{ name: '王', panelId: '0123456789abcdef01234567' }, 'body.panelId'],
      [{ name: '王', conflictEntryCodes: ['BB-001', 'BB-404'] }, 'body.conflictEntryCodes.1'],
      [{ name: '王', conflictEntryCodes: ['bad code!'] }, 'body.conflictEntryCodes.0'],
      [{ name: '王', conflictSchools: ['  '] }, 'body.conflictSchools.0'],
      [{ name: '王', isAdmin: true }, 'body'],
    ];
    for (const [input, field] of cases) {
      const r = await org.post(`${base}/judges`, input);
      expect(r.status, JSON.stringify(input)).toBe(400);
      expect(paths(r.body.error.fields), JSON.stringify(input)).toContain(field);
    }
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('answers 409 when the username is already a judge of this contest, and 404 for a missing contest', async () => {
    const { org, base } = await contestWithOrganizer();
    expect((await org.post(`${base}/judges`, { name: '周老师', username: 'zhou.judge' })).status).toBe(201);
    const before = await snapshot(t.conn);
    const dup = await org.post(`${base}/judges`, { name: '周老师', username: 'zhou.judge' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.field).toBe('body.username');
    expect(await snapshot(t.conn)).toBe(before);

    const admin = await t.signedIn(uniq('admin'), { isAdmin: true });
    expect((await admin.post('/api/contests/0123456789abcdef01234567/judges', { name: '无' })).status).toBe(404);
  });

  it('undoes the account and the judge when a later step fails', async () => {
    const { org, base } = await contestWithOrganizer();
    const before = await snapshot(t.conn);
    vi.spyOn(t.ctx.models.Membership, 'updateOne').mockRejectedValueOnce(new Error('disk full'));
    const r = await org.post(`${base}/judges`, { name: '吴老师', username: 'wu.judge' });
    expect(r.status).toBe(500);
    expect(await snapshot(t.conn)).toBe(before);

    vi.spyOn(t.ctx.audit, 'append').mockRejectedValueOnce(new Error('audit down'));
    const r2 = await org.post(`${base}/judges`, { name: '吴老师', username: 'wu.judge' });
    expect(r2.status).toBe(500);
    expect(await snapshot(t.conn)).toBe(before);

    expect((await org.post(`${base}/judges`, { name: '吴老师', username: 'wu.judge' })).status).toBe(201);
  });
});

describe('listing, reading and updating judges', () => {
  it('lists judges with panel names and counts and reads one', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const panel = await org.post(`${base}/panels`, { name: '初中组' });
    const a = await org.post(`${base}/judges`, { name: '甲', panelId: panel.body.id });
    await org.post(`${base}/judges`, { name: '乙' });
    const c = await org.post(`${base}/judges`, { name: '丙' });
    await org.delete(`${base}/judges/${c.body.id}`);

    const list = await org.get(`${base}/judges`);
    expect(list.status).toBe(200);
    expect(list.body.counts).toEqual({ total: 3, active: 2, inactive: 1, withoutPanel: 1 });
    expect(list.body.judges.find((j: any) => j.id === a.body.id)).toMatchObject({ panelId: panel.body.id, panelName: '初中组', contestId });

    const one = await org.get(`${base}/judges/${a.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: a.body.id, name: '甲', panelName: '初中组', username: a.body.username });
  });

  it('updates with the version read, audits before/after, and keeps conflicts that were not sent', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const panel = await org.post(`${base}/panels`, { name: '小学组' });
    const j = await org.post(`${base}/judges`, { name: '孙老师', school: '实验小学', conflictSchools: ['第三小学'] });
    const r = await org.patch(`${base}/judges/${j.body.id}`, { version: 0, name: '孙老师（组长）', panelId: panel.body.id, school: '' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: '孙老师（组长）', panelId: panel.body.id, panelName: '小学组', school: null, version: 1, conflictSchools: ['第三小学'] });
    const [event] = await audits(contestId, 'judge.update');
    expect(event).toMatchObject({ before: { name: '孙老师', version: 0 }, after: { name: '孙老师（组长）', version: 1 } });

    const stale = await org.patch(`${base}/judges/${j.body.id}`, { version: 0, name: '过时' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current).toMatchObject({ id: j.body.id, name: '孙老师（组长）', version: 1, username: j.body.username });
  });

  it('refuses bad updates with 400 naming the field and changes nothing', async () => {
    const { org, base } = await contestWithOrganizer();
    const other = await contestWithOrganizer();
    const foreignPanel = await other.org.post(`${other.base}/panels`, { name: '外组' });
    const j = await org.post(`${base}/judges`, { name: '郑老师' });
    const before = await snapshot(t.conn);
    const cases: [unknown, string][] = [
      [{ name: '新' }, 'body.version'],
      [{ version: -1 }, 'body.version'],
      [{ version: 0, name: '' }, 'body.name'],
      [{ version: 0, panelId: foreignPanel.body.id }, 'body.panelId'],
      [{ version: 0, username: 'new.name' }, 'body'],
      [{ version: 0, active: 'no' }, 'body.active'],
    ];
    for (const [input, field] of cases) {
      const r = await org.patch(`${base}/judges/${j.body.id}`, input);
      expect(r.status, JSON.stringify(input)).toBe(400);
      expect(paths(r.body.error.fields), JSON.stringify(input)).toContain(field);
    }
    expect(await snapshot(t.conn)).toBe(before);
  });
});

describe('deactivating judges', () => {
  it('removes access at once (next request 403), voids unused codes, keeps the judge, and can be undone', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const j = await org.post(`${base}/judges`, { name: '冯老师' });
    const printed = await org.post(`${base}/judges/${j.body.id}/sign-in-code`);
    const tablet = t.client();
    expect((await tablet.post('/api/auth/code-login', { code: printed.body.code })).status).toBe(200);
    expect((await tablet.get(`/api/contests/${contestId}`)).status).toBe(200);
    const spare = await org.post(`${base}/judges/${j.body.id}/sign-in-code`);

    const del = await org.delete(`${base}/judges/${j.body.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ active: false, version: 1 });
    expect(await t.ctx.models.Membership.countDocuments({ contestId, userId: j.body.userId, role: 'judge' })).toBe(0);
    expect(await t.ctx.models.Judge.countDocuments({ _id: j.body.id })).toBe(1);
    expect((await tablet.get(`/api/contests/${contestId}`)).status).toBe(403);
    expect((await t.client().post('/api/auth/code-login', { code: spare.body.code })).status).toBe(401);
    expect((await org.post(`${base}/judges/${j.body.id}/sign-in-code`)).status).toBe(409);
    const [event] = await audits(contestId, 'judge.deactivate');
    expect(event).toMatchObject({ target: { id: j.body.id }, before: { active: true }, after: { active: false } });

    // Deleting again is harmless and writes nothing.
    const before = await snapshot(t.conn);
    expect((await org.delete(`${base}/judges/${j.body.id}`)).status).toBe(200);
    expect(await snapshot(t.conn)).toBe(before);

    const back = await org.patch(`${base}/judges/${j.body.id}`, { version: 1, active: true });
    expect(back.status).toBe(200);
    expect(back.body.active).toBe(true);
    expect((await tablet.get(`/api/contests/${contestId}`)).status).toBe(200);
  });
});

describe('conflicts of interest', () => {
  it('replaces conflicts with the version read, in the contest spelling of entry codes, and audits them', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    await addEntries(contestId, [
      ['BB-001', '第一中学'],
      ['BB-002', '第二中学'],
    ]);
    const j = await org.post(`${base}/judges`, { name: '褚老师', school: '第一中学' });
    const r = await org.put(`${base}/judges/${j.body.id}/conflicts`, {
      version: 0,
      conflictSchools: ['育才小学', '育才小学 '],
      conflictEntryCodes: ['bb-002', 'BB-002'],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ conflictSchools: ['育才小学'], conflictEntryCodes: ['BB-002'], version: 1 });
    const [event] = await audits(contestId, 'conflicts.update');
    expect(event).toMatchObject({ before: { conflictEntryCodes: [] }, after: { conflictEntryCodes: ['BB-002'] } });

    const stale = await org.put(`${base}/judges/${j.body.id}/conflicts`, { version: 0, conflictSchools: [], conflictEntryCodes: [] });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current.conflictEntryCodes).toEqual(['BB-002']);
  });

  it('refuses unknown entry codes naming the index, and incomplete bodies, changing nothing', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const other = await contestWithOrganizer();
    await addEntries(contestId, [['BB-001', '第一中学']]);
    await addEntries(other.contestId, [['BB-900', '别校']]);
    const j = await org.post(`${base}/judges`, { name: '卫老师' });
    const before = await snapshot(t.conn);
    const cases: [unknown, string][] = [
      [{ version: 0, conflictSchools: [], conflictEntryCodes: ['BB-001', 'BB-900'] }, 'body.conflictEntryCodes.1'],
      [{ version: 0, conflictSchools: [] }, 'body.conflictEntryCodes'],
      [{ conflictSchools: [], conflictEntryCodes: [] }, 'body.version'],
      [{ version: 0, conflictSchools: 'x', conflictEntryCodes: [] }, 'body.conflictSchools'],
    ];
    for (const [input, field] of cases) {
      const r = await org.put(`${base}/judges/${j.body.id}/conflicts`, input);
      expect(r.status, JSON.stringify(input)).toBe(400);
      expect(paths(r.body.error.fields), JSON.stringify(input)).toContain(field);
    }
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('lists the entries a judge must never see: own school (any width), declared schools and codes', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    await addEntries(contestId, [
      ['BB-001', '第１中学（东校区）'],
      ['BB-002', '第1中学(东校区)'],
      ['BB-003', '育才小学'],
      ['BB-004', '实验中学'],
      ['BB-005', '实验中学'],
    ]);
    const j = await org.post(`${base}/judges`, {
      name: '蒋老师',
      school: ' 第1中学（东校区）',
      conflictSchools: ['育才小学'],
      conflictEntryCodes: ['BB-005'],
    });
    const r = await org.get(`${base}/judges/${j.body.id}/conflicting-entries`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ judgeId: j.body.id, entryCodes: ['BB-001', 'BB-002', 'BB-003', 'BB-005'] });
  });
});

describe('panels', () => {
  it('creates, lists, renames and deletes panels; names are unique per contest; everything is audited', async () => {
    const { contestId, org, base } = await contestWithOrganizer({ categories: [{ id: 'primary', name: { zh: '小学' } }] });
    const other = await contestWithOrganizer();
    const p = await org.post(`${base}/panels`, { name: '小学组', category: 'primary' });
    expect(p.status).toBe(201);
    expect(p.body).toMatchObject({ contestId, name: '小学组', category: 'primary', judgeCount: 0, version: 0 });
    expect((await other.org.post(`${other.base}/panels`, { name: '小学组' })).status).toBe(201);

    const before = await snapshot(t.conn);
    const dup = await org.post(`${base}/panels`, { name: '小学组' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.field).toBe('body.name');
    for (const [input, field] of [
      [{}, 'body.name'],
      [{ name: '中学组', category: 'secondary' }, 'body.category'],
      [{ name: '中学组', extra: 1 }, 'body'],
    ] as [unknown, string][]) {
      const r = await org.post(`${base}/panels`, input);
      expect(r.status, JSON.stringify(input)).toBe(400);
      expect(paths(r.body.error.fields)).toContain(field);
    }
    expect(await snapshot(t.conn)).toBe(before);

    await org.post(`${base}/judges`, { name: '沈老师', panelId: p.body.id });
    const list = await org.get(`${base}/panels`);
    expect(list.body.panels).toEqual([expect.objectContaining({ id: p.body.id, judgeCount: 1 })]);

    const second = await org.post(`${base}/panels`, { name: '中学组' });
    const renamed = await org.patch(`${base}/panels/${p.body.id}`, { version: 0, name: '小学一组', category: null });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: '小学一组', category: null, version: 1, judgeCount: 1 });
    const clash = await org.patch(`${base}/panels/${p.body.id}`, { version: 1, name: '中学组' });
    expect(clash.status).toBe(409);
    const stale = await org.patch(`${base}/panels/${p.body.id}`, { version: 0, name: '旧' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current).toMatchObject({ name: '小学一组', version: 1 });
    const badPatch = await org.patch(`${base}/panels/${p.body.id}`, { version: 1, category: 'nope' });
    expect(badPatch.status).toBe(400);
    expect(paths(badPatch.body.error.fields)).toEqual(['body.category']);

    expect((await org.delete(`${base}/panels/${second.body.id}`)).status).toBe(204);
    expect((await org.get(`${base}/panels`)).body.panels.map((x: any) => x.name)).toEqual(['小学一组']);
    expect((await org.delete(`${base}/panels/${second.body.id}`)).status).toBe(404);
    for (const action of ['panel.create', 'panel.update', 'panel.delete']) expect((await audits(contestId, action)).length, action).toBeGreaterThan(0);
  });

  it('refuses to delete a panel with active judges; deactivated judges just leave it', async () => {
    const { org, base } = await contestWithOrganizer();
    const p = await org.post(`${base}/panels`, { name: '一组' });
    const a = await org.post(`${base}/judges`, { name: '韩老师', panelId: p.body.id });
    const b = await org.post(`${base}/judges`, { name: '杨老师', panelId: p.body.id });
    await org.delete(`${base}/judges/${b.body.id}`);
    const before = await snapshot(t.conn);
    const refused = await org.delete(`${base}/panels/${p.body.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.judges).toEqual([{ id: a.body.id, name: '韩老师' }]);
    expect(await snapshot(t.conn)).toBe(before);

    await org.patch(`${base}/judges/${a.body.id}`, { version: 0, panelId: null });
    expect((await org.delete(`${base}/panels/${p.body.id}`)).status).toBe(204);
    expect((await org.get(`${base}/judges/${b.body.id}`)).body.panelId).toBeNull();
  });

  it('assigns judges of this contest to a panel, naming the bad index otherwise', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const other = await contestWithOrganizer();
    const p1 = await org.post(`${base}/panels`, { name: '一组' });
    const p2 = await org.post(`${base}/panels`, { name: '二组' });
    const a = await org.post(`${base}/judges`, { name: '朱老师', panelId: p1.body.id });
    const b = await org.post(`${base}/judges`, { name: '秦老师' });
    const gone = await org.post(`${base}/judges`, { name: '尤老师' });
    await org.delete(`${base}/judges/${gone.body.id}`);
    const foreign = await other.org.post(`${other.base}/judges`, { name: '许老师' });

    const before = await snapshot(t.conn);
    for (const [input, field] of [
      [{ judgeIds: [a.body.id, foreign.body.id] }, 'body.judgeIds.1'],
      [{ judgeIds: [gone.body.id] }, 'body.judgeIds.0'],
      [{ judgeIds: ['xyz'] }, 'body.judgeIds.0'],
      [{ judgeIds: [] }, 'body.judgeIds'],
    ] as [unknown, string][]) {
      const r = await org.post(`${base}/panels/${p2.body.id}/judges`, input);
      expect(r.status, JSON.stringify(input)).toBe(400);
      expect(paths(r.body.error.fields)).toEqual([field]);
    }
    expect(await snapshot(t.conn)).toBe(before);

    const ok = await org.post(`${base}/panels/${p2.body.id}/judges`, { judgeIds: [a.body.id, b.body.id] });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: p2.body.id, judgeCount: 2 });
    expect(ok.body.judgeIds.sort()).toEqual([a.body.id, b.body.id].sort());
    const counts = Object.fromEntries((await org.get(`${base}/panels`)).body.panels.map((p: any) => [p.name, p.judgeCount]));
    expect(counts).toEqual({ 一组: 0, 二组: 2 });
    const [event] = await audits(contestId, 'panel.assign');
    expect(event!.before).toEqual({
      judges: expect.arrayContaining([
        { judgeId: a.body.id, panelId: p1.body.id },
        { judgeId: b.body.id, panelId: null },
      ]),
    });
    expect((await org.post(`${base}/panels/0123456789abcdef01234567/judges`, { judgeIds: [a.body.id] })).status).toBe(404);
  });
});

describe('importing judges', () => {
  it('imports a CSV with Chinese headers, panels by name and list cells, all at once', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    await addEntries(contestId, [
      ['BB-001', '一中'],
      ['BB-002', '二中'],
    ]);
    await org.post(`${base}/panels`, { name: '第一评审组' });
    const csv = [
      '序号,姓名,用户名,学校/单位,评审组,回避学校,回避作品',
      '1,王老师,wang.import,一中,第一评审组,二中；三中,bb-001',
      '2,李老师,,二中,,,',
      '',
      '3,赵老师,,,第一评审组,"四中, 五中",BB-001;BB-002',
    ].join('\n');
    const r = await org.post(`${base}/judges/import`, csvFile(`\ufeff${csv}`));
    expect(r.status).toBe(201);
    expect(r.body.imported).toBe(3);
    const list = (await org.get(`${base}/judges`)).body.judges;
    const byName = Object.fromEntries(list.map((j: any) => [j.name, j]));
    expect(byName['王老师']).toMatchObject({ username: 'wang.import', school: '一中', panelName: '第一评审组', conflictSchools: ['二中', '三中'], conflictEntryCodes: ['BB-001'] });
    expect(byName['李老师']).toMatchObject({ school: '二中', panelId: null, conflictSchools: [] });
    expect(byName['李老师'].username).toMatch(new RegExp(`^judge-${contestId.slice(-6)}-\\d+$`));
    expect(byName['赵老师']).toMatchObject({ conflictSchools: ['四中', '五中'], conflictEntryCodes: ['BB-001', 'BB-002'] });
    expect(await t.ctx.models.Membership.countDocuments({ contestId, role: 'judge' })).toBe(3);
    const [event] = await audits(contestId, 'judge.import');
    expect(event).toMatchObject({ after: { fileName: 'judges.csv', imported: 3 } });
  });

  it('imports an XLSX with English headers', async () => {
    const { org, base } = await contestWithOrganizer();
    const fd = await xlsxFile([
      ['name', 'username', 'school', 'panel', 'conflictSchools', 'conflictEntryCodes'],
      ['何老师', 'he.xlsx', '育英学校', '', '', ''],
      ['吕老师', '', '', '', '育英学校', ''],
    ]);
    const r = await org.post(`${base}/judges/import`, fd);
    expect(r.status).toBe(201);
    expect(r.body.imported).toBe(2);
    expect(r.body.judges.map((j: any) => j.name)).toEqual(['何老师', '吕老师']);
  });

  it('reports every bad CSV row with its spreadsheet row and column, and imports nothing', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    await addEntries(contestId, [['BB-001', '一中']]);
    await org.post(`${base}/panels`, { name: '一组' });
    await org.post(`${base}/judges`, { name: '已在', username: 'already.here' });
    const csv = [
      '姓名,用户名,学校,评审组,回避学校,回避作品',
      '好老师,good.one,一中,一组,,BB-001', // row 2 is fine
      ',,,,,', // blank: skipped
      ',nobody.name,,,,', // row 4: no name
      '孔老师,,,不存在的组,,', // row 5: unknown panel
      '曹老师,,,,,BB-404', // row 6: unknown entry
      '严老师,x y,,,,', // row 7: bad username
      '华老师,good.one,,,,', // row 8: duplicate username in file
      '金老师,already.here,,,,', // row 9: already a judge
      '魏老师,,,,,bad code!', // row 10: malformed code
    ].join('\n');
    const before = await snapshot(t.conn);
    const r = await org.post(`${base}/judges/import`, csvFile(csv));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('import_invalid');
    const problems = r.body.error.problems.map((p: any) => [p.row, p.column]);
    expect(problems).toEqual([
      [4, '姓名'],
      [5, '评审组'],
      [6, '回避作品'],
      [7, '用户名'],
      [8, '用户名'],
      [9, '用户名'],
      [10, '回避作品'],
    ]);
    expect(r.body.error.problems[2].message).toContain('BB-404');
    expect(r.body.error.problems[4].message).toContain('row 2');
    expect(r.body.error.problems[6].message).toContain('bad code!');
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('reports bad XLSX rows and a missing name column, importing nothing', async () => {
    const { org, base } = await contestWithOrganizer();
    const before = await snapshot(t.conn);
    const bad = await org.post(
      `${base}/judges/import`,
      await xlsxFile([
        ['姓名', '评审组'],
        ['孔老师', '没有这个组'],
        ['x'.repeat(101), ''],
      ]),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems.map((p: any) => [p.row, p.column])).toEqual([
      [2, '评审组'],
      [3, '姓名'],
    ]);

    const noName = await org.post(`${base}/judges/import`, await xlsxFile([['学校'], ['一中']]));
    expect(noName.status).toBe(400);
    expect(noName.body.error.problems).toEqual([{ row: 1, column: 'name', message: expect.any(String) }]);

    const twice = await org.post(`${base}/judges/import`, csvFile('name,姓名\n甲,乙\n'));
    expect(twice.body.error.problems).toEqual([expect.objectContaining({ row: 1, column: '姓名' })]);

    const empty = await org.post(`${base}/judges/import`, csvFile('姓名\n'));
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('import_invalid');
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('refuses a missing, unreadable or oversized file with 400/413 naming file', async () => {
    const { org, base } = await contestWithOrganizer();
    const before = await snapshot(t.conn);
    const none = await org.post(`${base}/judges/import`, new FormData());
    expect(none.status).toBe(400);
    expect(paths(none.body.error.fields)).toEqual(['file']);
    const json = await org.post(`${base}/judges/import`, { name: '王' });
    expect(json.status).toBe(400);

    const broken = await org.post(`${base}/judges/import`, csvFile('姓名,学校\n"王老师,一中\n'));
    expect(broken.status).toBe(400);
    expect(paths(broken.body.error.fields)).toEqual(['file']);
    const fakeXlsx = new FormData();
    fakeXlsx.append('file', new Blob([Buffer.from('PK\u0003\u0004not really a zip')]), 'judges.xlsx');
    const notZip = await org.post(`${base}/judges/import`, fakeXlsx);
    expect(notZip.status).toBe(400);
    expect(paths(notZip.body.error.fields)).toEqual(['file']);

    const wrongField = new FormData();
    wrongField.append('upload', new Blob(['姓名\n王\n']), 'judges.csv');
    expect((await org.post(`${base}/judges/import`, wrongField)).status).toBe(400);

    const huge = await org.post(`${base}/judges/import`, csvFile(`姓名\n${'王老师\n'.repeat(600_000)}`));
    expect(huge.status).toBe(413);
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('rolls back every judge already written when a later write fails', async () => {
    const { org, base } = await contestWithOrganizer();
    const before = await snapshot(t.conn);
    const realCreate = t.ctx.models.Judge.create.bind(t.ctx.models.Judge);
    let calls = 0;
    vi.spyOn(t.ctx.models.Judge, 'create').mockImplementation(((doc: any) => {
      if (++calls === 3) return Promise.reject(new Error('lost connection'));
      return realCreate(doc);
    }) as any);
    const r = await org.post(`${base}/judges/import`, csvFile('姓名,用户名\n甲,roll.a\n乙,roll.b\n丙,roll.c\n丁,roll.d\n'));
    expect(r.status).toBe(500);
    expect(calls).toBe(3);
    expect(await snapshot(t.conn)).toBe(before);
  });
});

describe('one-time sign-in codes', () => {
  it('issues a code with URL and QR; a printed code signs the judge in exactly once; the audit never holds the code', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const j = await org.post(`${base}/judges`, { name: '钱老师' });
    const r = await org.post(`${base}/judges/${j.body.id}/sign-in-code`);
    expect(r.status).toBe(201);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body.code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(r.body.url).toBe(`/judge/sign-in?code=${r.body.code}`);
    expect(r.body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(new Date(r.body.expiresAt).getTime()).toBeGreaterThan(Date.now());

    const tablet = t.client();
    const first = await tablet.post('/api/auth/code-login', { code: r.body.code.toLowerCase() });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: j.body.userId, memberships: [{ contestId, role: 'judge' }] });
    expect((await tablet.get(`/api/contests/${contestId}`)).status).toBe(200);
    const again = await t.client().post('/api/auth/code-login', { code: r.body.code });
    expect(again.status).toBe(401);

    const events = await audits(contestId, 'sign_in_code.issue');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ target: { type: 'judge', id: j.body.id }, after: { judgeId: j.body.id, expiresAt: r.body.expiresAt } });
    const allEvents = JSON.stringify(await t.ctx.models.AuditEvent.find({}).lean());
    expect(allEvents).not.toContain(r.body.code);
    expect(allEvents).not.toContain(r.body.code.replace(/-/g, ''));
  });

  it('refuses an expired code, and a newer code invalidates the older unused one', async () => {
    const { org, base } = await contestWithOrganizer();
    const j = await org.post(`${base}/judges`, { name: '孙老师' });
    const old = await org.post(`${base}/judges/${j.body.id}/sign-in-code`);
    const fresh = await org.post(`${base}/judges/${j.body.id}/sign-in-code`);
    expect((await t.client().post('/api/auth/code-login', { code: old.body.code })).status).toBe(401);

    await t.ctx.models.SignInCode.updateMany({ userId: j.body.userId }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await t.client().post('/api/auth/code-login', { code: fresh.body.code })).status).toBe(401);

    const third = await org.post(`${base}/judges/${j.body.id}/sign-in-code`);
    expect((await t.client().post('/api/auth/code-login', { code: third.body.code })).status).toBe(200);
  });

  it('refuses a body on the single-code route, and unknown judges', async () => {
    const { org, base } = await contestWithOrganizer();
    const j = await org.post(`${base}/judges`, { name: '李老师' });
    const before = await snapshot(t.conn);
    const bad = await org.post(`${base}/judges/${j.body.id}/sign-in-code`, { validHours: 1000 });
    expect(bad.status).toBe(400);
    expect(paths(bad.body.error.fields)).toEqual(['body']);
    expect((await org.post(`${base}/judges/0123456789abcdef01234567/sign-in-code`)).status).toBe(404);
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('issues a sheet of fresh codes for all active judges, as JSON or CSV, or for the judges named', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const p = await org.post(`${base}/panels`, { name: '一组' });
    const a = await org.post(`${base}/judges`, { name: '=HYPERLINK("x")', panelId: p.body.id });
    const b = await org.post(`${base}/judges`, { name: '乙老师' });
    const c = await org.post(`${base}/judges`, { name: '丙老师' });
    await org.delete(`${base}/judges/${c.body.id}`);

    const sheet = await org.post(`${base}/judges/sign-in-codes`, {});
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('cache-control')).toBe('no-store');
    expect(sheet.body.codes.map((r: any) => r.judgeId)).toEqual([a.body.id, b.body.id]);
    expect(sheet.body.codes[0]).toMatchObject({ panel: '一组', username: a.body.username, url: `/judge/sign-in?code=${sheet.body.codes[0].code}` });
    expect(sheet.body.codes[0].qrSvg).toContain('<svg');
    const tablet = t.client();
    expect((await tablet.post('/api/auth/code-login', { code: sheet.body.codes[1].code })).status).toBe(200);

    const csv = await org.post(`${base}/judges/sign-in-codes?format=csv`, { judgeIds: [b.body.id] });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain('sign-in-codes.csv');
    const lines = (csv.body as string).replace(/^\ufeff/, '').trim().split(/\r\n/);
    expect(lines[0]).toBe('name,username,panel,code,url');
    expect(lines).toHaveLength(2);
    const [name, username, panel, code, url] = lines[1]!.split(',');
    expect([name, username, panel]).toEqual(['乙老师', b.body.username, '']);
    expect(url).toBe(`/judge/sign-in?code=${code}`);
    expect((await t.client().post('/api/auth/code-login', { code: code! })).status).toBe(200);

    const all = await org.post(`${base}/judges/sign-in-codes?format=csv`);
    expect(all.body).toContain(`"'=HYPERLINK(""x"")"`); // a name that looks like a formula is defused

    const events = await audits(contestId, 'sign_in_code.issue');
    expect(events.map((e: any) => e.after.count)).toEqual([2, 1, 2]);
    expect(JSON.stringify(events)).not.toContain(code!);
  });

  it('refuses bad sheet requests naming the field, issuing nothing', async () => {
    const { org, base } = await contestWithOrganizer();
    const other = await contestWithOrganizer();
    const a = await org.post(`${base}/judges`, { name: '甲' });
    const gone = await org.post(`${base}/judges`, { name: '乙' });
    await org.delete(`${base}/judges/${gone.body.id}`);
    const foreign = await other.org.post(`${other.base}/judges`, { name: '丙' });
    const before = await snapshot(t.conn);
    const cases: [string, unknown, string][] = [
      ['', { judgeIds: [a.body.id, foreign.body.id] }, 'body.judgeIds.1'],
      ['', { judgeIds: [gone.body.id] }, 'body.judgeIds.0'],
      ['', { judgeIds: 'all' }, 'body.judgeIds'],
      ['', { everyone: true }, 'body'],
      ['?format=pdf', {}, 'query.format'],
    ];
    for (const [q, input, field] of cases) {
      const r = await org.post(`${base}/judges/sign-in-codes${q}`, input);
      expect(r.status, JSON.stringify(input)).toBe(400);
      expect(paths(r.body.error.fields)).toEqual([field]);
    }
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('puts the public URL in front of the sign-in link when one is configured', async () => {
    const app = await startTestApp({ publicUrl: 'https://pingxuan.example.org/' });
    try {
      const { Contest, Membership, User } = app.ctx.models;
      const contest = await Contest.create({ name: 'c', settings: ContestSettingsSchema.parse({}), rounds: [{ id: 'main', name: { zh: '评审' } }], status: 'draft' });
      const org = await app.signedIn('url.organizer');
      const user = await User.findOne({ username: 'url.organizer' });
      await Membership.create({ contestId: contest._id, userId: user!._id, role: 'organizer' });
      const j = await org.post(`/api/contests/${contest._id}/judges`, { name: '王' });
      const r = await org.post(`/api/contests/${contest._id}/judges/${j.body.id}/sign-in-code`);
      expect(r.body.url).toBe(`https://pingxuan.example.org/judge/sign-in?code=${r.body.code}`);
    } finally {
      await app.close();
    }
  });
});
