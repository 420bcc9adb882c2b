// A score change stored but cut off from its audit event (the server killed, or the audit append failing, between
// the two writes) gets its event at the next start-up from repairScoreAudit(); the fault proof (tests/proof)
// shows the same across real SIGKILLs.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Types } from 'mongoose';
import { ContestSettingsSchema } from '@pingxuan/shared';
import { repairScoreAudit } from '@pingxuan/server';
import { startTestApp, type Client, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());
afterEach(() => vi.restoreAllMocks());

const key = () => `k-${new Types.ObjectId().toHexString()}`;
const withKey = (k: string) => ({ 'idempotency-key': k });
let seq = 0;

/** A contest in judging with one rubric, one entry and one judge assigned to it. */
async function setup() {
  const { Contest, Membership, User, Entry, Assignment } = t.ctx.models;
  const contest = await Contest.create({
    name: '区教师黑板字比赛',
    settings: ContestSettingsSchema.parse({}),
    rounds: [{ id: 'main', name: { zh: '评审' } }],
    status: 'draft',
  });
  const contestId = String(contest._id);
  const base = `/api/contests/${contestId}`;
  const orgName = `repair-org${++seq}`;
  const org = await t.signedIn(orgName);
  await Membership.create({
    contestId,
    userId: (await User.findOne({ username: orgName }))!._id,
    role: 'organizer',
  });
  const rubric = await org.put(`${base}/rounds/main/rubric`, {
    criteria: [
      { id: 'layout', name: { zh: '布局' }, weight: 40, maxScore: 10, step: 0.5 },
      { id: 'strokes', name: { zh: '笔画' }, weight: 60, maxScore: 20, step: 1 },
    ],
  });
  expect(rubric.status).toBe(201);
  const entry = await Entry.create({
    contestId,
    roundIds: ['main'],
    code: 'BB-001',
    title: '板书',
    teacherName: '张老师',
    school: '实验小学',
  });
  const username = `repair-judge${seq}`;
  const judge: Client = await t.signedIn(username);
  const j = await org.post(`${base}/judges`, { name: '评委', username });
  expect(j.status).toBe(201);
  await Assignment.create({
    contestId,
    roundId: 'main',
    entryId: entry._id,
    judgeId: j.body.id,
    order: 1,
    reason: 'panel',
  });
  const current = await org.get(base);
  expect(
    (await org.post(`${base}/status`, { status: 'judging', version: current.body.version })).status,
  ).toBe(200);
  const entryUrl = `${base}/judging/entries/${entry._id}`;
  return { contestId, judge, username, entryUrl };
}

const scoreEvents = (contestId: string) =>
  t.ctx.models.AuditEvent.find({ contestId, action: /^score\./ })
    .sort({ seq: 1 })
    .lean<any[]>();
const rawScore = async (contestId: string) =>
  (await t.ctx.models.Score.findOne({ contestId }).select('+appliedKeys').lean<any>())!;

describe('score audit repair after a crash', () => {
  it('marks every change audited once its event is written, leaving nothing to repair', async () => {
    const s = await setup();
    expect(
      (
        await s.judge.put(
          `${s.entryUrl}/score`,
          { values: { layout: 5, strokes: 10 }, baseVersion: 0 },
          withKey(key()),
        )
      ).status,
    ).toBe(200);
    expect((await s.judge.post(`${s.entryUrl}/submit`, { baseVersion: 1 }, withKey(key()))).status).toBe(200);
    expect((await rawScore(s.contestId)).appliedKeys.map((a: any) => a.audited)).toEqual([true, true]);
    expect(await repairScoreAudit(t.ctx)).toBe(0);
    expect(await scoreEvents(s.contestId)).toHaveLength(2);
  });

  it('appends the events cut off after a save and a submit, with actor, before and after, once', async () => {
    const s = await setup();
    vi.spyOn(t.ctx.logger, 'error').mockImplementation(() => undefined);
    const first = key();
    expect(
      (await s.judge.put(`${s.entryUrl}/score`, { values: { layout: 5 }, baseVersion: 0 }, withKey(first)))
        .status,
    ).toBe(200);
    // The "crash": the next two changes are stored and answered, but their audit events are never written.
    const append = vi
      .spyOn(t.ctx.audit, 'append')
      .mockRejectedValueOnce(new Error('killed'))
      .mockRejectedValueOnce(new Error('killed'));
    const second = key();
    const saved = await s.judge.put(
      `${s.entryUrl}/score`,
      { values: { layout: 6.5, strokes: 12 }, comment: '工整', baseVersion: 1 },
      withKey(second),
    );
    expect(saved.status).toBe(200);
    const third = key();
    expect((await s.judge.post(`${s.entryUrl}/submit`, { baseVersion: 2 }, withKey(third))).status).toBe(200);
    append.mockRestore();
    expect((await scoreEvents(s.contestId)).map((e) => e.after.idempotencyKey)).toEqual([first]);
    expect((await rawScore(s.contestId)).appliedKeys.map((a: any) => a.audited)).toEqual([
      true,
      false,
      false,
    ]);

    expect(await repairScoreAudit(t.ctx)).toBe(2);
    const events = await scoreEvents(s.contestId);
    expect(events.map((e) => [e.action, e.after.idempotencyKey])).toEqual([
      ['score.save', first],
      ['score.save', second],
      ['score.submit', third],
    ]);
    const [, repairedSave, repairedSubmit] = events;
    const user = await t.ctx.models.User.findOne({ username: s.username }).lean();
    expect(repairedSave.actor).toEqual({ userId: String(user!._id), username: s.username });
    expect(repairedSave.before).toMatchObject({ values: { layout: 5 }, version: 1, status: 'draft' });
    expect(repairedSave.after).toMatchObject({
      values: { layout: 6.5, strokes: 12 },
      comment: '工整',
      version: 2,
      status: 'draft',
      submittedAt: null,
      auditedAfterRestart: true,
    });
    expect(repairedSubmit.before).toMatchObject({ version: 2, status: 'draft' });
    expect(repairedSubmit.after).toMatchObject({
      version: 3,
      status: 'submitted',
      submittedAt: expect.any(String),
    });
    expect((await t.ctx.audit.verify()).ok).toBe(true);

    // Repaired once: a second start-up finds nothing, and a retry of the cut-off request is still replayed.
    expect(await repairScoreAudit(t.ctx)).toBe(0);
    expect(await scoreEvents(s.contestId)).toHaveLength(3);
    const retry = await s.judge.put(
      `${s.entryUrl}/score`,
      { values: { layout: 6.5, strokes: 12 }, comment: '工整', baseVersion: 1 },
      withKey(second),
    );
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(retry.body).toEqual(saved.body);
  });
});
