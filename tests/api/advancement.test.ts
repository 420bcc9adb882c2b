import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { snapshot, startTestApp, type Client, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

let seq = 0;
const uniq = (p: string) => `${p}${++seq}`;
const paths = (r: { body: { error?: { fields?: { path: string }[] } } }) =>
  (r.body.error?.fields ?? []).map((f) => f.path).sort();

/** Round scores of E00..E11 (one judge each, one criterion out of 10), schools 甲/乙/丙 in turn. */
const SCORES = [90, 85, 85, 80, 75, 70, 70, 65, 60, 55, 50, 40];
const SCHOOLS = ['甲校', '乙校', '丙校'];

/** A two-round contest (school preliminary, district final) whose first round is scored and in review. */
async function setup(status: 'judging' | 'review' = 'review') {
  const { Membership, User, Entry, Score } = t.ctx.models;
  const admin = await t.signedIn(uniq('admin'), { isAdmin: true });
  const created = await admin.post('/api/contests', {
    name: '区教师黑板字比赛',
    categories: [
      { id: 'primary', name: { zh: '小学组', en: 'Primary' } },
      { id: 'secondary', name: { zh: '中学组', en: 'Secondary' } },
    ],
    rounds: [
      { id: 'school', name: { zh: '校级初赛' } },
      { id: 'district', name: { zh: '区级决赛' } },
    ],
    settings: { aggregation: { method: 'mean', normalization: 'none', minJudges: 1 }, bootstrapSamples: 0 },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const contestId = created.body.id as string;
  const base = `/api/contests/${contestId}`;
  const orgName = uniq('org');
  const org = await t.signedIn(orgName);
  await Membership.create({
    contestId,
    userId: (await User.findOne({ username: orgName }))!._id,
    role: 'organizer',
  });
  for (const round of ['school', 'district']) {
    const r = await org.put(`${base}/rounds/${round}/rubric`, {
      criteria: [{ id: 'q', name: { zh: '书写美观' }, weight: 100, maxScore: 10, step: 0.5 }],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
  const entries = await Entry.insertMany(
    SCORES.map((_, i) => ({
      contestId,
      roundIds: ['school'],
      code: `E${String(i).padStart(2, '0')}`,
      title: `作品${i}`,
      teacherName: `教师${i}`,
      school: SCHOOLS[i % 3],
      category: i % 2 ? 'secondary' : 'primary',
      imageFileNames: [`e${i}.jpg`],
    })),
  );
  const ids = entries.map((e) => String(e._id));
  await setStatus(org, base, 'judging');
  const judgeId = new Types.ObjectId();
  await Score.insertMany(
    SCORES.map((s, i) => ({
      contestId,
      roundId: 'school',
      entryId: ids[i],
      judgeId,
      values: { q: s / 10 },
      status: 'submitted',
      submittedAt: new Date(),
      version: 2,
    })),
  );
  if (status === 'review') await setStatus(org, base, 'review');
  return { contestId, base, org, orgName, admin, ids, url: `${base}/advancement` };
}

async function setStatus(org: Client, base: string, status: string) {
  const current = await org.get(base);
  const r = await org.post(`${base}/status`, { status, version: current.body.version });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

const codes = (list: { code: string }[]) => list.map((e) => e.code);

describe('advancement to the next round', () => {
  it('previews each rule, with ties at the cut under include and exclude, and explains who stays behind', async () => {
    const s = await setup();
    const before = await snapshot(t.conn);
    const preview = (rules: unknown, lang = 'zh') =>
      s.org.post(`${s.url}?dryRun=true&lang=${lang}`, { toRound: 'district', rules });

    const top3 = await preview({ overall: { top: 3 } });
    expect(top3.status, JSON.stringify(top3.body)).toBe(200);
    expect(top3.body).toMatchObject({ dryRun: true, fromRound: 'school', toRound: 'district' });
    expect(codes(top3.body.advancing)).toEqual(['E00', 'E01', 'E02']);
    expect(top3.body.advancing[0]).toMatchObject({ title: '作品0', school: '甲校', score: 90, rank: 1 });

    // E01 and E02 tie at 85 across a cut of two.
    expect(codes((await preview({ overall: { top: 2 } })).body.advancing)).toEqual(['E00', 'E01', 'E02']);
    const excluded = await preview({ overall: { top: 2 }, tiePolicy: 'exclude' });
    expect(codes(excluded.body.advancing)).toEqual(['E00']);
    expect(excluded.body.notAdvancing.slice(0, 2)).toEqual([
      expect.objectContaining({ code: 'E01', reason: 'tieExcluded' }),
      expect.objectContaining({ code: 'E02', reason: 'tieExcluded' }),
    ]);

    const perSchool = await preview({ perSchool: { top: 1 } });
    expect(codes(perSchool.body.advancing)).toEqual(['E00', 'E01', 'E02']);
    expect(perSchool.body.groups.map((g: { group: string; limit: number }) => [g.group, g.limit])).toEqual(
      [
        ['丙校', 1],
        ['乙校', 1],
        ['甲校', 1],
      ].sort(),
    );
    const e03 = perSchool.body.notAdvancing.find((n: { code: string }) => n.code === 'E03');
    expect(e03).toMatchObject({ reason: 'outsideTop', school: '甲校' });
    expect(e03.explanation).toContain('甲校');

    const half = await preview({ perCategory: { share: 0.5 } }, 'en');
    // Six per category, half of each: primary E00 E02 E04, secondary E01 E03 E05.
    expect(codes(half.body.advancing).sort()).toEqual(['E00', 'E01', 'E02', 'E03', 'E04', 'E05']);

    const min = await preview({ minScore: 70 });
    expect(codes(min.body.advancing)).toEqual(['E00', 'E01', 'E02', 'E03', 'E04', 'E05', 'E06']);
    expect(min.body.counts).toEqual({ entries: 12, incomplete: 0, belowMinScore: 5, advancing: 7 });
    expect(min.body.notAdvancing.map((n: { reason: string }) => n.reason)).toEqual(
      Array(5).fill('belowMinScore'),
    );

    expect(await snapshot(t.conn)).toBe(before);
  });

  it('confirms exactly what was previewed, carries the entries (not their scores) into the next round and opens it', async () => {
    const s = await setup();
    const rules = { perSchool: { top: 2 }, minScore: 60 };
    const preview = await s.org.post(`${s.url}?dryRun=true`, { toRound: 'district', rules });
    const confirmed = await s.org.post(s.url, { toRound: 'district', rules });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(201);
    expect(confirmed.body.dryRun).toBe(false);
    expect(confirmed.body.advancing).toEqual(preview.body.advancing);
    expect(confirmed.body.notAdvancing).toEqual(preview.body.notAdvancing);
    expect(codes(confirmed.body.advancing)).toEqual(['E00', 'E01', 'E02', 'E03', 'E04', 'E05']);

    const { Entry, Score, Advancement, AuditEvent } = t.ctx.models;
    const entries = await Entry.find({ contestId: s.contestId }).sort({ code: 1 }).lean();
    expect(entries.filter((e) => e.roundIds.includes('district')).map((e) => e.code)).toEqual(
      codes(confirmed.body.advancing),
    );
    expect(entries.every((e) => e.roundIds.includes('school'))).toBe(true);
    expect(await Score.countDocuments({ contestId: s.contestId, roundId: 'district' })).toBe(0);

    const contest = await s.org.get(s.base);
    expect(contest.body).toMatchObject({ status: 'judging', currentRoundId: 'district' });
    // The new round's results know only the entries that went on, none scored yet; the first round's stay.
    const district = await s.org.get(`${s.base}/results`);
    expect(district.status, JSON.stringify(district.body)).toBe(200);
    expect(district.body.summary.roundId).toBe('district');
    expect(district.body.summary.counts).toMatchObject({ entries: 6, ranked: 0, incomplete: 6 });
    const school = await s.org.get(`${s.base}/results?round=school`);
    expect(school.body.summary.counts).toMatchObject({ entries: 12, ranked: 12 });

    const record = await Advancement.findOne({ contestId: s.contestId }).lean();
    expect(record).toMatchObject({
      fromRound: 'school',
      toRound: 'district',
      rules: { perSchool: { top: 2 }, minScore: 60, tiePolicy: 'include' },
    });
    expect(record!.completedAt).toBeInstanceOf(Date);
    const audit = await AuditEvent.findOne({ contestId: s.contestId, action: 'round.advance' }).lean();
    expect(audit!.after).toMatchObject({
      status: 'judging',
      currentRoundId: 'district',
      counts: { advancing: 6 },
    });

    // The record of what was confirmed: rules, counts, who went on and who confirmed it.
    const history = await s.org.get(`${s.base}/advancements`);
    expect(history.status, JSON.stringify(history.body)).toBe(200);
    expect(history.body.advancements).toHaveLength(1);
    const [done] = history.body.advancements;
    expect(done).toMatchObject({
      fromRound: 'school',
      toRound: 'district',
      rules: { perSchool: { top: 2 }, minScore: 60, tiePolicy: 'include' },
      counts: confirmed.body.counts,
      confirmedBy: { username: s.orgName },
    });
    expect(codes(done.advancing)).toEqual(codes(confirmed.body.advancing));
    expect(done.advancing[0]).toEqual({
      entryId: confirmed.body.advancing[0].entryId,
      code: 'E00',
      title: '作品0',
      teacherName: '教师0',
      school: '甲校',
      category: 'primary',
    });
    expect(Date.parse(done.completedAt)).toBeGreaterThanOrEqual(Date.parse(done.confirmedAt));
    // The list as a file, to post: one row per entry that went on, by code.
    const csv = await s.org.get(`${s.base}/advancements/${done.id}/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('advancement-school-district.csv');
    const lines = String(csv.body)
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe('作品编号,作品名称,教师姓名,学校,组别');
    expect(lines.slice(1)).toEqual(
      confirmed.body.advancing.map(
        (e: { code: string; title: string; school: string; category: string }) =>
          `${e.code},${e.title},教师${Number(e.code.slice(1))},${e.school},${e.category === 'primary' ? '小学组' : '中学组'}`,
      ),
    );
    const xlsx = await s.org.get(`${s.base}/advancements/${done.id}/export`);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(paths(await s.org.get(`${s.base}/advancements/${done.id}/export?format=pdf`))).toEqual([
      'query.format',
    ]);
    expect(paths(await s.org.get(`${s.base}/advancements/nope/export`))).toEqual(['params.advancementId']);
    expect((await s.org.get(`${s.base}/advancements/${new Types.ObjectId()}/export`)).status).toBe(404);

    // The last round has nowhere to go; the first cannot be confirmed twice.
    const again = await s.org.post(s.url, { toRound: 'district', rules });
    expect(again.status).toBe(400);
    expect(paths(again)).toEqual(['body.toRound']);
  });

  it('finishes a confirmation cut short, and refuses to finish it with other rules', async () => {
    const s = await setup();
    const rules = { overall: { top: 4 } };
    // A crash after the record was written: entries and contest not moved yet.
    const preview = await s.org.post(`${s.url}?dryRun=true`, { toRound: 'district', rules });
    await t.ctx.models.Advancement.create({
      contestId: s.contestId,
      fromRound: 'school',
      toRound: 'district',
      rules: { ...rules, tiePolicy: 'include' },
      advancingIds: preview.body.advancing.map((e: { entryId: string }) => e.entryId),
      counts: preview.body.counts,
    });
    const pending = await s.org.get(`${s.base}/advancements`);
    expect(pending.body.advancements).toEqual([
      expect.objectContaining({ completedAt: null, confirmedBy: null, counts: preview.body.counts }),
    ]);
    const other = await s.org.post(s.url, { toRound: 'district', rules: { overall: { top: 2 } } });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('advancement_pending');
    const done = await s.org.post(s.url, { toRound: 'district', rules });
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    expect(await t.ctx.models.Entry.countDocuments({ contestId: s.contestId, roundIds: 'district' })).toBe(4);
  });

  it('refuses bad requests naming the field, and confirmation before the results are settled', async () => {
    const s = await setup('judging');
    const before = await snapshot(t.conn);
    const cases: [unknown, string[]][] = [
      [{ toRound: 'school', rules: {} }, ['body.toRound']],
      [{ toRound: 'district', rules: { overall: { top: 1, share: 0.5 } } }, ['body.rules.overall']],
      [
        { toRound: 'district', rules: { overall: { top: -1 } }, extra: 1 },
        ['body', 'body.rules.overall.top'],
      ],
      [{ rules: {} }, ['body.toRound']],
    ];
    for (const [input, fields] of cases) {
      const r = await s.org.post(`${s.url}?dryRun=true`, input);
      expect(r.status, JSON.stringify(input)).toBe(400);
      expect(paths(r), JSON.stringify(input)).toEqual(fields);
    }
    expect(paths(await s.org.post(`${s.url}?dryRun=perhaps`, { toRound: 'district', rules: {} }))).toEqual([
      'query.dryRun',
    ]);
    // Preview while judging is fine; confirming needs review.
    expect((await s.org.post(`${s.url}?dryRun=true`, { toRound: 'district', rules: {} })).status).toBe(200);
    const early = await s.org.post(s.url, { toRound: 'district', rules: {} });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/review/);
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('is for organizers of the contest only', async () => {
    const s = await setup();
    const other = await setup();
    const body = { toRound: 'district', rules: {} };
    expect((await t.client().post(`${s.url}?dryRun=true`, body)).status).toBe(401);
    expect((await other.org.post(`${s.url}?dryRun=true`, body)).status).toBe(403);
    const judgeName = uniq('judge');
    const judge = await t.signedIn(judgeName);
    await t.ctx.models.Membership.create({
      contestId: s.contestId,
      userId: (await t.ctx.models.User.findOne({ username: judgeName }))!._id,
      role: 'judge',
    });
    expect((await judge.post(`${s.url}?dryRun=true`, body)).status).toBe(403);
    expect((await s.admin.post(`${s.url}?dryRun=true`, body)).status).toBe(200);
    // The record of confirmed advancements likewise.
    expect((await t.client().get(`${s.base}/advancements`)).status).toBe(401);
    expect((await other.org.get(`${s.base}/advancements`)).status).toBe(403);
    expect((await judge.get(`${s.base}/advancements`)).status).toBe(403);
    expect((await s.admin.get(`${s.base}/advancements`)).body).toEqual({ advancements: [] });
    const id = new Types.ObjectId();
    expect((await other.org.get(`${s.base}/advancements/${id}/export`)).status).toBe(403);
    expect((await judge.get(`${s.base}/advancements/${id}/export`)).status).toBe(403);
  });
});
