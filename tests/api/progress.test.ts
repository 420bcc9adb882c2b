import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { ContestSettingsSchema } from '@pingxuan/shared';
import { startTestApp, type Client, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

let seq = 0;
const uniq = (p: string) => `${p}${++seq}`;

/**
 * Two panels: 王/李 (primary) share e0..e2, 赵/钱 (secondary) share e3..e5; e5 is withdrawn after scoring,
 * e6 has no judge. 李 has submitted one of three and keeps a draft: clearly behind the others.
 */
async function setup() {
  const { Contest, Membership, User, Entry, Assignment, Judge, Panel, Score } = t.ctx.models;
  const contest = await Contest.create({
    name: '区教师黑板字比赛',
    settings: ContestSettingsSchema.parse({}),
    rounds: [
      { id: 'main', name: { zh: '区级评审' } },
      { id: 'final', name: { zh: '决赛' } },
    ],
    status: 'judging',
  });
  const contestId = String(contest._id);
  const orgName = uniq('org');
  const org = await t.signedIn(orgName);
  await Membership.create({
    contestId,
    userId: (await User.findOne({ username: orgName }))!._id,
    role: 'organizer',
  });

  const cats = ['primary', 'primary', 'primary', 'secondary', 'secondary', 'secondary', 'primary'];
  const entries = await Entry.insertMany(
    cats.map((category, i) => ({
      contestId,
      roundIds: ['main'],
      code: `BB-${i}`,
      title: `作品 ${i}`,
      teacherName: `教师${i}`,
      school: `学校${i}`,
      category,
    })),
  );
  const e = entries.map((x) => x._id);
  const [p1, p2] = await Panel.create([
    { contestId, name: '小学组评审', category: 'primary' },
    { contestId, name: '中学组评审', category: 'secondary' },
  ]);
  const judgeDocs = await Judge.insertMany(
    (
      [
        ['王评委', p1!._id],
        ['李评委', p1!._id],
        ['赵评委', p2!._id],
        ['钱评委', p2!._id],
      ] as const
    ).map(([name, panelId]) => ({ contestId, userId: new Types.ObjectId(), name, panelId })),
  );
  const [wang, li, zhao, qian] = judgeDocs.map((j) => j._id);
  const work: [Types.ObjectId, number[]][] = [
    [wang!, [0, 1, 2]],
    [li!, [0, 1, 2]],
    [zhao!, [3, 4, 5]],
    [qian!, [3, 4, 5]],
  ];
  await Assignment.create(
    work.flatMap(([judgeId, list]) =>
      list.map((i, order) => ({ contestId, roundId: 'main', entryId: e[i], judgeId, order })),
    ),
  );
  // Written raw to set the activity times, so ids are cast here rather than by mongoose.
  const score = (judgeId: Types.ObjectId, i: number, status: 'draft' | 'submitted', at: string) => ({
    contestId: contest._id,
    roundId: 'main',
    entryId: e[i],
    judgeId,
    values: { a: 5 },
    status,
    version: 1,
    createdAt: new Date(at),
    updatedAt: new Date(at),
  });
  await Score.collection.insertMany([
    score(wang!, 0, 'submitted', '2026-11-20T09:00:00Z'),
    score(wang!, 1, 'submitted', '2026-11-20T09:10:00Z'),
    score(wang!, 2, 'submitted', '2026-11-20T09:20:00Z'),
    score(li!, 0, 'submitted', '2026-11-20T08:00:00Z'),
    score(li!, 1, 'draft', '2026-11-20T08:30:00Z'),
    score(zhao!, 3, 'submitted', '2026-11-20T10:00:00Z'),
    score(zhao!, 4, 'submitted', '2026-11-20T10:05:00Z'),
    score(zhao!, 5, 'submitted', '2026-11-20T10:09:00Z'),
    score(qian!, 3, 'submitted', '2026-11-20T11:00:00Z'),
    score(qian!, 4, 'submitted', '2026-11-20T11:30:00Z'),
  ]);
  await Entry.updateOne({ _id: e[5] }, { $set: { status: 'withdrawn' } });
  return {
    contestId,
    url: `/api/contests/${contestId}/progress`,
    org,
    ids: { wang, li, zhao, qian },
    p1,
    p2,
  };
}

describe('GET /contests/:id/progress', () => {
  it('counts per judge, panel, category and entry, leaving withdrawn entries out, and names who is behind', async () => {
    const s = await setup();
    const r = await s.org.get(s.url);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const p = r.body;
    expect(p.roundId).toBe('main');
    expect(p.status).toBe('judging');
    expect(p.totals).toEqual({ entries: 6, assignments: 10, submitted: 8, drafts: 1 });
    expect(p.entries).toEqual({ complete: 3, started: 2, notStarted: 0, unassigned: 1 });
    expect(p.categories).toEqual([
      { category: 'primary', entries: 4, complete: 1 },
      { category: 'secondary', entries: 2, complete: 2 },
    ]);

    const byName = Object.fromEntries(p.judges.map((j: { name: string }) => [j.name, j]));
    expect(byName['王评委']).toMatchObject({
      assigned: 3,
      submitted: 3,
      drafts: 0,
      done: 1,
      behind: false,
      panelName: '小学组评审',
    });
    expect(byName['李评委']).toMatchObject({
      assigned: 3,
      submitted: 1,
      drafts: 1,
      behind: true,
      lastActivityAt: '2026-11-20T08:30:00.000Z',
    });
    expect(byName['李评委'].done).toBeCloseTo(1 / 3);
    // Zhao's score of the withdrawn entry does not count, nor does its assignment.
    expect(byName['赵评委']).toMatchObject({
      assigned: 2,
      submitted: 2,
      done: 1,
      behind: false,
      lastActivityAt: '2026-11-20T10:05:00.000Z',
    });
    expect(byName['钱评委']).toMatchObject({ assigned: 2, submitted: 2, done: 1, behind: false });
    // Slowest first, so the board shows who needs a nudge at the top.
    expect(p.judges[0].name).toBe('李评委');

    const panels = Object.fromEntries(p.panels.map((x: { panelName: string }) => [x.panelName, x]));
    expect(panels['小学组评审']).toMatchObject({ judges: 2, assigned: 6, submitted: 4, drafts: 1 });
    expect(panels['小学组评审'].done).toBeCloseTo(4 / 6);
    expect(panels['中学组评审']).toMatchObject({ judges: 2, assigned: 4, submitted: 4, drafts: 0, done: 1 });
  });

  it('follows the round asked for, and refuses an unknown round naming the field', async () => {
    const s = await setup();
    const r = await s.org.get(`${s.url}?round=final`);
    expect(r.status).toBe(200);
    expect(r.body.totals).toEqual({ entries: 0, assignments: 0, submitted: 0, drafts: 0 });
    expect(r.body.judges.every((j: { behind: boolean; done: number }) => !j.behind && j.done === 1)).toBe(
      true,
    );

    const bad = await s.org.get(`${s.url}?round=nope`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['query.round']);
    const extra = await s.org.get(`${s.url}?judge=1`);
    expect(extra.status).toBe(400);
    expect(extra.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['query']);
  });

  it('is for organizers of the contest only', async () => {
    const s = await setup();
    const other = await setup();
    expect((await t.client().get(s.url)).status).toBe(401);
    const outsider: Client = await t.signedIn(uniq('outsider'));
    expect((await outsider.get(s.url)).status).toBe(403);
    expect((await other.org.get(s.url)).status).toBe(403);
    const judgeName = uniq('judge');
    const judge = await t.signedIn(judgeName);
    await t.ctx.models.Membership.create({
      contestId: s.contestId,
      userId: (await t.ctx.models.User.findOne({ username: judgeName }))!._id,
      role: 'judge',
    });
    expect((await judge.get(s.url)).status).toBe(403);
    expect((await s.org.get('/api/contests/not-an-id/progress')).status).toBe(400);
  });
});
