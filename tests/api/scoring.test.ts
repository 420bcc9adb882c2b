import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Types } from 'mongoose';
import {
  ContestSettingsSchema,
  JudgeScoreSchema,
  JudgingEntrySchema,
  JudgingListSchema,
  ScoreListSchema,
  ScoreSchema,
} from '@pingxuan/shared';
import { startTestApp, snapshot, type Client, type Reply, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());
afterEach(() => vi.restoreAllMocks());

let seq = 0;
const uniq = (p: string) => `${p}${++seq}`;
const key = () => `k-${new Types.ObjectId().toHexString()}`;
const paths = (r: Reply) => (r.body.error?.fields ?? []).map((f: { path: string }) => f.path).sort();
const withKey = (k: string) => ({ 'idempotency-key': k });

const RUBRIC = [
  { id: 'layout', name: { zh: '布局' }, weight: 40, maxScore: 10, step: 0.5 },
  { id: 'strokes', name: { zh: '笔画' }, weight: 60, maxScore: 20, step: 1 },
];

type Judge = { id: string; username: string; client: Client };
type Setup = Awaited<ReturnType<typeof setup>>;

/**
 * A contest in judging: organizer, rubric (frozen by the status change), entries with teachers and schools,
 * judges created through the judges API, and assignments made directly (their service is written elsewhere).
 */
async function setup(
  opts: {
    entries?: number;
    judges?: number;
    assign?: (entry: number, judge: number) => boolean;
    status?: 'draft' | 'judging';
  } = {},
) {
  const { Contest, Membership, User, Entry, Assignment } = t.ctx.models;
  const contest = await Contest.create({
    name: '区教师黑板字比赛',
    settings: ContestSettingsSchema.parse({}),
    rounds: [{ id: 'main', name: { zh: '评审' } }],
    status: 'draft',
  });
  const contestId = String(contest._id);
  const base = `/api/contests/${contestId}`;
  const orgName = uniq('org');
  const org = await t.signedIn(orgName);
  await Membership.create({
    contestId,
    userId: (await User.findOne({ username: orgName }))!._id,
    role: 'organizer',
  });
  expect((await org.put(`${base}/rounds/main/rubric`, { criteria: RUBRIC })).status).toBe(201);

  const entries = await Entry.insertMany(
    Array.from({ length: opts.entries ?? 3 }, (_, i) => ({
      contestId,
      roundIds: ['main'],
      code: `BB-${String(i + 1).padStart(3, '0')}`,
      title: `板书作品 ${i + 1}`,
      teacherName: `张秘密${i}`,
      school: `实验秘密学校${i}`,
      category: 'primary',
      subject: 'math',
      imageFileNames: [`zhang-secret-${i}.jpg`],
      photos: [
        {
          fileId: new Types.ObjectId(),
          largeId: new Types.ObjectId(),
          thumbId: new Types.ObjectId(),
          fileName: `张秘密${i}-板书.jpg`,
          contentType: 'image/jpeg',
          width: 1600,
          height: 1200,
          size: 123456,
        },
      ],
    })),
  );
  const entryIds = entries.map((e) => String(e._id));

  const judges: Judge[] = [];
  for (let j = 0; j < (opts.judges ?? 2); j++) {
    const username = uniq('judge');
    const client = await t.signedIn(username);
    const r = await org.post(`${base}/judges`, { name: `评委${j + 1}`, username });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    judges.push({ id: r.body.id, username, client });
  }
  const assign = opts.assign ?? (() => true);
  const rows = [];
  for (let j = 0; j < judges.length; j++)
    for (let e = entryIds.length - 1; e >= 0; e--)
      // reversed, so order (not insertion) must decide the list
      if (assign(e, j))
        rows.push({
          contestId,
          roundId: 'main',
          entryId: entryIds[e],
          judgeId: judges[j]!.id,
          order: e + 1,
          reason: 'panel',
        });
  await Assignment.create(rows);

  if ((opts.status ?? 'judging') === 'judging') await setStatus(org, base, 'judging');
  const scoreUrl = (entryId: string) => `${base}/judging/entries/${entryId}/score`;
  const submitUrl = (entryId: string) => `${base}/judging/entries/${entryId}/submit`;
  return { contestId, base, org, entryIds, judges, judge: judges[0]!, scoreUrl, submitUrl };
}

