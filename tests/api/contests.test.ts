import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContestForMemberSchema, ContestSchema, MemberSchema, RubricSchema } from '@pingxuan/shared';
import { startTestApp, snapshot, type Client, type TestApp } from './harness.js';

let t: TestApp;
let admin: Client;
let org: Client;
let judge: Client;
let teacher: Client;
let outsider: Client;
let otherOrg: Client;
let anon: Client;
let otherContestId: string;
const ids: Record<string, string> = {};

const criterion = (id: string, weight: number, maxScore = 10, step = 1) => ({ id, name: { zh: `标准${id}` }, weight, maxScore, step });
const paths = (r: { body: any }) => (r.body.error?.fields ?? []).map((f: { path: string }) => f.path);

const twoRounds = [
  { id: 'prelim', name: { zh: '初赛', en: 'Preliminary' } },
  { id: 'final', name: { zh: '决赛' } },
];

/** A contest created by the admin, with org as organizer, judge as judge and teacher as teacher. */
async function newContest(extra: Record<string, unknown> = {}) {
  const r = await admin.post('/api/contests', {
    name: '黑板字比赛',
    categories: [
      { id: 'primary', name: { zh: '小学组' } },
      { id: 'secondary', name: { zh: '中学组' } },
    ],
    subjects: [{ id: 'math', name: { zh: '数学' } }],
    ...extra,
  });
  expect(r.status).toBe(201);
  const id: string = r.body.id;
  const { Membership } = t.ctx.models;
  await Membership.create({ contestId: id, userId: ids.org, role: 'organizer' });
  await Membership.create({ contestId: id, userId: ids.judge, role: 'judge' });
  await Membership.create({ contestId: id, userId: ids.teacher, role: 'teacher' });
  return { id, contest: r.body, url: `/api/contests/${id}` };
}

async function version(contestId: string) {
  return (await t.ctx.models.Contest.findById(contestId).lean())!.version;
}

async function putRubric(url: string, roundId: string, criteria = [criterion('a', 60), criterion('b', 40)]) {
  const r = await org.put(`${url}/rounds/${roundId}/rubric`, { criteria });
  expect(r.status).toBe(201);
  return r.body;
}

async function setStatus(url: string, contestId: string, status: string) {
  const r = await org.post(`${url}/status`, { status, version: await version(contestId) });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signedIn('admin', { isAdmin: true });
  org = await t.signedIn('org.li');
  judge = await t.signedIn('judge.wang');
  teacher = await t.signedIn('teacher.zhao');
  outsider = await t.signedIn('outsider');
  otherOrg = await t.signedIn('other.org');
  await t.signedIn('someone.new');
  anon = t.client();
  for (const u of await t.ctx.models.User.find({}).lean()) ids[u.username.split('.')[0]!] = String(u._id);
  ids.someone = String((await t.ctx.models.User.findOne({ username: 'someone.new' }).lean())!._id);
  const other = await admin.post('/api/contests', { name: '另一个比赛' });
  otherContestId = other.body.id;
  await t.ctx.models.Membership.create({ contestId: otherContestId, userId: ids.other, role: 'organizer' });
});
afterAll(async () => t?.close());

