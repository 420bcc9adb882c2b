import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose, { Types } from 'mongoose';
import { conflictChecker } from '@pingxuan/shared';
import { snapshot, startTestApp, type Client, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

let seq = 0;
const uniq = (p: string) => `${p}${++seq}`;
const key = () => `k-${new Types.ObjectId().toHexString()}`;
const paths = (r: { body: { error?: { fields?: { path: string }[] } } }) =>
  (r.body.error?.fields ?? []).map((f) => f.path).sort();

type Judge = { id: string; name: string; client: Client; panelId: string };

/**
 * Two panels of five (primary, secondary), 12 primary and 8 secondary entries, three judges per entry.
 * Conflicts: 小王 teaches at 实验小学 (entries 0 and 1), 小李 declared entry BB-002, 中赵 excludes 第二中学.
 */
async function setup(opts: { status?: 'draft' | 'judging'; judgesPerEntry?: number } = {}) {
  const { Contest, Membership, User, Entry } = t.ctx.models;
  const orgName = uniq('org');
  const org = await t.signedIn(orgName);
  const contest = await Contest.create({
    name: '区教师黑板字比赛',
    categories: [
      { id: 'primary', name: { zh: '小学组' } },
      { id: 'secondary', name: { zh: '中学组' } },
    ],
    settings: {
      judgesPerEntry: opts.judgesPerEntry ?? 3,
      aggregation: { method: 'mean', normalization: 'none', minJudges: 1 },
      tiers: [{ id: 'first', name: { zh: '一等奖' }, quota: 5 }],
      disagreementThreshold: 15,
      bootstrapSamples: 100,
    },
    rounds: [{ id: 'main', name: { zh: '评审' } }],
    status: 'draft',
  });
  const contestId = String(contest._id);
  const base = `/api/contests/${contestId}`;
  await Membership.create({
    contestId,
    userId: (await User.findOne({ username: orgName }))!._id,
    role: 'organizer',
  });
  const rubric = await org.put(`${base}/rounds/main/rubric`, {
    criteria: [
      { id: 'layout', name: { zh: '布局合理' }, weight: 40, maxScore: 10 },
      { id: 'writing', name: { zh: '书写美观' }, weight: 60, maxScore: 10 },
    ],
  });
  expect(rubric.status, JSON.stringify(rubric.body)).toBe(201);

  const schoolOf = (i: number) => (i < 2 ? '实验小学' : i >= 12 && i < 15 ? '第二中学' : `学校${i}`);
  const entries = await Entry.insertMany(
    Array.from({ length: 20 }, (_, i) => ({
      contestId,
      roundIds: ['main'],
      code: `BB-${String(i).padStart(3, '0')}`,
      title: `作品${i}`,
      teacherName: `教师${i}`,
      school: schoolOf(i),
      category: i < 12 ? 'primary' : 'secondary',
    })),
  );
  const entryIds = entries.map((e) => String(e._id));

  const panels: string[] = [];
  for (const [name, category] of [
    ['小学组评审', 'primary'],
    ['中学组评审', 'secondary'],
  ]) {
    const r = await org.post(`${base}/panels`, { name, category });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    panels.push(r.body.id);
  }
  const judges: Judge[] = [];
  const specs = [
    { name: '小王', school: '实验小学' },
    { name: '小李', conflictEntryCodes: ['BB-002'] },
    { name: '小张' },
    { name: '小刘' },
    { name: '小陈' },
    { name: '中赵', conflictSchools: ['第二中学'] },
    { name: '中钱' },
    { name: '中孙' },
    { name: '中周' },
    { name: '中吴' },
  ];
  for (const [i, spec] of specs.entries()) {
    const username = uniq('judge');
    const client = await t.signedIn(username);
    const panelId = panels[i < 5 ? 0 : 1]!;
    const { conflictSchools, conflictEntryCodes, ...rest } = spec;
    const r = await org.post(`${base}/judges`, { ...rest, username, panelId });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    if (conflictSchools || conflictEntryCodes) {
      const c = await org.put(`${base}/judges/${r.body.id}/conflicts`, {
        conflictSchools: conflictSchools ?? [],
        conflictEntryCodes: conflictEntryCodes ?? [],
        version: r.body.version,
      });
      expect(c.status, JSON.stringify(c.body)).toBe(200);
    }
    judges.push({ id: r.body.id, name: spec.name, client, panelId });
  }
  if ((opts.status ?? 'draft') === 'judging') await setStatus(org, base, 'judging');
  return { contestId, base, org, entryIds, panels, judges };
}
type Setup = Awaited<ReturnType<typeof setup>>;

async function setStatus(org: Client, base: string, status: string) {
  const current = await org.get(base);
  const r = await org.post(`${base}/status`, { status, version: current.body.version });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

const stored = (s: Setup) =>
  t.ctx.models.Assignment.find({ contestId: s.contestId }).sort({ entryId: 1, judgeId: 1 }).lean();

/** Every rule a plan must keep: judges per entry, from the entry's panel, no conflict, loads within one per panel. */
async function expectSound(s: Setup, perEntry: Map<string, number> | number) {
  const rows = await stored(s);
  const { Entry, Judge } = t.ctx.models;
  const entries = new Map(
    (await Entry.find({ contestId: s.contestId }).lean()).map((e) => [String(e._id), e]),
  );
  const judges = new Map(
    (await Judge.find({ contestId: s.contestId }).lean()).map((j) => [String(j._id), j]),
  );
  const byEntry = new Map<string, string[]>();
  for (const a of rows) {
    const list = byEntry.get(String(a.entryId)) ?? [];
    list.push(String(a.judgeId));
    byEntry.set(String(a.entryId), list);
    const entry = entries.get(String(a.entryId))!;
    const judge = judges.get(String(a.judgeId))!;
    expect(conflictChecker(judge)(entry), `${judge.name} has a conflict with ${entry.code}`).toBe(false);
    const panelIndex = entry.category === 'primary' ? 0 : 1;
    expect(String(judge.panelId)).toBe(s.panels[panelIndex]);
  }
  for (const id of s.entryIds) {
    const want = typeof perEntry === 'number' ? perEntry : (perEntry.get(id) ?? 3);
    expect(new Set(byEntry.get(id)).size, `judges of ${entries.get(id)!.code}`).toBe(want);
    expect(byEntry.get(id)!.length).toBe(want);
  }
  return rows;
}

function loadsByPanel(s: Setup, rows: { judgeId: unknown }[], activeOnly?: Set<string>) {
  const count = new Map<string, number>();
  for (const a of rows) count.set(String(a.judgeId), (count.get(String(a.judgeId)) ?? 0) + 1);
  return s.panels.map((p) =>
    s.judges
      .filter((j) => j.panelId === p && (!activeOnly || activeOnly.has(j.id)))
      .map((j) => count.get(j.id) ?? 0),
  );
}

describe('planning the assignment', () => {
  it('gives every entry its judges from its panel, never a conflict, loads within one, and explains each choice', async () => {
    const s = await setup();
    const before = await snapshot(t.conn);
    const preview = await s.org.post(`${s.base}/assignments?dryRun=true`, { seed: 42 });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({
      dryRun: true,
      seed: 42,
      scope: 'panel',
      judgesPerEntry: 3,
      counts: { assignments: 60, kept: 0, added: 60, removed: 0 },
      problemCount: 0,
    });
    expect(await snapshot(t.conn)).toBe(before);

    const applied = await s.org.post(`${s.base}/assignments`, { seed: 42 });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    expect(applied.body.counts).toEqual(preview.body.counts);
    expect(applied.body.loads).toEqual(preview.body.loads);
    const rows = await expectSound(s, 3);
    for (const loads of loadsByPanel(s, rows))
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    expect(applied.body.spread).toEqual({
      [s.panels[0]!]: expect.any(Number),
      [s.panels[1]!]: expect.any(Number),
    });
    // 12 x 3 = 36 over five primary judges; 8 x 3 = 24 over five secondary judges.
    expect(applied.body.loads.map((l: { count: number }) => l.count).sort()).toEqual(
      [4, 5, 5, 5, 5, 7, 7, 7, 7, 8].sort(),
    );

    // Deterministic: the same seed on the same data plans the same thing again, so nothing changes.
    const again = await s.org.post(`${s.base}/assignments`, { seed: 42 });
    expect(again.body.counts).toEqual({ assignments: 60, kept: 60, added: 0, removed: 0 });
    expect((await stored(s)).map((a) => [String(a.entryId), String(a.judgeId), a.order])).toEqual(
      rows.map((a) => [String(a.entryId), String(a.judgeId), a.order]),
    );

    const wang = s.judges[0]!;
    const list = await s.org.get(`${s.base}/assignments?judgeId=${wang.id}`);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(list.body.assignments.length);
    expect(list.body.assignments.map((a: { order: number }) => a.order)).toEqual(
      [...list.body.assignments.map((a: { order: number }) => a.order)].sort((a, b) => a - b),
    );
    const first = list.body.assignments[0];
    expect(first).toMatchObject({ judgeName: '小王', kind: 'panel', calibration: false, scoreStatus: null });
    expect(first.explanation).toMatch(
      /^小学组评审：该作品可选评委 \d 人（\d 人因回避排除），分配时该评委已有 \d+ 件/,
    );
    const en = await s.org.get(`${s.base}/assignments?entryId=${s.entryIds[0]}&lang=en`);
    expect(en.body.assignments).toHaveLength(3);
    // Entry 0 is from 小王's school: four candidates, one excluded.
    expect(en.body.assignments[0].explanation).toMatch(
      /^小学组评审: 4 eligible judges for this entry \(1 excluded by conflicts of interest\)/,
    );

    const audit = await t.ctx.models.AuditEvent.find({
      contestId: s.contestId,
      action: 'assignment.plan',
    }).lean();
    expect(audit).toHaveLength(2);
    expect(audit[0]!.after).toMatchObject({ scope: 'panel', judgesPerEntry: 3, seed: 42 });
  });

  it('reports entries that cannot get enough judges instead of breaking a conflict, and works in pool scope', async () => {
    const s = await setup({ judgesPerEntry: 5 });
    const panel = await s.org.post(`${s.base}/assignments?dryRun=true`, { seed: 1 });
    expect(panel.status).toBe(200);
    // Entries 0, 1 (小王's school), BB-002 (小李) and 12..14 (中赵) have only four judges in their panel.
    expect(panel.body.problems.map((p: { code: string }) => p.code).sort()).toEqual([
      'BB-000',
      'BB-001',
      'BB-002',
      'BB-012',
      'BB-013',
      'BB-014',
    ]);
    expect(panel.body.problems[0]).toMatchObject({ kind: 'notEnoughJudges', needed: 5, got: 4 });

    const pool = await s.org.post(`${s.base}/assignments`, { seed: 1, scope: 'pool', judgesPerEntry: 5 });
    expect(pool.status, JSON.stringify(pool.body)).toBe(201);
    expect(pool.body.problemCount).toBe(0);
    expect(pool.body.spread).toEqual({ pool: expect.any(Number) });
    expect(pool.body.spread.pool).toBeLessThanOrEqual(1);
    const rows = await stored(s);
    expect(rows).toHaveLength(100);
    const { Entry, Judge } = t.ctx.models;
    const entries = new Map(
      (await Entry.find({ contestId: s.contestId }).lean()).map((e) => [String(e._id), e]),
    );
    const judges = new Map(
      (await Judge.find({ contestId: s.contestId }).lean()).map((j) => [String(j._id), j]),
    );
    for (const a of rows)
      expect(conflictChecker(judges.get(String(a.judgeId))!)(entries.get(String(a.entryId))!)).toBe(false);
  });

  it('keeps work a judge has started when planning again during judging', async () => {
    const s = await setup({ status: 'judging' });
    expect((await s.org.post(`${s.base}/assignments`, { seed: 7 })).status).toBe(201);
    const zhang = s.judges[2]!;
    const list = await zhang.client.get(`${s.base}/judging`);
    expect(list.status).toBe(200);
    const [draft, done] = list.body.items;
    const save = async (entryId: string) => {
      const r = await zhang.client.put(
        `${s.base}/judging/entries/${entryId}/score`,
        { values: { layout: 8, writing: 7 }, baseVersion: 0 },
        { 'idempotency-key': key() },
      );
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    };
    await save(draft.entryId);
    const saved = await save(done.entryId);
    const submitted = await zhang.client.post(
      `${s.base}/judging/entries/${done.entryId}/submit`,
      { baseVersion: saved.version },
      { 'idempotency-key': key() },
    );
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);

    const replanned = await s.org.post(`${s.base}/assignments`, { seed: 8 });
    expect(replanned.status).toBe(201);
    expect(replanned.body.counts.kept).toBeGreaterThanOrEqual(2);
    const rows = await expectSound(s, 3);
    const has = (entryId: string) =>
      rows.some((a) => String(a.entryId) === entryId && String(a.judgeId) === zhang.id);
    expect(has(draft.entryId)).toBe(true);
    expect(has(done.entryId)).toBe(true);
    const kept = rows.find((a) => String(a.entryId) === done.entryId && String(a.judgeId) === zhang.id)!;
    expect(kept.reason).toBe('kept');
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    const s = await setup();
    const before = await snapshot(t.conn);
    const cases: [unknown, string[]][] = [
      [{ scope: 'everyone' }, ['body.scope']],
      [{ judgesPerEntry: 0 }, ['body.judgesPerEntry']],
      [{ seed: -1, calibrationEntries: 99 }, ['body.calibrationEntries', 'body.seed']],
      [{ round: 'nope' }, ['body.round']],
      [{ extra: true }, ['body']],
    ];
    for (const [input, fields] of cases) {
      const r = await s.org.post(`${s.base}/assignments`, input);
      expect(r.status, JSON.stringify(input)).toBe(400);
      expect(paths(r), JSON.stringify(input)).toEqual(fields);
    }
    const q = await s.org.post(`${s.base}/assignments?dryRun=maybe`, {});
    expect(q.status).toBe(400);
    expect(paths(q)).toEqual(['query.dryRun']);
    const extra = await s.org.post(`${s.base}/assignments/extra`, { budget: -1, flags: ['late'] });
    expect(paths(extra)).toEqual(['body.budget', 'body.flags.0']);
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('is refused once judging is over', async () => {
    const s = await setup({ status: 'judging' });
    await setStatus(s.org, s.base, 'review');
    const r = await s.org.post(`${s.base}/assignments`, {});
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/draft or judging/);
    expect((await s.org.post(`${s.base}/judges/${s.judges[0]!.id}/replace`, {})).status).toBe(409);
  });

  it('is for organizers of the contest only', async () => {
    const s = await setup();
    const other = await setup();
    const routes: [string, string, unknown?][] = [
      ['POST', `${s.base}/assignments`, {}],
      ['GET', `${s.base}/assignments`],
      ['POST', `${s.base}/assignments/extra`, { budget: 1 }],
      ['GET', `${s.base}/assignments/calibration`],
      ['POST', `${s.base}/assignments/calibration/release`, {}],
      ['POST', `${s.base}/judges/${s.judges[0]!.id}/replace`, {}],
    ];
    for (const [method, url, payload] of routes) {
      expect((await t.client().request(method, url, payload)).status, `${method} ${url}`).toBe(401);
      expect((await s.judges[0]!.client.request(method, url, payload)).status, `${method} ${url}`).toBe(403);
      expect((await other.org.request(method, url, payload)).status, `${method} ${url}`).toBe(403);
    }
  });
});

describe('calibration', () => {
  it('opens only the calibration works until released, and shows each judge against the panel', async () => {
    const s = await setup({ status: 'judging' });
    const r = await s.org.post(`${s.base}/assignments`, { seed: 3, calibrationEntries: 1 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    // One per panel: the first primary and the first secondary work by code.
    const codes = await t.ctx.models.Entry.find({
      contestId: s.contestId,
      _id: mongoose.trusted({ $in: r.body.calibrationEntryIds }),
    }).lean();
    expect(codes.map((e) => e.code).sort()).toEqual(['BB-000', 'BB-012']);
    // Calibration works go to every judge of the panel without a conflict (小王 is from BB-000's school, 中赵 excludes BB-012's).
    const perEntry = new Map(r.body.calibrationEntryIds.map((id: string) => [id, 4]));
    await expectSound(s, perEntry as Map<string, number>);

    const zhang = s.judges[2]!;
    const list = await zhang.client.get(`${s.base}/judging`);
    expect(list.body.items.map((i: { code: string }) => i.code)).toEqual(['BB-000']);
    expect(list.body.calibration.pending).toBe(true);
    expect(list.body.calibration.waiting).toBeGreaterThan(0);
    const others = await t.ctx.models.Assignment.find({
      contestId: s.contestId,
      judgeId: zhang.id,
      calibration: false,
    }).lean();
    const hidden = String(others[0]!.entryId);
    expect((await zhang.client.get(`${s.base}/judging/entries/${hidden}`)).status).toBe(404);
    expect(
      (
        await zhang.client.put(
          `${s.base}/judging/entries/${hidden}/score`,
          { values: { layout: 5 }, baseVersion: 0 },
          { 'idempotency-key': key() },
        )
      ).status,
    ).toBe(404);

    // The four eligible primary judges score BB-000: 小张 is 30 points above the others.
    const cal = codes.find((e) => e.code === 'BB-000')!;
    const primary = s.judges.slice(1, 5);
    const marks = [5, 8, 5, 5];
    for (const [i, j] of primary.entries()) {
      const saved = await j.client.put(
        `${s.base}/judging/entries/${cal._id}/score`,
        { values: { layout: marks[i], writing: marks[i] }, baseVersion: 0 },
        { 'idempotency-key': key() },
      );
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      expect(
        (
          await j.client.post(
            `${s.base}/judging/entries/${cal._id}/submit`,
            { baseVersion: saved.body.version },
            { 'idempotency-key': key() },
          )
        ).status,
      ).toBe(200);
    }
    const report = await s.org.get(`${s.base}/assignments/calibration`);
    expect(report.status).toBe(200);
    expect(report.body.released).toBe(false);
    const row = report.body.entries.find((e: { code: string }) => e.code === 'BB-000');
    expect(row.judges).toHaveLength(4);
    const byName = Object.fromEntries(report.body.judges.map((j: { name: string }) => [j.name, j]));
    expect(byName['小张'].meanDeviation).toBeCloseTo(30, 9);
    expect(byName['小李'].meanDeviation).toBeCloseTo(-10, 9);
    expect(byName['小李'].meanAbsDeviation).toBeCloseTo(10, 9);
    expect(byName['中钱']).toMatchObject({ scored: 0, meanDeviation: null });

    const released = await s.org.post(`${s.base}/assignments/calibration/release`, {});
    expect(released.status).toBe(200);
    const open = await zhang.client.get(`${s.base}/judging`);
    expect(open.body.items.length).toBe(others.length + 1);
    expect(open.body.calibration).toBeUndefined();
    expect((await zhang.client.get(`${s.base}/judging/entries/${hidden}`)).status).toBe(200);
    expect((await s.org.post(`${s.base}/assignments/calibration/release`, {})).status).toBe(409);
    expect(
      await t.ctx.models.AuditEvent.countDocuments({
        contestId: s.contestId,
        action: 'assignment.releaseCalibration',
      }),
    ).toBe(1);
  });
});

describe('a judge drops out', () => {
  it('keeps the finished scores, hands the rest to the panel without conflicts, and deactivates the judge', async () => {
    const s = await setup({ status: 'judging' });
    expect((await s.org.post(`${s.base}/assignments`, { seed: 11 })).status).toBe(201);
    const liu = s.judges[3]!;
    const list = await liu.client.get(`${s.base}/judging`);
    const finished = list.body.items[0].entryId;
    const saved = await liu.client.put(
      `${s.base}/judging/entries/${finished}/score`,
      { values: { layout: 6, writing: 6 }, baseVersion: 0 },
      { 'idempotency-key': key() },
    );
    expect(
      (
        await liu.client.post(
          `${s.base}/judging/entries/${finished}/submit`,
          { baseVersion: saved.body.version },
          { 'idempotency-key': key() },
        )
      ).status,
    ).toBe(200);
    const before = list.body.items.length;

    const before2 = await snapshot(t.conn);
    const preview = await s.org.post(`${s.base}/judges/${liu.id}/replace?dryRun=true`, { seed: 5 });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.counts).toMatchObject({ removed: before - 1, added: before - 1 });
    expect(await snapshot(t.conn)).toBe(before2);

    const r = await s.org.post(`${s.base}/judges/${liu.id}/replace`, { seed: 5 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.problemCount).toBe(0);
    const rows = await expectSound(s, 3);
    const liuRows = rows.filter((a) => String(a.judgeId) === liu.id);
    expect(liuRows.map((a) => String(a.entryId))).toEqual([finished]);
    const active = new Set(s.judges.filter((j) => j !== liu).map((j) => j.id));
    const [primaryLoads] = loadsByPanel(s, rows, active);
    expect(Math.max(...primaryLoads!) - Math.min(...primaryLoads!)).toBeLessThanOrEqual(1);
    expect((await t.ctx.models.Judge.findById(liu.id).lean())!.active).toBe(false);
    expect(r.body.loads.some((l: { judgeId: string }) => l.judgeId === liu.id)).toBe(false);
    const audit = await t.ctx.models.AuditEvent.findOne({
      contestId: s.contestId,
      action: 'assignment.replaceJudge',
    }).lean();
    expect(audit!.target).toMatchObject({ type: 'judge', id: liu.id });

    // A later plan leaves the inactive judge out but keeps the finished score.
    const replanned = await s.org.post(`${s.base}/assignments`, { seed: 12 });
    expect(replanned.status).toBe(201);
    const after = await stored(s);
    expect(after.filter((a) => String(a.judgeId) === liu.id).map((a) => String(a.entryId))).toEqual([
      finished,
    ]);
    expect(
      (await s.org.post(`${s.base}/judges/${new Types.ObjectId().toHexString()}/replace`, {})).status,
    ).toBe(404);
  });
});

describe('extra judges for uncertain entries', () => {
  it('adds judges to the entries the judges disagree on, most uncertain first, within the budget', async () => {
    const s = await setup({ status: 'judging' });
    expect((await s.org.post(`${s.base}/assignments`, { seed: 21 })).status).toBe(201);
    const rows = await stored(s);
    // Everyone scores everything: 8/8, except on BB-005 and BB-013 where one judge gives far lower marks
    // (BB-013 lower still, so it is the first to get an extra judge).
    const code = new Map(
      (await t.ctx.models.Entry.find({ contestId: s.contestId }).lean()).map((e) => [String(e._id), e.code]),
    );
    const lowFor = new Map<string, number>([
      ['BB-005', 4],
      ['BB-013', 1],
    ]);
    const lowGiven = new Set<string>();
    for (const a of rows) {
      const judge = s.judges.find((j) => j.id === String(a.judgeId))!;
      const c = code.get(String(a.entryId))!;
      let mark = 8;
      if (lowFor.has(c) && !lowGiven.has(c)) {
        mark = lowFor.get(c)!;
        lowGiven.add(c);
      }
      const saved = await judge.client.put(
        `${s.base}/judging/entries/${a.entryId}/score`,
        { values: { layout: mark, writing: mark }, baseVersion: 0 },
        { 'idempotency-key': key() },
      );
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      expect(
        (
          await judge.client.post(
            `${s.base}/judging/entries/${a.entryId}/submit`,
            { baseVersion: saved.body.version },
            { 'idempotency-key': key() },
          )
        ).status,
      ).toBe(200);
    }

    const preview = await s.org.post(`${s.base}/assignments/extra?dryRun=true`, {
      flags: ['disagreement'],
      budget: 1,
    });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ flagged: 2, budgetLeft: 0, counts: { added: 1 } });
    expect(preview.body.skipped).toEqual([
      expect.objectContaining({ code: 'BB-005', reason: 'budget', wanted: 1, got: 0 }),
    ]);
    expect(await t.ctx.models.Assignment.countDocuments({ contestId: s.contestId })).toBe(60);

    const r = await s.org.post(`${s.base}/assignments/extra`, { flags: ['disagreement'], budget: 2 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.counts.added).toBe(2);
    const extra = await t.ctx.models.Assignment.find({ contestId: s.contestId, reason: 'extra' }).lean();
    expect(extra.map((a) => code.get(String(a.entryId))).sort()).toEqual(['BB-005', 'BB-013']);
    const after = await expectSound(s, new Map(extra.map((a) => [String(a.entryId), 4])));
    expect(after).toHaveLength(62);
    // The new judge sees the work and can score it; results count it once submitted.
    const newJudge = s.judges.find((j) => j.id === String(extra[0]!.judgeId))!;
    const list = await newJudge.client.get(`${s.base}/judging`);
    expect(
      list.body.items.some(
        (i: { entryId: string; score: unknown }) =>
          i.entryId === String(extra[0]!.entryId) && i.score === null,
      ),
    ).toBe(true);
    const saved = await newJudge.client.put(
      `${s.base}/judging/entries/${extra[0]!.entryId}/score`,
      { values: { layout: 8, writing: 8 }, baseVersion: 0 },
      { 'idempotency-key': key() },
    );
    expect(
      (
        await newJudge.client.post(
          `${s.base}/judging/entries/${extra[0]!.entryId}/submit`,
          { baseVersion: saved.body.version },
          { 'idempotency-key': key() },
        )
      ).status,
    ).toBe(200);
    const results = await s.org.get(`${s.base}/results?limit=100`);
    const entry = results.body.entries.find(
      (e: { entryId: string }) => e.entryId === String(extra[0]!.entryId),
    );
    expect(entry.judgeCount).toBe(4);
    expect(
      await t.ctx.models.AuditEvent.countDocuments({ contestId: s.contestId, action: 'assignment.extra' }),
    ).toBe(1);
  });
});