async function setStatus(org: Client, base: string, status: string) {
  const current = await org.get(base);
  const r = await org.post(`${base}/status`, { status, version: current.body.version });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

const scoreDocs = (s: Setup) => t.ctx.models.Score.find({ contestId: s.contestId }).lean();
const audits = (contestId: string, action?: string) =>
  t.ctx.models.AuditEvent.find({ contestId, ...(action ? { action } : { action: /^score\./ }) })
    .sort({ seq: 1 })
    .lean();

/** Saves a draft for the first judge and expects it stored. */
async function save(
  s: Setup,
  entryId: string,
  values: Record<string, number>,
  baseVersion: number,
  extra: Record<string, unknown> = {},
  judge = s.judge,
) {
  const r = await judge.client.put(s.scoreUrl(entryId), { values, baseVersion, ...extra }, withKey(key()));
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

describe('who may call the scoring routes', () => {
  it('answers 401 without a session and 403 to teachers, outsiders, other contests, organizers on judge routes and judges on organizer routes', async () => {
    const s = await setup();
    const other = await setup({ judges: 1 });
    const [entryId] = s.entryIds;
    await save(s, entryId!, { layout: 8 }, 0);
    const scoreId = String((await scoreDocs(s))[0]!._id);

    const teacherName = uniq('teacher');
    const teacher = await t.signedIn(teacherName);
    const teacherUser = await t.ctx.models.User.findOne({ username: teacherName });
    await t.ctx.models.Membership.create({
      contestId: s.contestId,
      userId: teacherUser!._id,
      role: 'teacher',
    });
    const outsider = await t.signedIn(uniq('outsider'));

    const judgeRoutes: [string, string, unknown?][] = [
      ['GET', `${s.base}/judging`],
      ['GET', `${s.base}/judging/entries/${entryId}`],
      ['PUT', s.scoreUrl(entryId!), { values: { layout: 5 }, baseVersion: 0 }],
      ['POST', s.submitUrl(entryId!), { baseVersion: 0 }],
    ];
    const organizerRoutes: [string, string, unknown?][] = [
      ['POST', `${s.base}/scores/${scoreId}/reopen`, { reason: '复核', version: 2 }],
      ['GET', `${s.base}/scores`],
    ];
    const before = await snapshot(t.conn);
    const auditsBefore = (await audits(s.contestId)).length;
    for (const [method, path, body] of [...judgeRoutes, ...organizerRoutes]) {
      const anon = await t.client().request(method, path, body, withKey(key()));
      expect(anon.status, `${method} ${path} anonymous`).toBe(401);
      for (const [who, c] of [
        ['teacher', teacher],
        ['outsider', outsider],
        ['organizer of another contest', other.org],
        ['judge of another contest', other.judge.client],
      ] as [string, Client][]) {
        const r = await c.request(method, path, body, withKey(key()));
        expect(r.status, `${method} ${path} as ${who}`).toBe(403);
      }
    }
    for (const [method, path, body] of judgeRoutes) {
      const r = await s.org.request(method, path, body, withKey(key()));
      expect(r.status, `${method} ${path} as the contest's organizer`).toBe(403);
    }
    for (const [method, path, body] of organizerRoutes) {
      const r = await s.judge.client.request(method, path, body, withKey(key()));
      expect(r.status, `${method} ${path} as a judge`).toBe(403);
    }
    expect(await snapshot(t.conn)).toBe(before);
    expect((await audits(s.contestId)).length).toBe(auditsBefore);
  });

  it('shuts a deactivated judge out at once, even with a judge membership left behind', async () => {
    const s = await setup();
    const second = s.judges[1]!;
    const version = (await s.org.get(`${s.base}/judges/${second.id}`)).body.version;
    expect((await s.org.patch(`${s.base}/judges/${second.id}`, { version, active: false })).status).toBe(200);
    expect((await second.client.get(`${s.base}/judging`)).status).toBe(403);
    // A stray membership (e.g. restored by hand) does not make a judge: the Judge must be active.
    const user = await t.ctx.models.User.findOne({ username: second.username });
    await t.ctx.models.Membership.create({ contestId: s.contestId, userId: user!._id, role: 'judge' });
    expect((await second.client.get(`${s.base}/judging`)).status).toBe(403);
    const r = await second.client.put(
      s.scoreUrl(s.entryIds[0]!),
      { values: { layout: 1 }, baseVersion: 0 },
      withKey(key()),
    );
    expect(r.status).toBe(403);
    expect(await scoreDocs(s)).toHaveLength(0);
  });

  it('answers 400 naming params for malformed ids', async () => {
    const s = await setup({ judges: 1 });
    const r = await s.judge.client.get(`${s.base}/judging/entries/nope`);
    expect(r.status).toBe(400);
    expect(paths(r)).toEqual(['params.entryId']);
    const reopen = await s.org.post(`${s.base}/scores/nope/reopen`, { reason: 'x', version: 1 });
    expect(reopen.status).toBe(400);
    expect(paths(reopen)).toEqual(['params.scoreId']);
  });
});

describe('the blind work list', () => {
  it("lists the judge's entries in assignment order with no teacher, school or file names, and no other judge's scores", async () => {
    const s = await setup({ entries: 4, assign: (e, j) => j === 1 || e !== 3 });
    const [e1, e2, e3, e4] = s.entryIds;
    await save(s, e2!, { layout: 7.5 }, 0, { comment: '结构清楚' });
    await save(s, e1!, { layout: 9 }, 0, {}, s.judges[1]); // the other judge's score
    await t.ctx.models.Entry.updateOne(
      { _id: e3 },
      { $set: { status: 'withdrawn', withdrawnReason: '重复报名' } },
    );

    const r = await s.judge.client.get(`${s.base}/judging`);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const list = workList(r.body);
    expect(list.contest).toEqual({ id: s.contestId, name: '区教师黑板字比赛', status: 'judging' });
    expect(list.roundId).toBe('main');
    expect(list.rubric.criteria.map((c) => c.id)).toEqual(['layout', 'strokes']);
    expect(list.items.map((i) => i.entryId)).toEqual([e1, e2]); // e3 withdrawn, e4 not assigned to this judge
    expect(list.items[0]).toEqual({
      entryId: e1,
      code: 'BB-001',
      title: '板书作品 1',
      category: 'primary',
      subject: 'math',
      photos: [{ id: expect.stringMatching(/^[0-9a-f]{24}$/), width: 1600, height: 1200 }],
      score: null,
    });
    expect(list.items[1]!.score).toMatchObject({
      values: { layout: 7.5 },
      comment: '结构清楚',
      status: 'draft',
      version: 1,
    });
    expect(list.progress).toEqual({ assigned: 2, submitted: 0, drafts: 1 });
    const text = JSON.stringify(r.body);
    for (const secret of [
      '张秘密',
      '实验秘密学校',
      'zhang-secret',
      'teacherName',
      'school',
      'imageFileNames',
      'fileName',
      'appliedKeys',
      s.judges[1]!.id,
    ])
      expect(text, secret).not.toContain(secret);
    expect(e4).toBeDefined();

    const one = await s.judge.client.get(`${s.base}/judging/entries/${e2}`);
    expect(one.status).toBe(200);
    const entry = JudgingEntrySchema.parse(one.body);
    expect(entry).toMatchObject({
      entryId: e2,
      code: 'BB-002',
      roundId: 'main',
      score: { values: { layout: 7.5 }, version: 1 },
    });
    expect(entry.rubric.criteria).toHaveLength(2);
    for (const secret of ['张秘密', '实验秘密学校', 'zhang-secret', 'school', 'fileName', 'appliedKeys'])
      expect(JSON.stringify(one.body)).not.toContain(secret);
  });

  it('answers 404 for entries the judge is not assigned to, withdrawn, conflicting, unknown or in another contest, and changes nothing', async () => {
    const s = await setup({ entries: 3, assign: (e) => e !== 0 });
    const other = await setup({ judges: 1 });
    const [unassigned, withdrawn, conflicting] = s.entryIds;
    await t.ctx.models.Entry.updateOne({ _id: withdrawn }, { $set: { status: 'withdrawn' } });
    // A conflict declared after assignment hides the entry from the judge too.
    await t.ctx.models.Judge.updateOne({ _id: s.judge.id }, { $set: { conflictEntryCodes: ['bb-003'] } });
    const before = await snapshot(t.conn);
    for (const id of [
      unassigned,
      withdrawn,
      conflicting,
      new Types.ObjectId().toHexString(),
      other.entryIds[0],
    ]) {
      expect((await s.judge.client.get(`${s.base}/judging/entries/${id}`)).status, `GET ${id}`).toBe(404);
      const put = await s.judge.client.put(
        s.scoreUrl(id!),
        { values: { layout: 5 }, baseVersion: 0 },
        withKey(key()),
      );
      expect(put.status, `PUT ${id}`).toBe(404);
      expect(put.body.error.code).toBe('not_found');
      expect(
        (await s.judge.client.post(s.submitUrl(id!), { baseVersion: 0 }, withKey(key()))).status,
        `submit ${id}`,
      ).toBe(404);
    }
    expect(await snapshot(t.conn)).toBe(before);
    expect((await s.judge.client.get(`${s.base}/judging`)).body.items).toEqual([]);
  });
});

describe('saving drafts', () => {
  it('saves partial drafts, replaces values, keeps a comment left out, and audits each change as the judge', async () => {
    const s = await setup();
    const entryId = s.entryIds[0]!;
    const first = await s.judge.client.put(
      s.scoreUrl(entryId),
      { values: { strokes: 12, layout: 6.5 }, comment: '笔画有力', baseVersion: 0 },
      withKey(key()),
    );
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotency-replayed')).toBeNull();
    const score = JudgeScoreSchema.parse(first.body);
    expect(score).toMatchObject({
      values: { layout: 6.5, strokes: 12 },
      comment: '笔画有力',
      status: 'draft',
      version: 1,
    });
    expect(Object.keys(score.values)).toEqual(['layout', 'strokes']); // rubric order
    expect(Object.keys(first.body).sort()).toEqual(['comment', 'status', 'updatedAt', 'values', 'version']);

    const second = await save(s, entryId, { layout: 7 }, 1);
    expect(second).toMatchObject({ values: { layout: 7 }, comment: '笔画有力', version: 2 });
    const third = await save(s, entryId, {}, 2, { comment: '' });
    expect(third).toMatchObject({ values: {}, comment: '', version: 3 });

    const docs = await scoreDocs(s);
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ values: {}, comment: '', status: 'draft', version: 3, roundId: 'main' });
    expect(String(docs[0]!.judgeId)).toBe(s.judge.id);

    const events = await audits(s.contestId, 'score.save');
    expect(events).toHaveLength(3);
    expect(events[0]!.actor).toMatchObject({ username: s.judge.username });
    expect(events[0]!.before).toBeNull();
    expect(events[1]!.before).toMatchObject({ values: { layout: 6.5, strokes: 12 }, version: 1 });
    expect(events[1]!.after).toMatchObject({
      values: { layout: 7 },
      version: 2,
      entryId,
      judgeId: s.judge.id,
    });
    expect((await t.ctx.audit.verify()).ok).toBe(true);
  });

  it('refuses values the rubric does not allow with 400 naming body.values.<criterion>, changing nothing', async () => {
    const s = await setup();
    const entryId = s.entryIds[0]!;
    await save(s, entryId, { layout: 5 }, 0);
    const before = await snapshot(t.conn);
    const auditsBefore = (await audits(s.contestId)).length;
    const cases: [Record<string, unknown>, string[]][] = [
      [{ layout: 10.5 }, ['body.values.layout']], // over max
      [{ layout: 3.25 }, ['body.values.layout']], // off the 0.5 step
      [{ strokes: 7.5 }, ['body.values.strokes']], // off the step of 1
      [{ strokes: -1 }, ['body.values.strokes']],
      [{ x: 1 }, ['body.values.x']], // unknown criterion
      [{ layout: 5, x: 1, strokes: 21 }, ['body.values.strokes', 'body.values.x']],
      [{ layout: '5' }, ['body.values.layout']],
      [{ layout: null }, ['body.values.layout']],
    ];
    for (const [values, expected] of cases) {
      const r = await s.judge.client.put(s.scoreUrl(entryId), { values, baseVersion: 1 }, withKey(key()));
      expect(r.status, JSON.stringify(values)).toBe(400);
      expect(paths(r), JSON.stringify(values)).toEqual(expected);
    }
    const badBodies: [unknown, string[]][] = [
      [{ values: { layout: 1 } }, ['body.baseVersion']],
      [{ values: { layout: 1 }, baseVersion: -1 }, ['body.baseVersion']],
      [{ values: { layout: 1 }, baseVersion: 1, comment: 'x'.repeat(2001) }, ['body.comment']],
      [{ values: { layout: 1 }, baseVersion: 1, status: 'submitted' }, ['body']],
      [{ baseVersion: 1 }, ['body.values']],
    ];
    for (const [b, expected] of badBodies) {
      const r = await s.judge.client.put(s.scoreUrl(entryId), b, withKey(key()));
      expect(r.status, JSON.stringify(b)).toBe(400);
      expect(paths(r), JSON.stringify(b)).toEqual(expected);
    }
    expect(await snapshot(t.conn)).toBe(before);
    expect((await audits(s.contestId)).length).toBe(auditsBefore);
  });

  it('answers a stale baseVersion with 409 and the current score as the judge sees it', async () => {
    const s = await setup();
    const entryId = s.entryIds[0]!;
    await save(s, entryId, { layout: 5 }, 0, { comment: '初评' });
    await save(s, entryId, { layout: 6 }, 1);
    const before = await snapshot(t.conn);
    for (const baseVersion of [0, 1, 5]) {
      const r = await s.judge.client.put(
        s.scoreUrl(entryId),
        { values: { layout: 9 }, baseVersion },
        withKey(key()),
      );
      expect(r.status).toBe(409);
      expect(r.body.error.current).toEqual({
        values: { layout: 6 },
        comment: '初评',
        status: 'draft',
        version: 2,
        updatedAt: expect.any(String),
      });
      expect(JSON.stringify(r.body)).not.toContain('appliedKeys');
    }
    // No score yet but a version sent: nothing to be based on.
    const fresh = await s.judge.client.put(
      s.scoreUrl(s.entryIds[1]!),
      { values: { layout: 9 }, baseVersion: 3 },
      withKey(key()),
    );
    expect(fresh.status).toBe(409);
    expect(fresh.body.error.current).toBeNull();
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('refuses writes with 409 while the contest is not judging (draft, review), changing nothing', async () => {
    const s = await setup({ status: 'draft' });
    const entryId = s.entryIds[0]!;
    const before = await snapshot(t.conn);
    const put = await s.judge.client.put(
      s.scoreUrl(entryId),
      { values: { layout: 5 }, baseVersion: 0 },
      withKey(key()),
    );
    expect(put.status).toBe(409);
    expect(put.body.error).toMatchObject({ code: 'contest_not_judging', contestStatus: 'draft' });
    expect(
      (await s.judge.client.post(s.submitUrl(entryId), { baseVersion: 0 }, withKey(key()))).body.error.code,
    ).toBe('contest_not_judging');
    expect(await snapshot(t.conn)).toBe(before);
    // Reading is fine before judging starts.
    expect((await s.judge.client.get(`${s.base}/judging`)).body.items).toHaveLength(3);

    await setStatus(s.org, s.base, 'judging');
    await save(s, entryId, { layout: 5 }, 0);
    await setStatus(s.org, s.base, 'review');
    const inReview = await snapshot(t.conn);
    const late = await s.judge.client.put(
      s.scoreUrl(entryId),
      { values: { layout: 6 }, baseVersion: 1 },
      withKey(key()),
    );
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('contest_not_judging');
    expect(await snapshot(t.conn)).toBe(inReview);
  });
});

describe('idempotency keys', () => {
  it('requires a well-formed Idempotency-Key (400 naming headers.idempotency-key) and changes nothing', async () => {
    const s = await setup();
    const entryId = s.entryIds[0]!;
    const before = await snapshot(t.conn);
    for (const headers of [
      {},
      withKey('short'),
      withKey('has space in it'),
      withKey('dots.are.not.ok'),
      withKey('x'.repeat(129)),
    ]) {
      const r = await s.judge.client.put(
        s.scoreUrl(entryId),
        { values: { layout: 5 }, baseVersion: 0 },
        headers,
      );
      expect(r.status, JSON.stringify(headers)).toBe(400);
      expect(paths(r)).toEqual(['headers.idempotency-key']);
      const sub = await s.judge.client.post(s.submitUrl(entryId), { baseVersion: 0 }, headers);
      expect(sub.status).toBe(400);
      expect(paths(sub)).toEqual(['headers.idempotency-key']);
    }
    // Header and body problems are named together.
    const both = await s.judge.client.put(s.scoreUrl(entryId), { values: { layout: 5 } }, {});
    expect(paths(both)).toEqual(['body.baseVersion', 'headers.idempotency-key']);
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('applies a retried PUT once and answers it the same, even after other writes', async () => {
    const s = await setup();
    const entryId = s.entryIds[0]!;
    const k1 = key();
    const body1 = { values: { layout: 5 }, comment: '第一次', baseVersion: 0 };
    const first = await s.judge.client.put(s.scoreUrl(entryId), body1, withKey(k1));
    expect(first.status).toBe(200);
    const retry = await s.judge.client.put(s.scoreUrl(entryId), body1, withKey(k1));
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect((await scoreDocs(s))[0]!.version).toBe(1);

    // Another write in between, then the late retry of the first: still the first answer, nothing applied.
    const second = await save(s, entryId, { layout: 8 }, 1);
    expect(second.version).toBe(2);
    const late = await s.judge.client.put(s.scoreUrl(entryId), body1, withKey(k1));
    expect(late.status).toBe(200);
    expect(late.body).toEqual(first.body);
    const doc = (await scoreDocs(s))[0]!;
    expect(doc).toMatchObject({ values: { layout: 8 }, version: 2 });
    expect(await audits(s.contestId, 'score.save')).toHaveLength(2);
    // Key order in the JSON does not make it another request.
    const reordered = await s.judge.client.put(
      s.scoreUrl(entryId),
      { baseVersion: 0, comment: '第一次', values: { layout: 5 } },
      withKey(k1),
    );
    expect(reordered.status).toBe(200);
    expect(reordered.body).toEqual(first.body);
  });

  it('answers 422 naming headers.idempotency-key when a key comes back with another request', async () => {
    const s = await setup();
    const [e1, e2] = s.entryIds;
    const k = key();
    expect(
      (await s.judge.client.put(s.scoreUrl(e1!), { values: { layout: 5 }, baseVersion: 0 }, withKey(k)))
        .status,
    ).toBe(200);
    const before = await snapshot(t.conn);
    const attempts: [string, string, unknown][] = [
      ['PUT', s.scoreUrl(e1!), { values: { layout: 6 }, baseVersion: 0 }], // other values
      ['PUT', s.scoreUrl(e1!), { values: { layout: 5 }, baseVersion: 0, comment: 'x' }],
      ['POST', s.submitUrl(e1!), { baseVersion: 0 }], // another operation
      ['PUT', s.scoreUrl(e2!), { values: { layout: 5 }, baseVersion: 0 }], // another entry
    ];
    for (const [method, path, b] of attempts) {
      const r = await s.judge.client.request(method, path, b, withKey(k));
      expect(r.status, `${method} ${path} ${JSON.stringify(b)}`).toBe(422);
      expect(r.body.error.code).toBe('idempotency_key_reused');
      expect(paths(r)).toEqual(['headers.idempotency-key']);
    }
    expect(await snapshot(t.conn)).toBe(before);
    // Keys belong to their judge: another judge may happen to use the same one.
    const other = await s.judges[1]!.client.put(
      s.scoreUrl(e1!),
      { values: { layout: 6 }, baseVersion: 0 },
      withKey(k),
    );
    expect(other.status).toBe(200);
  });

  it('of 20 parallel saves with distinct keys on the same version exactly one wins; the rest get 409 with current', async () => {
    const s = await setup();
    const entryId = s.entryIds[0]!;
    const fire = (baseVersion: number) =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          s.judge.client.put(
            s.scoreUrl(entryId),
            { values: { layout: (i % 20) / 2 }, baseVersion },
            withKey(key()),
          ),
        ),
      );
    for (const baseVersion of [0, 1]) {
      const replies = await fire(baseVersion);
      const ok = replies.filter((r) => r.status === 200);
      expect(ok, JSON.stringify(replies.map((r) => r.status))).toHaveLength(1);
      expect(replies.filter((r) => r.status === 409)).toHaveLength(19);
      const docs = await scoreDocs(s);
      expect(docs).toHaveLength(1);
      expect(docs[0]!.version).toBe(baseVersion + 1);
      expect(docs[0]!.values).toEqual(ok[0]!.body.values);
      for (const r of replies.filter((x) => x.status === 409))
        expect(r.body.error.current).not.toBeUndefined();
    }
    expect(await audits(s.contestId, 'score.save')).toHaveLength(2);
  });

  it('answers 20 parallel identical retries alike and applies them once', async () => {
    const s = await setup();
    const entryId = s.entryIds[0]!;
    for (const baseVersion of [0, 1]) {
      const k = key();
      const replies = await Promise.all(
        Array.from({ length: 20 }, () =>
          s.judge.client.put(
            s.scoreUrl(entryId),
            { values: { layout: 4 + baseVersion }, baseVersion },
            withKey(k),
          ),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
      for (const r of replies) expect(r.body).toEqual(replies[0]!.body);
      expect(replies[0]!.body.version).toBe(baseVersion + 1);
      expect(replies.filter((r) => !r.headers.get('idempotency-replayed'))).toHaveLength(1);
    }
    const docs = await scoreDocs(s);
    expect(docs).toHaveLength(1);
    expect(docs[0]!.version).toBe(2);
    expect(await audits(s.contestId, 'score.save')).toHaveLength(2);
  });

  it('answers 20 parallel copies of a submit alike, racing saves with other keys lose with 409', async () => {
    const s = await setup();
    const entryId = s.entryIds[0]!;
    await save(s, entryId, { layout: 6, strokes: 11 }, 0);
    const k = key();
    const replies = await Promise.all([
      ...Array.from({ length: 20 }, () =>
        s.judge.client.post(s.submitUrl(entryId), { baseVersion: 1 }, withKey(k)),
      ),
      ...Array.from({ length: 5 }, () =>
        s.judge.client.put(s.scoreUrl(entryId), { values: { layout: 1 }, baseVersion: 1 }, withKey(key())),
      ),
    ]);
    const submits = replies.slice(0, 20);
    const saves = replies.slice(20);
    const doc = (await scoreDocs(s))[0]!;
    expect(doc.version).toBe(2); // exactly one change applied at version 1
    if (doc.status === 'submitted') {
      expect(submits.map((r) => r.status)).toEqual(Array(20).fill(200));
      for (const r of submits) expect(r.body).toEqual(submits[0]!.body);
      expect(saves.map((r) => r.status)).toEqual(Array(5).fill(409));
    } else {
      // A save won the race: every copy of the submit is refused (stale), none applied.
      expect(submits.map((r) => r.status)).toEqual(Array(20).fill(409));
      expect(saves.filter((r) => r.status === 200)).toHaveLength(1);
    }
    expect(await audits(s.contestId, 'score.submit')).toHaveLength(doc.status === 'submitted' ? 1 : 0);
  });

  it('answers a late retry with its stored answer even after the contest has left judging', async () => {
    const s = await setup();
    const entryId = s.entryIds[0]!;
    const k = key();
    const first = await s.judge.client.put(
      s.scoreUrl(entryId),
      { values: { layout: 3 }, baseVersion: 0 },
      withKey(k),
    );
    await setStatus(s.org, s.base, 'review');
    const before = await snapshot(t.conn);
    const late = await s.judge.client.put(
      s.scoreUrl(entryId),
      { values: { layout: 3 }, baseVersion: 0 },
      withKey(k),
    );
    expect(late.status).toBe(200);
    expect(late.body).toEqual(first.body);
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('keeps the last 50 keys on the score and never shows them to anyone', async () => {
    const s = await setup();
    const entryId = s.entryIds[0]!;
    const keys: string[] = [];
    for (let v = 0; v < 55; v++) {
      const k = key();
      keys.push(k);
      const r = await s.judge.client.put(
        s.scoreUrl(entryId),
        { values: { layout: (v % 21) / 2 }, baseVersion: v },
        withKey(k),
      );
      expect(r.status).toBe(200);
    }
    const raw = await t.conn.db!.collection('scores').findOne({ contestId: new Types.ObjectId(s.contestId) });
    expect(raw!.appliedKeys.map((a: { key: string }) => a.key)).toEqual(keys.slice(-50));
    const replies = [
      await s.judge.client.get(`${s.base}/judging`),
      await s.judge.client.get(`${s.base}/judging/entries/${entryId}`),
      await s.org.get(`${s.base}/scores`),
      await s.judge.client.put(s.scoreUrl(entryId), { values: {}, baseVersion: 0 }, withKey(key())),
    ];
    for (const r of replies) expect(JSON.stringify(r.body)).not.toMatch(/appliedKeys|requestHash/);
    // A key older than the last 50 is treated as new; its stale version keeps it from being applied again.
    const ancient = await s.judge.client.put(
      s.scoreUrl(entryId),
      { values: { layout: 0 }, baseVersion: 0 },
      withKey(keys[0]!),
    );
    expect(ancient.status).toBe(409);
  });

  it('keeps an acknowledged score when the audit append fails after the write, and logs it loudly', async () => {
    const s = await setup();
    const entryId = s.entryIds[0]!;
    vi.spyOn(t.ctx.audit, 'append').mockRejectedValueOnce(new Error('audit store down'));
    const logged = vi.spyOn(t.ctx.logger, 'error').mockImplementation(() => undefined);
    const k = key();
    const r = await s.judge.client.put(
      s.scoreUrl(entryId),
      { values: { layout: 5 }, baseVersion: 0 },
      withKey(k),
    );
    expect(r.status).toBe(200);
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ auditEvent: expect.objectContaining({ action: 'score.save' }) }),
      expect.stringMatching(/AUDIT APPEND FAILED/),
    );
    const retry = await s.judge.client.put(
      s.scoreUrl(entryId),
      { values: { layout: 5 }, baseVersion: 0 },
      withKey(k),
    );
    expect(retry.body).toEqual(r.body);
    expect((await scoreDocs(s))[0]!.version).toBe(1);
  });
});

describe('submitting and reopening', () => {
  it('requires every criterion before submitting, then locks the score (409 score_locked) except for replays', async () => {
    const s = await setup();
    const entryId = s.entryIds[0]!;
    // Nothing saved yet: every criterion is missing.
    const none = await s.judge.client.post(s.submitUrl(entryId), { baseVersion: 0 }, withKey(key()));
    expect(none.status).toBe(400);
    expect(paths(none)).toEqual(['body.values.layout', 'body.values.strokes']);

    await save(s, entryId, { layout: 8.5 }, 0, { comment: '好' });
    const before = await snapshot(t.conn);
    const partial = await s.judge.client.post(s.submitUrl(entryId), { baseVersion: 1 }, withKey(key()));
    expect(partial.status).toBe(400);
    expect(paths(partial)).toEqual(['body.values.strokes']);
    const badBody = await s.judge.client.post(
      s.submitUrl(entryId),
      { baseVersion: 1, values: {} },
      withKey(key()),
    );
    expect(paths(badBody)).toEqual(['body']);
    expect(await snapshot(t.conn)).toBe(before);

    await save(s, entryId, { layout: 8.5, strokes: 17 }, 1);
    const stale = await s.judge.client.post(s.submitUrl(entryId), { baseVersion: 1 }, withKey(key()));
    expect(stale.status).toBe(409);
    expect(stale.body.error.current.version).toBe(2);

    const k = key();
    const submitted = await s.judge.client.post(s.submitUrl(entryId), { baseVersion: 2 }, withKey(k));
    expect(submitted.status).toBe(200);
    expect(submitted.body).toEqual({
      values: { layout: 8.5, strokes: 17 },
      comment: '好',
      status: 'submitted',
      version: 3,
      updatedAt: expect.any(String),
    });
    const doc = (await scoreDocs(s))[0]!;
    expect(doc.status).toBe('submitted');
    expect(doc.submittedAt).toBeInstanceOf(Date);

    const locked = await snapshot(t.conn);
    const put = await s.judge.client.put(
      s.scoreUrl(entryId),
      { values: { layout: 1 }, baseVersion: 3 },
      withKey(key()),
    );
    expect(put.status).toBe(409);
    expect(put.body.error.code).toBe('score_locked');
    expect(put.body.error.current).toEqual(submitted.body);
    const again = await s.judge.client.post(s.submitUrl(entryId), { baseVersion: 3 }, withKey(key()));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('score_locked');
    const replay = await s.judge.client.post(s.submitUrl(entryId), { baseVersion: 2 }, withKey(k));
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(submitted.body);
    expect(await snapshot(t.conn)).toBe(locked);

    const list = workList((await s.judge.client.get(`${s.base}/judging`)).body);
    expect(list.progress).toEqual({ assigned: 3, submitted: 1, drafts: 0 });
    const events = await audits(s.contestId, 'score.submit');
    expect(events).toHaveLength(1);
    expect(events[0]!.after).toMatchObject({ status: 'submitted', version: 3 });
  });

  it('lets the organizer reopen a submitted score with a reason, after which the judge edits again', async () => {
    const s = await setup();
    const entryId = s.entryIds[0]!;
    await save(s, entryId, { layout: 8, strokes: 15 }, 0);
    const draftId = String((await scoreDocs(s))[0]!._id);
    const notYet = await s.org.post(`${s.base}/scores/${draftId}/reopen`, { reason: '复核', version: 1 });
    expect(notYet.status).toBe(409);
    expect(notYet.body.error.code).toBe('not_submitted');
    const submitKey = key();
    expect(
      (await s.judge.client.post(s.submitUrl(entryId), { baseVersion: 1 }, withKey(submitKey))).status,
    ).toBe(200);
    const scoreId = draftId;

    const other = await setup({ judges: 1 });
    const before = await snapshot(t.conn);
    for (const [b, expected] of [
      [{ version: 2 }, ['body.reason']],
      [{ reason: '   ', version: 2 }, ['body.reason']],
      [{ reason: 'x'.repeat(501), version: 2 }, ['body.reason']],
      [{ reason: '复核' }, ['body.version']],
    ] as [unknown, string[]][]) {
      const r = await s.org.post(`${s.base}/scores/${scoreId}/reopen`, b);
      expect(r.status, JSON.stringify(b)).toBe(400);
      expect(paths(r)).toEqual(expected);
    }
    const stale = await s.org.post(`${s.base}/scores/${scoreId}/reopen`, { reason: '复核', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current).toMatchObject({ id: scoreId, status: 'submitted', version: 2 });
    expect(
      (await other.org.post(`${other.base}/scores/${scoreId}/reopen`, { reason: '复核', version: 2 })).status,
    ).toBe(404);
    expect(await snapshot(t.conn)).toBe(before);

    const reopened = await s.org.post(`${s.base}/scores/${scoreId}/reopen`, {
      reason: '笔画分与评语不符，请复核',
      version: 2,
    });
    expect(reopened.status).toBe(200);
    expect(ScoreSchema.parse(reopened.body)).toMatchObject({
      id: scoreId,
      status: 'draft',
      version: 3,
      submittedAt: null,
      values: { layout: 8, strokes: 15 },
    });
    const event = (await audits(s.contestId, 'score.reopen'))[0]!;
    expect(event.after).toMatchObject({ reason: '笔画分与评语不符，请复核', status: 'draft' });
    expect(event.before).toMatchObject({ status: 'submitted' });

    // The judge's tablet retrying its old submit still gets the answer it was given, and changes nothing.
    const replayed = await s.judge.client.post(s.submitUrl(entryId), { baseVersion: 1 }, withKey(submitKey));
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ status: 'submitted', version: 2 });
    expect((await scoreDocs(s))[0]).toMatchObject({ status: 'draft', version: 3 });

    const edited = await save(s, entryId, { layout: 9, strokes: 15 }, 3);
    expect(edited).toMatchObject({ status: 'draft', version: 4 });
    expect(
      (await s.judge.client.post(s.submitUrl(entryId), { baseVersion: 4 }, withKey(key()))).body.status,
    ).toBe('submitted');
  });
});

describe('moderation list', () => {
  it('lists scores with judge and entry ids, filtered and paged by id', async () => {
    const s = await setup({ entries: 3, judges: 2 });
    for (const judge of s.judges)
      for (const entryId of s.entryIds) await save(s, entryId, { layout: 5 }, 0, {}, judge);
    await s.judge.client.post(s.submitUrl(s.entryIds[0]!), { baseVersion: 1 }, withKey(key())); // 400: incomplete
    await save(s, s.entryIds[0]!, { layout: 5, strokes: 10 }, 1);
    expect(
      (await s.judge.client.post(s.submitUrl(s.entryIds[0]!), { baseVersion: 2 }, withKey(key()))).status,
    ).toBe(200);

    const all = await s.org.get(`${s.base}/scores`);
    expect(all.status).toBe(200);
    const list = ScoreListSchema.parse(all.body);
    expect(list.scores).toHaveLength(6);
    expect(list.next).toBeNull();
    expect(JSON.stringify(all.body)).not.toMatch(/appliedKeys|requestHash/);

    const mine = ScoreListSchema.parse((await s.org.get(`${s.base}/scores?judgeId=${s.judge.id}`)).body);
    expect(mine.scores.map((x) => x.judgeId)).toEqual(Array(3).fill(s.judge.id));
    const byEntry = ScoreListSchema.parse(
      (await s.org.get(`${s.base}/scores?entryId=${s.entryIds[1]}`)).body,
    );
    expect(byEntry.scores.map((x) => x.entryId)).toEqual([s.entryIds[1], s.entryIds[1]]);
    const submitted = ScoreListSchema.parse((await s.org.get(`${s.base}/scores?status=submitted`)).body);
    expect(submitted.scores).toHaveLength(1);
    expect(submitted.scores[0]).toMatchObject({
      judgeId: s.judge.id,
      entryId: s.entryIds[0],
      status: 'submitted',
      submittedAt: expect.any(String),
    });

    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Reply = await s.org.get(`${s.base}/scores?limit=4${after ? `&after=${after}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.scores.map((x: { id: string }) => x.id));
      after = page.body.next;
    } while (after);
    expect(seen).toEqual(list.scores.map((x) => x.id));

    for (const [q, field] of [
      ['limit=501', 'query.limit'],
      ['limit=0', 'query.limit'],
      ['status=final', 'query.status'],
      ['judgeId=zz', 'query.judgeId'],
      ['after=1', 'query.after'],
      ['sort=code', 'query'],
    ]) {
      const r = await s.org.get(`${s.base}/scores?${q}`);
      expect(r.status, q).toBe(400);
      expect(paths(r), q).toEqual([field]);
    }
  });
});

/** Parses the work list with the shared schema, so the client can rely on it. */
function workList(body: unknown) {
  return JudgingListSchema.parse(body);
}
