import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import sharp from 'sharp';
import { generateDemoPhotos, seedDemo, type DemoSeed } from '@pingxuan/server';
import { startTestApp, type TestApp } from './harness.js';

let t: TestApp;
let demo: DemoSeed;
beforeAll(async () => {
  t = await startTestApp();
  demo = (await seedDemo(t.ctx))!;
}, 120_000);
afterAll(async () => t?.close());

describe('demo contest seed', () => {
  it('creates the district blackboard-writing contest as the issue describes', async () => {
    const m = t.ctx.models;
    const contest = await m.Contest.findById(demo.contestId).lean();
    expect(contest!.status).toBe('judging');
    expect(contest!.categories.map((c) => c.id)).toEqual(['primary', 'secondary']);
    expect(contest!.settings.tiers.map((x: { id: string; quota: number }) => [x.id, x.quota])).toEqual([
      ['first', 70],
      ['second', 127],
    ]);
    expect(await m.Entry.countDocuments({ contestId: demo.contestId })).toBe(497);
    expect(await m.Judge.countDocuments({ contestId: demo.contestId })).toBe(15);
    expect(await m.Panel.countDocuments({ contestId: demo.contestId })).toBe(3);

    const rubric = await m.Rubric.findOne({ contestId: demo.contestId }).lean();
    expect(rubric!.frozen).toBe(true);
    expect(rubric!.criteria.map((c) => c.name!.zh)).toEqual(['突出重点', '条理清晰', '布局合理', '文字准确', '作图规范', '书写美观', '内容实用', '体现学科特点']);
    expect(rubric!.criteria.reduce((s, c) => s + c.weight, 0)).toBe(100);
  });

  it('assigns five judges per entry and never a judge from the entry’s own school', async () => {
    const m = t.ctx.models;
    const assignments = await m.Assignment.find({ contestId: demo.contestId }).lean();
    expect(assignments).toHaveLength(497 * 5);
    const judges = new Map((await m.Judge.find({ contestId: demo.contestId }).lean()).map((j) => [String(j._id), j]));
    const entries = new Map((await m.Entry.find({ contestId: demo.contestId }).lean()).map((e) => [String(e._id), e]));
    const perEntry = new Map<string, Set<string>>();
    for (const a of assignments) {
      expect(judges.get(String(a.judgeId))!.school).not.toBe(entries.get(String(a.entryId))!.school);
      const set = perEntry.get(String(a.entryId)) ?? new Set();
      set.add(String(a.judgeId));
      perEntry.set(String(a.entryId), set);
    }
    expect([...perEntry.values()].every((s) => s.size === 5)).toBe(true);
  });

  it('leaves judging about two-thirds done, with scores inside the rubric', async () => {
    const m = t.ctx.models;
    const scores = await m.Score.find({ contestId: demo.contestId }).lean();
    const share = scores.length / (497 * 5);
    expect(share).toBeGreaterThan(0.55);
    expect(share).toBeLessThan(0.8);
    const rubric = await m.Rubric.findOne({ contestId: demo.contestId }).lean();
    for (const s of scores.slice(0, 200))
      for (const c of rubric!.criteria) {
        const v = (s.values as Record<string, number>)[c.id];
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(c.maxScore);
        expect(Math.round(v! / c.step) * c.step).toBeCloseTo(v!, 9);
      }
  });

  it('prints working log-ins: password, one-time judge code', async () => {
    for (const l of demo.logins) {
      const r = await t.client().post('/api/auth/login', { username: l.username, password: l.password });
      expect(r.status).toBe(200);
    }
    const c = t.client();
    expect((await c.post('/api/auth/code-login', { code: demo.judgeCode })).status).toBe(200);
    expect((await c.get('/api/auth/me')).body.memberships).toEqual([{ contestId: demo.contestId, role: 'judge' }]);
    expect((await t.client().post('/api/auth/code-login', { code: demo.judgeCode })).status).toBe(401);
    // The demo school organizer sees their own school's works only.
    const school = t.client();
    await school.post('/api/auth/login', { username: 'school01', password: 'school-demo-2026' });
    const listed = await school.get(`/api/contests/${demo.contestId}/entries?limit=200`);
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBeGreaterThan(0);
    expect(new Set(listed.body.entries.map((e: { school: string }) => e.school))).toEqual(new Set(['滨江区第一小学']));
  });

  it('draws blackboard photos for entries without one, as organizers and the teacher link see them', async () => {
    expect(await generateDemoPhotos(t.ctx, { limit: 3 })).toBe(3);
    const entry = await t.ctx.models.Entry.findOne({ contestId: demo.contestId, code: 'BB001' }).lean();
    expect(entry!.photos).toHaveLength(1);
    expect(entry!.photos[0]).toMatchObject({ fileName: 'BB001.jpg', contentType: 'image/jpeg', width: 1280, height: 800 });
    const org = t.client();
    await org.post('/api/auth/login', { username: 'organizer', password: 'organizer-demo-2026' });
    const photo = await org.get(`/api/contests/${demo.contestId}/entries/${entry!._id}/photos/${entry!.photos[0]!._id}?size=thumb`);
    expect(photo.status).toBe(200);
    expect((await sharp(photo.body).metadata()).width).toBe(480);
    const feedback = await t.client().get(`/api${demo.feedbackPath}`);
    expect(feedback.body.entry).toMatchObject({ code: 'BB001', photos: [{ width: 1280, height: 800 }] });
    // Entries that have a photo are left alone; an aborted run stops at once.
    const abort = new AbortController();
    abort.abort();
    expect(await generateDemoPhotos(t.ctx, { signal: abort.signal })).toBe(0);
    expect(await t.ctx.models.Entry.countDocuments({ contestId: demo.contestId, 'photos.0': mongoose.trusted({ $exists: true }) })).toBe(3);
  });

  it('never seeds twice', async () => {
    expect(await seedDemo(t.ctx)).toBeNull();
    expect(await t.ctx.models.Contest.countDocuments({})).toBe(1);
  });
});
