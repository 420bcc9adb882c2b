import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { snapshot, startTestApp, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

let seq = 0;
const uniq = (p: string) => `${p}${++seq}`;
const paths = (r: { body: { error?: { fields?: { path: string }[] } } }) =>
  (r.body.error?.fields ?? []).map((f) => f.path).sort();

/** A contest with entries from 甲校 (three) and 乙校 (two), scored by one judge, and a school organizer for 甲校. */
async function setup() {
  const { Membership, User, Entry, Score } = t.ctx.models;
  const admin = await t.signedIn(uniq('admin'), { isAdmin: true });
  const created = await admin.post('/api/contests', {
    name: '校级初赛',
    rounds: [
      { id: 'school', name: { zh: '校级初赛' } },
      { id: 'district', name: { zh: '区级决赛' } },
    ],
    settings: { aggregation: { method: 'mean', normalization: 'none', minJudges: 1 }, bootstrapSamples: 0 },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const contestId = created.body.id as string;
  const base = `/api/contests/${contestId}`;
  for (const round of ['school', 'district'])
    expect(
      (
        await admin.put(`${base}/rounds/${round}/rubric`, {
          criteria: [{ id: 'q', name: { zh: '书写' }, weight: 1, maxScore: 10 }],
        })
      ).status,
    ).toBe(201);
  const schools = ['甲校', '甲校', '甲校', '乙校', '乙校'];
  const entries = await Entry.insertMany(
    schools.map((school, i) => ({
      contestId,
      roundIds: ['school'],
      code: `S${i}`,
      title: `作品${i}`,
      teacherName: `教师${i}`,
      school,
    })),
  );
  const ids = entries.map((e) => String(e._id));
  const current = await admin.get(base);
  expect(
    (await admin.post(`${base}/status`, { status: 'judging', version: current.body.version })).status,
  ).toBe(200);
  await Score.insertMany(
    ids.map((entryId, i) => ({
      contestId,
      roundId: 'school',
      entryId,
      judgeId: new Types.ObjectId(),
      values: { q: 9 - i },
      status: 'submitted',
      version: 2,
    })),
  );

  const subName = uniq('jia');
  const sub = await t.signedIn(subName);
  const added = await admin.post(`${base}/members`, {
    username: subName,
    role: 'schoolOrganizer',
    school: '甲校',
  });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  expect(added.body).toMatchObject({ role: 'schoolOrganizer', school: '甲校' });
  const orgName = uniq('org');
  const org = await t.signedIn(orgName);
  await Membership.create({
    contestId,
    userId: (await User.findOne({ username: orgName }))!._id,
    role: 'organizer',
  });
  return { contestId, base, admin, org, sub, subName, ids };
}

describe('school organizers', () => {
  it('are added with their school, and only school organizers have one', async () => {
    const s = await setup();
    const name = uniq('someone');
    await t.signedIn(name);
    const before = await snapshot(t.conn);
    const missing = await s.admin.post(`${s.base}/members`, { username: name, role: 'schoolOrganizer' });
    expect(missing.status).toBe(400);
    expect(paths(missing)).toEqual(['body.school']);
    const extra = await s.admin.post(`${s.base}/members`, {
      username: name,
      role: 'teacher',
      school: '甲校',
    });
    expect(paths(extra)).toEqual(['body.school']);
    expect(await snapshot(t.conn)).toBe(before);
    const members = await s.admin.get(`${s.base}/members`);
    expect(members.body.members ?? members.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ username: s.subName, role: 'schoolOrganizer', school: '甲校' }),
      ]),
    );
  });

  it('see and change only their own school’s entries', async () => {
    const s = await setup();
    const list = await s.sub.get(`${s.base}/entries`);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.entries.map((e: { code: string }) => e.code)).toEqual(['S0', 'S1', 'S2']);
    expect(list.body.total).toBe(3);
    expect(list.body.counts).toMatchObject({ active: 3, withdrawn: 0 });
    expect((await s.sub.get(`${s.base}/entries?school=${encodeURIComponent('乙校')}`)).body.entries).toEqual(
      [],
    );
    // The organizer still sees everything.
    expect((await s.org.get(`${s.base}/entries`)).body.total).toBe(5);

    const other = s.ids[3]!;
    expect((await s.sub.get(`${s.base}/entries/${other}`)).status).toBe(404);
    const before = await snapshot(t.conn);
    expect((await s.sub.patch(`${s.base}/entries/${other}`, { title: '改', version: 0 })).status).toBe(404);
    expect(
      (await s.sub.post(`${s.base}/entries/${other}/withdraw`, { version: 0, reason: '重复' })).status,
    ).toBe(404);
    const moved = await s.sub.patch(`${s.base}/entries/${s.ids[0]}`, { school: '乙校', version: 0 });
    expect(moved.status).toBe(400);
    expect(paths(moved)).toEqual(['body.school']);
    const foreign = await s.sub.post(`${s.base}/entries`, {
      code: 'S9',
      title: '新作品',
      teacherName: '新老师',
      school: '乙校',
    });
    expect(paths(foreign)).toEqual(['body.school']);
    expect(await snapshot(t.conn)).toBe(before);

    const own = await s.sub.get(`${s.base}/entries/${s.ids[0]}`);
    expect(own.status).toBe(200);
    const edited = await s.sub.patch(`${s.base}/entries/${s.ids[0]}`, {
      title: '春晓（修改）',
      version: own.body.version,
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.title).toBe('春晓（修改）');
    const added = await s.sub.post(`${s.base}/entries`, {
      code: 'S9',
      title: '新作品',
      teacherName: '新老师',
      school: '甲校',
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const withdrawn = await s.sub.post(`${s.base}/entries/${s.ids[1]}/withdraw`, {
      version: 0,
      reason: '教师退赛',
    });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    const audit = await t.ctx.models.AuditEvent.findOne({
      contestId: s.contestId,
      action: 'entry.update',
    }).lean();
    expect(audit!.actor).toMatchObject({ username: s.subName });
  });

  it('import only rows of their own school, all or nothing', async () => {
    const s = await setup();
    const csv = 'code,title,teacherName,school\nS7,作品七,教师七,甲校\nS8,作品八,教师八,乙校\n';
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'entries.csv');
    const before = await snapshot(t.conn);
    const r = await s.sub.post(`${s.base}/entries/import`, form);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(JSON.stringify(r.body)).toContain('must be your school');
    expect(r.body.error.problems ?? r.body.error.details?.problems ?? r.body.problems).toBeDefined();
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('see their school’s ranking without judges, and nothing else of the contest', async () => {
    const s = await setup();
    const r = await s.sub.get(`${s.base}/results`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.entries.map((e: { code: string }) => e.code)).toEqual(['S0', 'S1', 'S2']);
    expect(r.body.entries.map((e: { rank: number }) => e.rank)).toEqual([1, 2, 3]);
    expect(r.body.summary.judges).toEqual([]);
    expect(r.body.summary.reliability).toEqual([]);
    expect(r.body.entries[0].judgeTotals[0]).toMatchObject({ judgeId: '', judgeName: '' });
    expect(JSON.stringify(r.body)).not.toContain('乙校');
    // The summary counts their school's entries and scores, not the contest's five.
    expect(r.body.summary.counts).toEqual({ entries: 3, ranked: 3, incomplete: 0, scores: 3 });
    const full = await s.org.get(`${s.base}/results`);
    expect(full.body.summary.counts).toEqual({ entries: 5, ranked: 5, incomplete: 0, scores: 5 });

    // Their export holds their school's rows only.
    const csv = await s.sub.get(`${s.base}/results/export?format=csv`);
    expect(csv.status).toBe(200);
    const lines = String(csv.body).trim().split(/\r?\n/);
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['S0', 'S1', 'S2']);
    expect(lines.join('\n')).not.toContain('乙校');
    const all = await s.org.get(`${s.base}/results/export?format=csv`);
    expect(String(all.body).trim().split(/\r?\n/)).toHaveLength(6);

    const forbidden: [string, string, unknown?][] = [
      ['GET', `${s.base}/judges`],
      ['GET', `${s.base}/members`],
      ['GET', `${s.base}/progress`],
      ['GET', `${s.base}/assignments`],
      ['GET', `${s.base}/scores`],
      ['GET', `${s.base}/audit`],
      ['POST', `${s.base}/status`, { status: 'review', version: 1 }],
      ['PATCH', s.base, { name: '改名', version: 1 }],
      ['POST', `${s.base}/advancement?dryRun=true`, { toRound: 'district', rules: {} }],
      ['POST', `${s.base}/photos`, {}],
      ['POST', `${s.base}/entries/feedback-links`, {}],
    ];
    for (const [method, url, payload] of forbidden)
      expect((await s.sub.request(method, url, payload)).status, `${method} ${url}`).toBe(403);
    const contest = await s.sub.get(s.base);
    expect(contest.status).toBe(200);
    expect(contest.body.roles).toEqual(['schoolOrganizer']);
    expect(contest.body.settings).toBeUndefined();
    // They are told which school they look after, here and in their contest list; organizers are not.
    expect(contest.body.school).toBe('甲校');
    const listed = await s.sub.get('/api/contests');
    expect(listed.body.contests).toEqual([expect.objectContaining({ id: s.contestId, school: '甲校' })]);
    expect((await s.org.get(s.base)).body.school).toBeUndefined();
  });

  it('lose access the moment their membership is removed', async () => {
    const s = await setup();
    const members = await s.admin.get(`${s.base}/members`);
    const list = (members.body.members ?? members.body) as { id: string; role: string }[];
    const m = list.find((x) => x.role === 'schoolOrganizer')!;
    expect((await s.admin.delete(`${s.base}/members/${m.id}`)).status).toBeLessThan(300);
    expect((await s.sub.get(`${s.base}/entries`)).status).toBe(403);
  });
});
