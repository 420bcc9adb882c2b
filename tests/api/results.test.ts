import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { Types } from 'mongoose';
import { startTestApp, snapshot, type Client, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

let seq = 0;
const uniq = (p: string) => `${p}${++seq}`;
const key = () => `k-${new Types.ObjectId().toHexString()}`;

const RUBRIC = [
  { id: 'content', name: { zh: '内容', en: 'Content' }, description: { zh: '重点突出' }, weight: 60, maxScore: 60, step: 1 },
  { id: 'writing', name: { zh: '书写', en: 'Writing' }, description: { zh: '书写美观' }, weight: 40, maxScore: 40, step: 0.5 },
];
// Entry i gets totals of about 90 - 10 i from every judge, judge j adds j points: the order is fixed.
const ENTRIES = [
  ['R01', '王芳', '实验小学', '小学组'],
  ['R02', '李明', '第一中学', '中学组'],
  ['R03', '张伟', '实验小学', '小学组'],
  ['R04', '刘洋', '第二中学', '中学组'],
  ['R05', '陈静', '育才小学', '小学组'],
  ['R06', '杨帆', '第三中学', '中学组'],
];

type Run = Awaited<ReturnType<typeof contestInJudging>>;

/** A whole contest set up through the API, the way an organizer does it, up to judging with scores in. */
async function contestInJudging() {
  const admin = await t.signedIn(uniq('admin'), { isAdmin: true });
  const created = await admin.post('/api/contests', {
    name: '区教师板书设计比赛',
    categories: [
      { id: 'primary', name: { zh: '小学组', en: 'Primary' } },
      { id: 'secondary', name: { zh: '中学组', en: 'Secondary' } },
    ],
    rounds: [{ id: 'main', name: { zh: '区级评审' } }],
    settings: {
      aggregation: { method: 'mean', trim: 0, normalization: 'none', minJudges: 2 },
      tiers: [
        { id: 'first', name: { zh: '一等奖', en: 'First prize' }, quota: 1 },
        { id: 'second', name: { zh: '二等奖', en: 'Second prize' }, quota: 2 },
      ],
      bootstrapSamples: 50,
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const contestId: string = created.body.id;
  const base = `/api/contests/${contestId}`;
  const org = admin;
  expect((await org.put(`${base}/rounds/main/rubric`, { criteria: RUBRIC })).status).toBe(201);

  const csv = ['作品编号,教师姓名,学校,组别,作品名称', ...ENTRIES.map(([c, n, s, g]) => `${c},${n},${s},${g},${c} 板书`)].join('\n');
  const fd = new FormData();
  fd.append('file', new Blob([csv], { type: 'text/csv' }), 'entries.csv');
  expect((await org.post(`${base}/entries/import`, fd)).status).toBe(201);
  const entries: { id: string; code: string; version: number }[] = (await org.get(`${base}/entries`)).body.entries;
  const photo = await sharp({ create: { width: 800, height: 500, channels: 3, background: '#1f4a3a' } }).jpeg().toBuffer();
  for (const e of entries.slice(0, 4)) {
    const pf = new FormData();
    pf.append('photos', new Blob([photo as unknown as ArrayBuffer]), `${e.code}.jpg`);
    expect((await org.post(`${base}/entries/${e.id}/photos`, pf)).status).toBe(201);
  }

  const judges: { id: string; client: Client }[] = [];
  for (let j = 0; j < 3; j++) {
    const username = uniq('judge');
    const client = await t.signedIn(username);
    const r = await org.post(`${base}/judges`, { name: `评委${j + 1}`, username, school: '教研室' });
    expect(r.status).toBe(201);
    judges.push({ id: r.body.id, client });
  }
  // Every judge scores every entry (the assignment service has its own tests).
  await t.ctx.models.Assignment.insertMany(
    judges.flatMap((j, ji) => entries.map((e, ei) => ({ contestId, roundId: 'main', entryId: e.id, judgeId: j.id, order: (ei + ji) % entries.length }))),
  );
  const current = await org.get(base);
  expect((await org.post(`${base}/status`, { status: 'judging', version: current.body.version })).status).toBe(200);

  const scoreOf = (ei: number, ji: number) => {
    const total = 90 - 10 * ei + ji;
    return { content: Math.round(total * 0.6), writing: Math.round((total - Math.round(total * 0.6)) * 2) / 2 };
  };
  for (const [ji, j] of judges.entries())
    for (const [ei, e] of entries.entries()) {
      // The last entry gets only one judge: it stays incomplete (minJudges 2).
      if (ei === 5 && ji > 0) continue;
      const values = scoreOf(ei, ji);
      const comment = ji === 0 ? `评语${e.code}：结构清晰` : '';
      const saved = await j.client.put(`${base}/judging/entries/${e.id}/score`, { values, comment, baseVersion: 0 }, { 'idempotency-key': key() });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      const sub = await j.client.post(`${base}/judging/entries/${e.id}/submit`, { baseVersion: saved.body.version }, { 'idempotency-key': key() });
      expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    }
  const feedback = await org.post(`${base}/entries/feedback-links`, {});
  const tokens = new Map<string, string>(feedback.body.links.map((l: { code: string; url: string }) => [l.code, l.url.split('/feedback/')[1]!]));
  return { contestId, base, org, entries, judges, tokens };
}

async function setStatus(r: Run, status: string) {
  const current = await r.org.get(r.base);
  return r.org.post(`${r.base}/status`, { status, version: current.body.version });
}

describe('a whole contest, from set-up to published results', () => {
  let run: Run;
  beforeAll(async () => {
    run = await contestInJudging();
  }, 60_000);

  it('shows organizers live results: ranks, tiers, flags, judge statistics and confidence', async () => {
    const r = await run.org.get(`${run.base}/results`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const { summary, entries } = r.body;
    expect(entries.map((e: { code: string }) => e.code)).toEqual(['R01', 'R02', 'R03', 'R04', 'R05', 'R06']);
    expect(entries.map((e: { rank: number | null }) => e.rank)).toEqual([1, 2, 3, 4, 5, null]);
    expect(entries.map((e: { tierId: string | null }) => e.tierId)).toEqual(['first', 'second', 'second', null, null, null]);
    expect(entries[5].flags).toContain('incomplete');
    expect(entries[0].score).toBeCloseTo(91, 6); // mean of 90, 91, 92
    expect(entries[0].judgeTotals.map((x: { judgeName: string }) => x.judgeName).sort()).toEqual(['评委1', '评委2', '评委3']);
    expect(entries[0].tierConfidence).toBeGreaterThan(0.5);
    expect(entries[0]).toMatchObject({ teacherName: '王芳', school: '实验小学', category: 'primary' });
    expect(summary.counts).toEqual({ entries: 6, ranked: 5, incomplete: 1, scores: 16 });
    expect(summary.tiers).toEqual([
      expect.objectContaining({ id: 'first', name: { zh: '一等奖', en: 'First prize' }, count: 1 }),
      expect.objectContaining({ id: 'second', count: 2 }),
    ]);
    // Judge j adds j points: judge 1 is 1.5 below the other two on average, judge 3 1.5 above.
    expect(summary.judges.map((j: { name: string; leniency: number }) => [j.name, j.leniency]).sort()).toEqual([
      ['评委1', -1.5],
      ['评委2', 0],
      ['评委3', 1.5],
    ]);
    expect(summary.reliability[0].judges).toHaveLength(3);

    const page = await run.org.get(`${run.base}/results?tier=second&limit=1&offset=1`);
    expect(page.body.total).toBe(2);
    expect(page.body.entries.map((e: { code: string }) => e.code)).toEqual(['R03']);
    expect((await run.org.get(`${run.base}/results?flag=incomplete`)).body.entries.map((e: { code: string }) => e.code)).toEqual(['R06']);
    expect((await run.org.get(`${run.base}/results?category=secondary`)).body.total).toBe(3);
    for (const q of ['limit=0', 'flag=odd', 'round=bad round', 'offset=-1', 'extra=1']) expect((await run.org.get(`${run.base}/results?${q}`)).status, q).toBe(400);
  });

  it('reveals no score, rank or tier to teachers, judges or the public before publication', async () => {
    const token = run.tokens.get('R01')!;
    const fb = await t.client().get(`/api/feedback/${token}`);
    expect(fb.status).toBe(200);
    expect(fb.body.published).toBe(false);
    expect(JSON.stringify(fb.body)).not.toMatch(/score|rank|tier|results|评语/i);
    const winner = run.entries[0]!;
    const pid = (await run.org.get(`${run.base}/entries/${winner.id}`)).body.photos[0].id;
    for (const path of [
      `/api/public/contests/${run.contestId}/winners`,
      `/api/public/contests/${run.contestId}/showcase`,
      `/api/public/contests/${run.contestId}/entries/${winner.id}/photos/${pid}?size=thumb`,
    ])
      expect((await t.client().get(path)).status, path).toBe(404);
    expect((await t.client().get('/api/public/contests')).body.contests.map((c: { id: string }) => c.id)).not.toContain(run.contestId);
    const judge = run.judges[0]!.client;
    expect((await judge.get(`${run.base}/results`)).status).toBe(403);
    expect((await judge.get(`${run.base}/results/export`)).status).toBe(403);
    expect((await t.client().get(`${run.base}/results`)).status).toBe(401);
    const list = await judge.get(`${run.base}/judging`);
    expect(JSON.stringify(list.body)).not.toMatch(/rank|tier/i);
  });

  it('exports the live results as CSV and XLSX with Chinese headers', async () => {
    const csv = await run.org.get(`${run.base}/results/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('results-live.csv');
    const lines = String(csv.body).replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('排名,作品编号,作品名称,教师姓名,学校,组别,学科,得分,奖项,评委人数,奖项把握度,标记,内容,书写');
    expect(lines[1]).toMatch(/^1,R01,R01 板书,王芳,实验小学,小学组,,91,一等奖,3,/);
    expect(lines[6]).toMatch(/^,R06,.*评分不足/);
    const xlsx = await run.org.get(`${run.base}/results/export`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body);
    expect(wb.worksheets[0]!.getRow(2).getCell(2).value).toBe('R01');
  });

  it('publishes an immutable snapshot, then shows winners, the showcase and teachers their feedback', async () => {
    expect((await setStatus(run, 'published')).status).toBe(409); // only from review
    expect((await setStatus(run, 'review')).status).toBe(200);
    const published = await setStatus(run, 'published');
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const snap = await t.ctx.models.ResultSnapshot.findOne({ contestId: run.contestId }).lean();
    expect(snap).toMatchObject({ roundId: 'main', engineVersion: expect.any(String), entryCount: 6 });
    expect(await t.ctx.models.ResultRow.countDocuments({ snapshotId: snap!._id })).toBe(6);
    const [event] = await t.ctx.models.AuditEvent.find({ contestId: run.contestId, action: 'contest.status', 'after.status': 'published' }).lean();
    expect(event!.after).toMatchObject({ snapshotId: String(snap!._id), entries: 6 });

    const winners = await t.client().get(`/api/public/contests/${run.contestId}/winners`);
    expect(winners.status).toBe(200);
    expect(winners.body.winners.map((w: { code: string; tierId: string }) => `${w.tierId}:${w.code}`)).toEqual(['first:R01', 'second:R02', 'second:R03']);
    expect(JSON.stringify(winners.body)).not.toMatch(/"score"|"rank"|judge/i);
    expect(winners.body.counts).toEqual([
      { tierId: 'first', count: 1 },
      { tierId: 'second', count: 2 },
    ]);
    expect((await t.client().get(`/api/public/contests/${run.contestId}/winners?category=secondary`)).body.winners.map((w: { code: string }) => w.code)).toEqual(['R02']);
    expect((await t.client().get(`/api/public/contests/${run.contestId}/winners?school=${encodeURIComponent('实验小学')}`)).body.winners.map((w: { code: string }) => w.code)).toEqual(['R01', 'R03']);
    expect((await t.client().get(`/api/public/contests/${run.contestId}/winners?tier=second`)).body.winners).toHaveLength(2);
    expect((await t.client().get(`/api/public/contests/${run.contestId}/winners?tier[$ne]=x`)).status).toBe(400);
    expect((await t.client().get('/api/public/contests')).body.contests.map((c: { id: string }) => c.id)).toContain(run.contestId);

    const show = await t.client().get(`/api/public/contests/${run.contestId}/showcase`);
    expect(show.body.tierId).toBe('first');
    expect(show.body.works).toEqual([expect.objectContaining({ code: 'R01', photos: [expect.objectContaining({ width: 800, height: 500 })] })]);
    const winnerPhoto = show.body.works[0].photos[0].id;
    expect((await t.client().get(`/api/public/contests/${run.contestId}/entries/${run.entries[0]!.id}/photos/${winnerPhoto}?size=thumb`)).status).toBe(200);
    expect((await t.client().get(`/api/public/contests/${run.contestId}/entries/${run.entries[0]!.id}/photos/${winnerPhoto}?size=original`)).status).toBe(400);
    const loser = run.entries[3]!;
    const loserPhoto = (await run.org.get(`${run.base}/entries/${loser.id}`)).body.photos[0].id;
    expect((await t.client().get(`/api/public/contests/${run.contestId}/entries/${loser.id}/photos/${loserPhoto}?size=thumb`)).status).toBe(404);

    const fb = await t.client().get(`/api/feedback/${run.tokens.get('R01')}`);
    expect(fb.body.published).toBe(true);
    expect((await t.client().get(`/api/feedback/${run.tokens.get('R03')}`)).body.results).toMatchObject({ tier: { id: 'second' }, rankBand: 'top50' });
    expect(fb.body.results).toMatchObject({ tier: { id: 'first', name: { zh: '一等奖' } }, rankBand: 'top5', ranked: 5, incomplete: false, comments: ['评语R01：结构清晰'] });
    expect(fb.body.results.score).toBeCloseTo(91, 6);
    expect(fb.body.results.criteria.map((c: { id: string; cohort: { count: number } }) => [c.id, c.cohort.count])).toEqual([
      ['content', 5],
      ['writing', 5],
    ]);
    expect(JSON.stringify(fb.body)).not.toMatch(/评委|judge/i);
    const incomplete = await t.client().get(`/api/feedback/${run.tokens.get('R06')}`);
    expect(incomplete.body.results).toMatchObject({ score: null, tier: null, rankBand: null, incomplete: true });
    expect((await t.client().get(`/api/feedback/${run.tokens.get('R04')}`)).body.results).toMatchObject({ tier: null, rankBand: 'rest' }); // 4th of 5
  });

  it('keeps the published results as they were: no scoring, no settings change, exports read the snapshot', async () => {
    const before = await snapshot(t.conn);
    const e = run.entries[4]!;
    const j = run.judges[0]!.client;
    expect((await j.put(`${run.base}/judging/entries/${e.id}/score`, { values: { content: 60, writing: 40 }, baseVersion: 2 }, { 'idempotency-key': key() })).status).toBe(409);
    const contest = (await run.org.get(run.base)).body;
    expect((await run.org.patch(run.base, { version: contest.version, settings: { tiePolicy: 'exclude' } })).status).toBe(409);
    expect((await setStatus(run, 'judging')).status).toBe(409);
    expect(await snapshot(t.conn)).toBe(before);
    const csv = await run.org.get(`${run.base}/results/export?format=csv`);
    expect(csv.headers.get('content-disposition')).toContain('results-published.csv');
    expect(String(csv.body)).toContain('R01');
  });
});

describe('publication that cannot complete', () => {
  it('leaves no snapshot behind when the status change is refused', async () => {
    const run = await contestInJudging();
    expect((await setStatus(run, 'review')).status).toBe(200);
    const contest = (await run.org.get(run.base)).body;
    // A stale version: the snapshot is made first, then taken back when the status change is refused.
    const r = await run.org.post(`${run.base}/status`, { status: 'published', version: contest.version - 1 });
    expect(r.status).toBe(409);
    expect(await t.ctx.models.ResultSnapshot.countDocuments({ contestId: run.contestId })).toBe(0);
    expect(await t.ctx.models.ResultRow.countDocuments({ contestId: run.contestId })).toBe(0);
    expect((await t.client().get(`/api/public/contests/${run.contestId}/winners`)).status).toBe(404);
    expect((await setStatus(run, 'published')).status).toBe(200);
  }, 60_000);
});