describe('POST /contests', () => {
  it('lets an admin create a contest with defaults, makes the creator organizer and audits it', async () => {
    const r = await admin.post('/api/contests', { name: '  板书大赛 ', description: '区级比赛' });
    expect(r.status).toBe(201);
    const c = ContestSchema.parse(r.body);
    expect(c).toMatchObject({ name: '板书大赛', status: 'draft', version: 0, categories: [], rounds: [{ id: 'main' }] });
    expect(c.settings.aggregation).toEqual({ method: 'trimmedMean', trim: 1, normalization: 'none', minJudges: 3 });
    expect(new Date(c.createdAt).toISOString()).toBe(c.createdAt);
    const m = await t.ctx.models.Membership.find({ contestId: c.id }).lean();
    expect(m.map((x) => [String(x.userId), x.role])).toEqual([[ids.admin, 'organizer']]);
    const audit = await t.ctx.models.AuditEvent.findOne({ contestId: c.id, action: 'contest.create' }).lean();
    expect(audit?.after).toMatchObject({ id: c.id, name: '板书大赛' });
    expect(audit?.actor?.username).toBe('admin');
  });

  it('refuses non-admins (403) and signed-out callers (401)', async () => {
    expect((await anon.post('/api/contests', { name: 'x' })).status).toBe(401);
    expect((await org.post('/api/contests', { name: 'x' })).status).toBe(403);
    expect((await judge.post('/api/contests', { name: 'x' })).status).toBe(403);
  });

  it('answers bad input with 400 naming the field and creates nothing', async () => {
    const before = await snapshot(t.conn);
    const dupRound = await admin.post('/api/contests', { name: 'x', rounds: [{ id: 'r', name: { zh: 'a' } }, { id: 'r', name: { zh: 'b' } }] });
    expect(dupRound.status).toBe(400);
    expect(paths(dupRound)).toEqual(['body.rounds.1.id']);
    const noName = await admin.post('/api/contests', { name: '   ' });
    expect(paths(noName)).toEqual(['body.name']);
    const badTier = await admin.post('/api/contests', { name: 'x', settings: { tiers: [{ id: 'first', name: { zh: '一等奖' } }] } });
    expect(badTier.status).toBe(400);
    expect(paths(badTier)[0]).toMatch(/^body\.settings\.tiers\.0/);
    const status = await admin.post('/api/contests', { name: 'x', status: 'published' });
    expect(paths(status)).toContain('body');
    expect(status.status).toBe(400);
    const createdBy = await admin.post('/api/contests', { name: 'x', createdBy: ids.org });
    expect(createdBy.status).toBe(400);
    expect(await snapshot(t.conn)).toBe(before);
  });
});

describe('GET /contests', () => {
  it('lists only the contests the caller belongs to, with roles; settings only for organizers', async () => {
    const { id } = await newContest();
    const mine = await org.get('/api/contests');
    expect(mine.status).toBe(200);
    const own = mine.body.contests.find((c: any) => c.id === id);
    expect(ForMember(own)).toMatchObject({ roles: ['organizer'] });
    expect(own.settings).toBeDefined();
    expect(mine.body.contests.some((c: any) => c.id === otherContestId)).toBe(false);

    const asJudge = (await judge.get('/api/contests')).body.contests.find((c: any) => c.id === id);
    expect(asJudge.roles).toEqual(['judge']);
    expect(asJudge).not.toHaveProperty('settings');

    expect((await outsider.get('/api/contests')).body.contests).toEqual([]);
    const all = (await admin.get('/api/contests')).body.contests;
    expect(all.map((c: any) => c.id)).toEqual(expect.arrayContaining([id, otherContestId]));
    expect(all.find((c: any) => c.id === otherContestId).roles).toEqual(['organizer']);
  });

  it('answers 401 when signed out', async () => {
    expect((await anon.get('/api/contests')).status).toBe(401);
  });
});

const ForMember = (v: unknown) => ContestForMemberSchema.parse(v);

describe('GET /contests/:contestId', () => {
  it('shows organizers everything and judges/teachers the contest without settings', async () => {
    const { id, url } = await newContest();
    const o = await org.get(url);
    expect(o.status).toBe(200);
    expect(ForMember(o.body)).toMatchObject({ id, roles: ['organizer'], settings: { judgesPerEntry: 5 } });
    for (const [c, role] of [
      [judge, 'judge'],
      [teacher, 'teacher'],
    ] as const) {
      const r = await c.get(url);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id, name: '黑板字比赛', status: 'draft', roles: [role], categories: [{ id: 'primary' }, { id: 'secondary' }] });
      expect(r.body).not.toHaveProperty('settings');
    }
  });

  it('refuses outsiders and organizers of another contest (403), signed-out callers (401), bad ids (400)', async () => {
    const { url } = await newContest();
    expect((await anon.get(url)).status).toBe(401);
    expect((await outsider.get(url)).status).toBe(403);
    expect((await otherOrg.get(url)).status).toBe(403);
    const bad = await org.get('/api/contests/not-an-id');
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(['params.contestId']);
    expect((await admin.get('/api/contests/0123456789abcdef01234567')).status).toBe(404);
  });
});

describe('PATCH /contests/:contestId', () => {
  it('updates fields, merges settings, bumps the version and audits before/after', async () => {
    const { id, url } = await newContest();
    const r = await org.patch(url, { version: 0, name: '黑板字比赛（复赛）', settings: { tiePolicy: 'exclude', judgesPerEntry: 3 } });
    expect(r.status).toBe(200);
    const c = ContestSchema.parse(r.body);
    expect(c).toMatchObject({ name: '黑板字比赛（复赛）', version: 1 });
    // Settings not sent keep their values.
    expect(c.settings).toMatchObject({ tiePolicy: 'exclude', judgesPerEntry: 3, aggregation: { method: 'trimmedMean', trim: 1 } });
    const audit = await t.ctx.models.AuditEvent.findOne({ contestId: id, action: 'contest.update' }).lean();
    expect(audit?.before).toMatchObject({ name: '黑板字比赛', settings: { tiePolicy: 'include' } });
    expect(audit?.after).toMatchObject({ name: '黑板字比赛（复赛）', settings: { tiePolicy: 'exclude' } });
    expect(audit?.actor?.username).toBe('org.li');

    const again = await org.patch(url, { version: 1, settings: { aggregation: { method: 'median', trim: 0, normalization: 'zscore', minJudges: 2 } } });
    expect(again.status).toBe(200);
    expect(again.body.settings).toMatchObject({ tiePolicy: 'exclude', judgesPerEntry: 3, aggregation: { method: 'median', minJudges: 2 } });
  });

  it('refuses a stale version with 409 and the current contest', async () => {
    const { url } = await newContest();
    expect((await org.patch(url, { version: 0, name: 'A' })).status).toBe(200);
    const before = await snapshot(t.conn);
    const stale = await org.patch(url, { version: 0, name: 'B' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current).toMatchObject({ name: 'A', version: 1 });
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('answers bad input and mass assignment with 400 naming the field, changing nothing', async () => {
    const { id, url } = await newContest();
    const before = await snapshot(t.conn);
    const cases: [unknown, string][] = [
      [{ version: 0, name: '' }, 'body.name'],
      [{ name: 'x' }, 'body.version'],
      [{ version: 0, settings: { aggregation: { method: 'mode' } } }, 'body.settings.aggregation.method'],
      [{ version: 0, categories: [{ id: 'bad id', name: { zh: 'x' } }] }, 'body.categories.0.id'],
    ];
    for (const [input, field] of cases) {
      const r = await org.patch(url, input);
      expect(r.status, JSON.stringify(input)).toBe(400);
      expect(paths(r)).toContain(field);
    }
    for (const extra of [{ status: 'published' }, { createdBy: ids.org }, { _id: id }]) {
      const r = await org.patch(url, { version: 0, ...extra });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(new RegExp(Object.keys(extra)[0]!));
    }
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('checks tie-break ids against the rubrics once one exists (400 naming body.settings.tieBreak.N)', async () => {
    const { url } = await newContest();
    expect((await org.patch(url, { version: 0, settings: { tieBreak: ['anything'] } })).status).toBe(200);
    await putRubric(url, 'main');
    const before = await snapshot(t.conn);
    const r = await org.patch(url, { version: 1, settings: { tieBreak: ['a', 'zz'] } });
    expect(r.status).toBe(400);
    expect(paths(r)).toEqual(['body.settings.tieBreak.1']);
    expect(await snapshot(t.conn)).toBe(before);
    expect((await org.patch(url, { version: 1, settings: { tieBreak: ['b', 'a'] } })).status).toBe(200);
  });

  it('refuses to remove categories, subjects or rounds that entries use (409 naming them)', async () => {
    const { id, url } = await newContest({ rounds: twoRounds });
    await t.ctx.models.Entry.create({ contestId: id, roundIds: ['prelim'], code: 'A001', title: 't', teacherName: '李老师', school: '一中', category: 'primary', subject: 'math' });
    const before = await snapshot(t.conn);
    const cat = await org.patch(url, { version: 0, categories: [{ id: 'secondary', name: { zh: '中学组' } }] });
    expect(cat.status).toBe(409);
    expect(cat.body.error.message).toContain('"primary"');
    expect(cat.body.error.inUse).toEqual(['primary']);
    const sub = await org.patch(url, { version: 0, subjects: [] });
    expect(sub.status).toBe(409);
    expect(sub.body.error.message).toContain('"math"');
    const round = await org.patch(url, { version: 0, rounds: [twoRounds[1]] });
    expect(round.status).toBe(409);
    expect(round.body.error.message).toContain('"prelim"');
    expect(await snapshot(t.conn)).toBe(before);

    // Removing the unused ones works, and the removed round's rubric goes with it (audited).
    await putRubric(url, 'final');
    const ok = await org.patch(url, { version: 0, categories: [{ id: 'primary', name: { zh: '小学组' } }], rounds: [twoRounds[0]] });
    expect(ok.status).toBe(200);
    expect(ok.body.rounds.map((r: any) => r.id)).toEqual(['prelim']);
    expect(await t.ctx.models.Rubric.countDocuments({ contestId: id })).toBe(0);
    expect(await t.ctx.models.AuditEvent.countDocuments({ contestId: id, action: 'rubric.delete' })).toBe(1);
  });

  it('allows categories and rounds to change only in draft, settings until published', async () => {
    const { id, url } = await newContest();
    await putRubric(url, 'main');
    await setStatus(url, id, 'judging');
    const v = await version(id);
    const cats = await org.patch(url, { version: v, categories: [] });
    expect(cats.status).toBe(409);
    expect(cats.body.error.message).toMatch(/draft/);
    // Sending the unchanged list (as a form would) is not a change.
    const same = await org.patch(url, { version: v, categories: [{ id: 'primary', name: { zh: '小学组' } }, { id: 'secondary', name: { zh: '中学组' } }], name: '新名' });
    expect(same.status).toBe(200);
    expect(same.body.name).toBe('新名');
    expect((await org.patch(url, { version: v + 1, settings: { disagreementThreshold: 20 } })).status).toBe(200);

    await setStatus(url, id, 'review');
    await setStatus(url, id, 'published');
    const late = await org.patch(url, { version: await version(id), settings: { disagreementThreshold: 10 } });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/published/);
  });

  it('refuses judges, teachers, outsiders and organizers of another contest (403) and signed-out callers (401)', async () => {
    const { url } = await newContest();
    const before = await snapshot(t.conn);
    expect((await anon.patch(url, { version: 0, name: 'x' })).status).toBe(401);
    for (const c of [judge, teacher, outsider, otherOrg]) expect((await c.patch(url, { version: 0, name: 'x' })).status).toBe(403);
    expect(await snapshot(t.conn)).toBe(before);
  });
});

describe('POST /contests/:contestId/status', () => {
  it('needs a rubric with criteria for every round before judging starts, then freezes them', async () => {
    const { id, url } = await newContest({ rounds: twoRounds });
    const none = await org.post(`${url}/status`, { status: 'judging', version: 0 });
    expect(none.status).toBe(409);
    expect(none.body.error.message).toContain('初赛');
    await putRubric(url, 'prelim');
    const one = await org.post(`${url}/status`, { status: 'judging', version: 0 });
    expect(one.status).toBe(409);
    expect(one.body.error).toMatchObject({ roundId: 'final' });
    await putRubric(url, 'final');

    const ok = await org.post(`${url}/status`, { status: 'judging', version: 0 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'judging', version: 1 });
    const rubrics = await t.ctx.models.Rubric.find({ contestId: id }).lean();
    expect(rubrics.map((r) => r.frozen)).toEqual([true, true]);
    const audit = await t.ctx.models.AuditEvent.findOne({ contestId: id, action: 'contest.status' }).lean();
    expect(audit?.before).toMatchObject({ status: 'draft' });
    expect(audit?.after).toMatchObject({ status: 'judging', frozenRubrics: expect.arrayContaining(['prelim', 'final']) });
  });

  it('refuses to start judging while the tie-break names criteria no rubric has', async () => {
    const { id, url } = await newContest();
    expect((await org.patch(url, { version: 0, settings: { tieBreak: ['ghost'] } })).status).toBe(200);
    await putRubric(url, 'main');
    const r = await org.post(`${url}/status`, { status: 'judging', version: 1 });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain('ghost');
    expect(await version(id)).toBe(1);
  });

  it('follows the allowed transitions only', async () => {
    const { id, url } = await newContest();
    const skip = await org.post(`${url}/status`, { status: 'published', version: 0 });
    expect(skip.status).toBe(409);
    expect(skip.body.error).toMatchObject({ from: 'draft', to: 'published' });
    await putRubric(url, 'main');
    await setStatus(url, id, 'judging');
    expect((await org.post(`${url}/status`, { status: 'draft', version: 1 })).status).toBe(409);
    await setStatus(url, id, 'review');
    await setStatus(url, id, 'judging'); // back to rescore
    await setStatus(url, id, 'review');
    await setStatus(url, id, 'published');
    const after = await org.post(`${url}/status`, { status: 'review', version: await version(id) });
    expect(after.status).toBe(409);
    expect(after.body.error.message).toMatch(/published/);
  });

  it('refuses a stale version (409 with current), bad input (400), non-organizers (403) and signed-out callers (401)', async () => {
    const { url } = await newContest();
    await putRubric(url, 'main');
    await org.patch(url, { version: 0, name: 'v1' });
    const before = await snapshot(t.conn);
    const stale = await org.post(`${url}/status`, { status: 'judging', version: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current).toMatchObject({ status: 'draft', version: 1 });
    const bad = await org.post(`${url}/status`, { status: 'closed', version: 1 });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(['body.status']);
    expect(paths(await org.post(`${url}/status`, { status: 'judging' }))).toEqual(['body.version']);
    expect((await anon.post(`${url}/status`, { status: 'judging', version: 1 })).status).toBe(401);
    for (const c of [judge, teacher, outsider, otherOrg]) expect((await c.post(`${url}/status`, { status: 'judging', version: 1 })).status).toBe(403);
    expect(await snapshot(t.conn)).toBe(before);
  });
});

describe('rubrics', () => {
  it('creates a rubric (201, weightSum), then replaces it with the version read (200); judges may read it', async () => {
    const { id, url } = await newContest();
    const rubricUrl = `${url}/rounds/main/rubric`;
    expect((await org.get(rubricUrl)).status).toBe(404);

    const created = await org.put(rubricUrl, { criteria: [criterion('layout', 30), criterion('strokes', 45, 10, 0.5)] });
    expect(created.status).toBe(201);
    const r = RubricSchema.parse(created.body);
    expect(r).toMatchObject({ contestId: id, roundId: 'main', frozen: false, version: 0, weightSum: 75 });
    expect(r.criteria[0]).toMatchObject({ id: 'layout', step: 1, description: { zh: '' } });

    const replaced = await org.put(rubricUrl, { version: 0, criteria: [criterion('layout', 0.5), criterion('strokes', 0.25)] });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ version: 1, weightSum: 0.75 });

    const read = await judge.get(rubricUrl);
    expect(read.status).toBe(200);
    expect(read.body.criteria.map((c: any) => c.id)).toEqual(['layout', 'strokes']);
    const audits = await t.ctx.models.AuditEvent.find({ contestId: id, action: 'rubric.put' }).sort({ seq: 1 }).lean();
    expect(audits.map((a) => [a.before === null, (a.after as any).version])).toEqual([
      [true, 0],
      [false, 1],
    ]);
    expect((audits[1]!.before as any).criteria[0].weight).toBe(30);
  });

  it('needs the version to replace (409 with current when missing or stale) and none to create', async () => {
    const { url } = await newContest();
    const rubricUrl = `${url}/rounds/main/rubric`;
    const early = await org.put(rubricUrl, { version: 0, criteria: [criterion('a', 1)] });
    expect(early.status).toBe(409);
    await putRubric(url, 'main');
    await org.put(rubricUrl, { version: 0, criteria: [criterion('a', 2)] });
    const before = await snapshot(t.conn);
    const missing = await org.put(rubricUrl, { criteria: [criterion('x', 1)] });
    expect(missing.status).toBe(409);
    expect(missing.body.error.current).toMatchObject({ version: 1, criteria: [{ id: 'a', weight: 2 }] });
    const stale = await org.put(rubricUrl, { version: 0, criteria: [criterion('x', 1)] });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current).toMatchObject({ version: 1 });
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('rejects invalid rubrics with 400 naming the field and changes nothing', async () => {
    const { url } = await newContest();
    const rubricUrl = `${url}/rounds/main/rubric`;
    const before = await snapshot(t.conn);
    const cases: [unknown, string][] = [
      [{ criteria: [criterion('a', 10, 10, 3)] }, 'body.criteria.0.step'],
      [{ criteria: [criterion('a', 10), criterion('a', 20)] }, 'body.criteria.1.id'],
      [{ criteria: [criterion('a', 0)] }, 'body.criteria.0.weight'],
      [{ criteria: [criterion('a', 10, -5)] }, 'body.criteria.0.maxScore'],
      [{ criteria: [] }, 'body.criteria'],
      [{ criteria: [{ ...criterion('a', 1), name: { zh: '' } }] }, 'body.criteria.0.name.zh'],
      [{ criteria: [criterion('a', 1)], frozen: false }, 'body'],
      [{ criteria: [criterion('a', 1)], version: -1 }, 'body.version'],
    ];
    for (const [input, field] of cases) {
      const r = await org.put(rubricUrl, input);
      expect(r.status, JSON.stringify(input)).toBe(400);
      expect(paths(r)).toContain(field);
    }
    const badRound = await org.put(`${url}/rounds/no%20such/rubric`, { criteria: [criterion('a', 1)] });
    expect(paths(badRound)).toEqual(['params.roundId']);
    expect(await snapshot(t.conn)).toBe(before);
    expect((await org.put(`${url}/rounds/nosuch/rubric`, { criteria: [criterion('a', 1)] })).status).toBe(404);
    expect((await org.get(`${url}/rounds/nosuch/rubric`)).status).toBe(404);
  });

  it('is frozen once judging starts', async () => {
    const { id, url } = await newContest();
    const rubricUrl = `${url}/rounds/main/rubric`;
    await putRubric(url, 'main');
    await setStatus(url, id, 'judging');
    const current = (await org.get(rubricUrl)).body;
    expect(current).toMatchObject({ frozen: true, version: 1 });
    const before = await snapshot(t.conn);
    const r = await org.put(rubricUrl, { version: current.version, criteria: [criterion('a', 99)] });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/frozen once judging starts/);
    expect(await snapshot(t.conn)).toBe(before);
    // Going back from review to judging (to rescore) does not thaw it.
    await setStatus(url, id, 'review');
    await setStatus(url, id, 'judging');
    expect((await org.put(rubricUrl, { version: current.version, criteria: [criterion('a', 99)] })).status).toBe(409);
    expect((await org.get(rubricUrl)).body).toEqual(current);
  });

  it('lets only organizers write and organizers/judges read; 401 when signed out', async () => {
    const { url } = await newContest();
    const rubricUrl = `${url}/rounds/main/rubric`;
    const before = await snapshot(t.conn);
    expect((await anon.put(rubricUrl, { criteria: [criterion('a', 1)] })).status).toBe(401);
    expect((await anon.get(rubricUrl)).status).toBe(401);
    for (const c of [judge, teacher, outsider, otherOrg]) expect((await c.put(rubricUrl, { criteria: [criterion('a', 1)] })).status).toBe(403);
    expect(await snapshot(t.conn)).toBe(before);
    await putRubric(url, 'main');
    for (const c of [teacher, outsider, otherOrg]) expect((await c.get(rubricUrl)).status).toBe(403);
  });
});

describe('members', () => {
  it('lists members with usernames and roles', async () => {
    const { id, url } = await newContest();
    const r = await org.get(`${url}/members`);
    expect(r.status).toBe(200);
    const members = r.body.members.map((m: unknown) => MemberSchema.parse(m));
    expect(members.map((m: any) => [m.username, m.role])).toEqual([
      ['admin', 'organizer'],
      ['org.li', 'organizer'],
      ['judge.wang', 'judge'],
      ['teacher.zhao', 'teacher'],
    ]);
    expect(members.every((m: any) => m.contestId === id && m.displayName)).toBe(true);
  });

  it('adds an existing user (201, audited); 404 unknown user, 409 duplicate, 400 for judges and bad input', async () => {
    const { id, url } = await newContest();
    const added = await org.post(`${url}/members`, { username: 'someone.new', role: 'teacher' });
    expect(added.status).toBe(201);
    expect(MemberSchema.parse(added.body)).toMatchObject({ username: 'someone.new', role: 'teacher', userId: ids.someone });
    const audit = await t.ctx.models.AuditEvent.findOne({ contestId: id, action: 'member.add', 'target.id': added.body.id }).lean();
    expect(audit?.after).toMatchObject({ username: 'someone.new', role: 'teacher' });

    const before = await snapshot(t.conn);
    expect((await org.post(`${url}/members`, { username: 'someone.new', role: 'teacher' })).status).toBe(409);
    expect((await org.post(`${url}/members`, { username: 'nobody.here', role: 'teacher' })).status).toBe(404);
    const asJudge = await org.post(`${url}/members`, { username: 'someone.new', role: 'judge' });
    expect(asJudge.status).toBe(400);
    expect(paths(asJudge)).toEqual(['body.role']);
    expect(asJudge.body.error.message).toMatch(/judges API/);
    expect(paths(await org.post(`${url}/members`, { username: 'a', role: 'teacher' }))).toEqual(['body.username']);
    expect(paths(await org.post(`${url}/members`, { username: 'someone.new', role: 'admin' }))).toEqual(['body.role']);
    expect((await org.post(`${url}/members`, { username: 'someone.new', role: 'teacher', userId: ids.admin })).status).toBe(400);
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('removes a member (204, audited, access gone at once) but never the last organizer or a judge', async () => {
    const { id, url } = await newContest();
    const members = (await org.get(`${url}/members`)).body.members as any[];
    const teacherM = members.find((m) => m.role === 'teacher');
    const judgeM = members.find((m) => m.role === 'judge');
    const adminM = members.find((m) => m.username === 'admin');
    const orgM = members.find((m) => m.username === 'org.li');

    expect((await teacher.get(url)).status).toBe(200);
    expect((await org.delete(`${url}/members/${teacherM.id}`)).status).toBe(204);
    expect((await teacher.get(url)).status).toBe(403);
    const audit = await t.ctx.models.AuditEvent.findOne({ contestId: id, action: 'member.remove' }).lean();
    expect(audit?.before).toMatchObject({ username: 'teacher.zhao', role: 'teacher' });

    const before = await snapshot(t.conn);
    const j = await org.delete(`${url}/members/${judgeM.id}`);
    expect(j.status).toBe(409);
    expect(j.body.error.message).toMatch(/judges API/);
    expect((await org.delete(`${url}/members/${teacherM.id}`)).status).toBe(404);
    const foreign = await t.ctx.models.Membership.findOne({ contestId: otherContestId }).lean();
    expect((await org.delete(`${url}/members/${String(foreign!._id)}`)).status).toBe(404);
    expect(paths(await org.delete(`${url}/members/xyz`))).toEqual(['params.membershipId']);
    expect(await snapshot(t.conn)).toBe(before);

    expect((await org.delete(`${url}/members/${adminM.id}`)).status).toBe(204);
    const last = await org.delete(`${url}/members/${orgM.id}`);
    expect(last.status).toBe(409);
    expect(last.body.error.message).toMatch(/last organizer/);
    expect(await t.ctx.models.Membership.countDocuments({ contestId: id, role: 'organizer' })).toBe(1);
  });

  it('lets only organizers manage members (403 for judge, teacher, outsider, other contest; 401 signed out)', async () => {
    const { url } = await newContest();
    const members = (await org.get(`${url}/members`)).body.members as any[];
    const teacherM = members.find((m) => m.role === 'teacher');
    const before = await snapshot(t.conn);
    expect((await anon.get(`${url}/members`)).status).toBe(401);
    expect((await anon.post(`${url}/members`, { username: 'someone.new', role: 'teacher' })).status).toBe(401);
    expect((await anon.delete(`${url}/members/${teacherM.id}`)).status).toBe(401);
    for (const c of [judge, teacher, outsider, otherOrg]) {
      expect((await c.get(`${url}/members`)).status).toBe(403);
      expect((await c.post(`${url}/members`, { username: 'someone.new', role: 'organizer' })).status).toBe(403);
      expect((await c.delete(`${url}/members/${teacherM.id}`)).status).toBe(403);
    }
    expect(await snapshot(t.conn)).toBe(before);
  });
});
