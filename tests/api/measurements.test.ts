// Skills-contest marking through the API: recorders enter measured values (once, or twice by two recorders who
// must agree), organizers decide disagreements, results combine judges' marks with measured points, and the
// venue scoreboard shows measured totals before judges' marks are released.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { measurementPoints } from '@pingxuan/shared';
import { snapshot, startTestApp, type Client, type TestApp } from './harness.js';

let t: TestApp;
let seq = 0;
const uniq = (p: string) => `${p}-${++seq}`;
const key = () => `k-${new Types.ObjectId().toHexString()}`;
const j = (b: unknown) => JSON.stringify(b);

// A welding contest: one judged criterion, three measured ones (time, a pass/fail check, a count of defects).
const RUBRIC = [
  { id: 'craft', name: { zh: '工艺', en: 'Craft' }, weight: 40, maxScore: 40, step: 1 },
  {
    id: 'time',
    name: { zh: '用时（秒）', en: 'Time (s)' },
    weight: 30,
    maxScore: 30,
    step: 1,
    kind: 'measurement',
    rule: { type: 'linear', best: 60, worst: 180 },
  },
  {
    id: 'leak',
    name: { zh: '气密检测', en: 'Leak test' },
    weight: 10,
    maxScore: 10,
    step: 1,
    kind: 'measurement',
    rule: { type: 'passFail' },
  },
  {
    id: 'defects',
    name: { zh: '缺陷数', en: 'Defects' },
    weight: 20,
    maxScore: 20,
    step: 1,
    kind: 'measurement',
    rule: {
      type: 'bands',
      bands: [
        { max: 1, points: 20 },
        { min: 1, max: 3, points: 10 },
        { min: 3, points: 0 },
      ],
    },
  },
];
const ENTRIES = [
  ['W01', '赵师傅', '第一技校', '焊接A站'],
  ['W02', '钱师傅', '第二技校', '焊接A站'],
  ['W03', '孙师傅', '第一技校', '焊接B站'],
];
const TEACHERS = ENTRIES.map((e) => e[1]!);

type Setup = Awaited<ReturnType<typeof skillsContest>>;

/** A contest set up the way an organizer does it, in judging, with two judges, three recorders and members of every other kind. */
async function skillsContest() {
  const org = await t.signedIn(uniq('admin'), { isAdmin: true });
  const created = await org.post('/api/contests', {
    name: '市职工焊工技能比赛',
    categories: [
      { id: 'station-a', name: { zh: '焊接A站', en: 'Station A' } },
      { id: 'station-b', name: { zh: '焊接B站', en: 'Station B' } },
    ],
    rounds: [{ id: 'main', name: { zh: '决赛' } }],
    settings: {
      aggregation: { method: 'mean', trim: 0, normalization: 'none', minJudges: 2 },
      tiers: [{ id: 'first', name: { zh: '一等奖' }, quota: 1 }],
      bootstrapSamples: 0,
    },
  });
  expect(created.status, j(created.body)).toBe(201);
  const contestId: string = created.body.id;
  const base = `/api/contests/${contestId}`;
  const put = await org.put(`${base}/rounds/main/rubric`, { criteria: RUBRIC });
  expect(put.status, j(put.body)).toBe(201);

  const csv = [
    '作品编号,教师姓名,学校,组别,作品名称',
    ...ENTRIES.map(([c, n, s, g]) => `${c},${n},${s},${g},${c} 焊件`),
  ].join('\n');
  const fd = new FormData();
  fd.append('file', new Blob([csv], { type: 'text/csv' }), 'entries.csv');
  const imported = await org.post(`${base}/entries/import`, fd);
  expect(imported.status, j(imported.body)).toBe(201);
  const list: { id: string; code: string }[] = (await org.get(`${base}/entries`)).body.entries;
  const entry = Object.fromEntries(list.map((e) => [e.code, e.id])) as Record<string, string>;

  const judges: { id: string; client: Client }[] = [];
  for (let i = 0; i < 2; i++) {
    const username = uniq('judge');
    const client = await t.signedIn(username);
    const r = await org.post(`${base}/judges`, { name: `评委${i + 1}`, username, school: '市技能中心' });
    expect(r.status, j(r.body)).toBe(201);
    judges.push({ id: r.body.id, client });
  }
  await t.ctx.models.Assignment.insertMany(
    judges.flatMap((jd, ji) =>
      list.map((e, ei) => ({ contestId, roundId: 'main', entryId: e.id, judgeId: jd.id, order: ei + ji })),
    ),
  );
  const member = async (role: string) => {
    const username = uniq(role);
    const client = await t.signedIn(username);
    const r = await org.post(`${base}/members`, { username, role });
    expect(r.status, j(r.body)).toBe(201);
    return client;
  };
  const recorders = [await member('recorder'), await member('recorder'), await member('recorder')];
  const teacher = await member('teacher');
  const outsider = await t.signedIn(uniq('outsider'));
  const setStatus = async (status: string) => {
    const { version } = (await org.get(base)).body;
    const r = await org.post(`${base}/status`, { status, version });
    expect(r.status, j(r.body)).toBe(200);
  };
  await setStatus('judging');
  const settings = async (patch: Record<string, unknown>) => {
    const { version } = (await org.get(base)).body;
    const r = await org.patch(base, { version, settings: patch });
    expect(r.status, j(r.body)).toBe(200);
    return r.body;
  };
  return { org, contestId, base, entry, judges, recorders, teacher, outsider, setStatus, settings };
}

const cell = (s: Setup, code: string, criterion: string) =>
  `${s.base}/measurements/${s.entry[code]}/${criterion}`;

/** The recorder's current version of a cell, as their screen would show it. */
async function versionOf(s: Setup, recorder: Client, code: string, criterion: string): Promise<number> {
  const r = await recorder.get(`${s.base}/recording`);
  expect(r.status, j(r.body)).toBe(200);
  return r.body.entries.find((e: { code: string }) => e.code === code).cells[criterion].version;
}

async function record(
  s: Setup,
  recorder: Client,
  code: string,
  criterion: string,
  value: unknown,
  baseVersion?: number,
) {
  const v = baseVersion ?? (await versionOf(s, recorder, code, criterion));
  return recorder.put(cell(s, code, criterion), { value, baseVersion: v }, { 'idempotency-key': key() });
}

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('measurement criteria in the rubric and in judging', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await skillsContest();
  }, 60_000);

  it('gives a rubric with both kinds back as it was put, with each kind and rule', async () => {
    const r = await s.org.get(`${s.base}/rounds/main/rubric`);
    expect(r.status).toBe(200);
    const criteria = r.body.criteria.map((c: Record<string, unknown>) => {
      const { description: _d, ...rest } = c;
      return rest;
    });
    expect(criteria).toEqual(RUBRIC);
    expect(r.body.weightSum).toBe(100);
  });

  it('never shows judges a measurement criterion, nor lets them score one', async () => {
    const judge = s.judges[0]!.client;
    const list = await judge.get(`${s.base}/judging`);
    expect(list.status).toBe(200);
    expect(list.body.rubric.criteria.map((c: { id: string }) => c.id)).toEqual(['craft']);
    const one = await judge.get(`${s.base}/judging/entries/${s.entry.W01}`);
    expect(one.body.rubric.criteria.map((c: { id: string }) => c.id)).toEqual(['craft']);

    const before = await snapshot(t.conn);
    const bad = await judge.put(
      `${s.base}/judging/entries/${s.entry.W01}/score`,
      { values: { craft: 30, time: 100 }, baseVersion: 0 },
      { 'idempotency-key': key() },
    );
    expect(bad.status, j(bad.body)).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['body.values.time']);
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('lets a judge submit with the judgement criteria alone', async () => {
    for (const [i, jd] of s.judges.entries()) {
      const saved = await jd.client.put(
        `${s.base}/judging/entries/${s.entry.W01}/score`,
        { values: { craft: 30 + 4 * i }, baseVersion: 0 },
        { 'idempotency-key': key() },
      );
      expect(saved.status, j(saved.body)).toBe(200);
      const sub = await jd.client.post(
        `${s.base}/judging/entries/${s.entry.W01}/submit`,
        { baseVersion: saved.body.version },
        { 'idempotency-key': key() },
      );
      expect(sub.status, j(sub.body)).toBe(200);
      expect(sub.body.status).toBe('submitted');
    }
  });
});

describe('recording measured values', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await skillsContest();
  }, 60_000);

  it("gives a recorder the round's entries by code with the measurement criteria and their rules, and no names", async () => {
    const r = await s.recorders[0]!.get(`${s.base}/recording`);
    expect(r.status, j(r.body)).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body.doubleEntry).toBe(false);
    expect(r.body.criteria.map((c: { id: string; rule: { type: string } }) => [c.id, c.rule.type])).toEqual([
      ['time', 'linear'],
      ['leak', 'passFail'],
      ['defects', 'bands'],
    ]);
    expect(r.body.entries.map((e: { code: string; category: string }) => [e.code, e.category])).toEqual([
      ['W01', 'station-a'],
      ['W02', 'station-a'],
      ['W03', 'station-b'],
    ]);
    expect(r.body.entries[0].cells.time).toEqual({ status: null, version: 0, own: null, value: null });
    const text = j(r.body);
    for (const name of [...TEACHERS, '第一技校', '焊件']) expect(text).not.toContain(name);
  });

  it('counts a single-entry value at once, and audits it', async () => {
    const r = await record(s, s.recorders[0]!, 'W01', 'time', 120, 0);
    expect(r.status, j(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: 'recorded', version: 1, value: 120, own: { value: 120 } });
    const listed = await s.org.get(`${s.base}/measurements`);
    expect(listed.status).toBe(200);
    expect(listed.body.measurements).toHaveLength(1);
    expect(listed.body.measurements[0]).toMatchObject({
      code: 'W01',
      criterionId: 'time',
      status: 'recorded',
      value: 120,
      readings: [{ value: 120 }],
    });
    expect(listed.body.counts).toMatchObject({ recorded: 1, missing: 3 * 3 - 1 });
    const audit = await s.org.get(`${s.base}/audit?action=measurement.record`);
    expect(audit.body.events).toHaveLength(1);
    expect(audit.body.events[0]).toMatchObject({
      before: null,
      after: { code: 'W01', value: 120, status: 'recorded' },
    });
  });

  it('lets a recorder correct a value from the version they saw, and refuses a stale one with 409', async () => {
    const stale = await record(s, s.recorders[1]!, 'W01', 'time', 110, 0);
    expect(stale.status, j(stale.body)).toBe(409);
    expect(stale.body.error.current).toMatchObject({ version: 1, value: 120 });
    const fixed = await record(s, s.recorders[1]!, 'W01', 'time', 110, 1);
    expect(fixed.status, j(fixed.body)).toBe(200);
    expect(fixed.body).toMatchObject({ status: 'recorded', version: 2, value: 110 });
    // The first recorder's sheet shows the value that counts, not a reading of their own any more.
    const sheet = await s.recorders[0]!.get(`${s.base}/recording`);
    expect(sheet.body.entries[0].cells.time).toMatchObject({
      status: 'recorded',
      version: 2,
      own: null,
      value: 110,
    });
  });

  it('answers a retried write with the same answer, and refuses the key for another write', async () => {
    const k = key();
    const path = cell(s, 'W02', 'leak');
    const first = await s.recorders[0]!.put(path, { value: 1, baseVersion: 0 }, { 'idempotency-key': k });
    expect(first.status, j(first.body)).toBe(200);
    const again = await s.recorders[0]!.put(path, { value: 1, baseVersion: 0 }, { 'idempotency-key': k });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await s.recorders[0]!.put(path, { value: 0, baseVersion: 1 }, { 'idempotency-key': k });
    expect(other.status).toBe(422);
    const doc = await t.ctx.models.Measurement.findOne({ entryId: s.entry.W02, criterionId: 'leak' }).lean();
    expect(doc).toMatchObject({ version: 1, value: 1 });
  });

  it('refuses values the rule cannot take with 400 naming body.value, changing nothing', async () => {
    const before = await snapshot(t.conn);
    const cases: [string, unknown][] = [
      ['leak', 2],
      ['leak', 0.5],
      ['time', 'fast'],
      ['defects', null],
    ];
    for (const [criterion, value] of cases) {
      const r = await record(s, s.recorders[0]!, 'W03', criterion, value, 0);
      expect(r.status, `${criterion}=${j(value)}: ${j(r.body)}`).toBe(400);
      expect(r.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['body.value']);
    }
    const noVersion = await s.recorders[0]!.put(cell(s, 'W03', 'time'), { value: 90 });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['body.baseVersion']);
    const badKey = await s.recorders[0]!.put(
      cell(s, 'W03', 'time'),
      { value: 90, baseVersion: 0 },
      { 'idempotency-key': 'short' },
    );
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.fields.map((f: { path: string }) => f.path)).toEqual([
      'headers.idempotency-key',
    ]);
    // Criteria that are not measured, and entries that are not in the contest, are not there to record.
    expect((await record(s, s.recorders[0]!, 'W03', 'craft', 30, 0)).status).toBe(404);
    expect((await record(s, s.recorders[0]!, 'W03', 'speed', 30, 0)).status).toBe(404);
    const nowhere = await s.recorders[0]!.put(
      `${s.base}/measurements/${new Types.ObjectId().toHexString()}/time`,
      { value: 90, baseVersion: 0 },
    );
    expect(nowhere.status).toBe(404);
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('keeps every route to its role', async () => {
    const path = cell(s, 'W03', 'time');
    const body = { value: 90, baseVersion: 0 };
    const before = await snapshot(t.conn);
    for (const c of [s.teacher, s.judges[0]!.client, s.outsider, s.org]) {
      expect((await c.get(`${s.base}/recording`)).status).toBe(403);
      expect((await c.put(path, body)).status).toBe(403);
    }
    expect((await t.client().get(`${s.base}/recording`)).status).toBe(401);
    expect((await t.client().put(path, body)).status).toBe(401);
    for (const c of [s.recorders[0]!, s.teacher, s.judges[0]!.client, s.outsider]) {
      expect((await c.get(`${s.base}/measurements`)).status).toBe(403);
      expect((await c.post(`${path}/resolve`, { value: 90, reason: '复测', version: 0 })).status).toBe(403);
    }
    expect((await t.client().get(`${s.base}/measurements`)).status).toBe(401);
    const badQuery = await s.org.get(`${s.base}/measurements?status=lost`);
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['query.status']);
    expect(await snapshot(t.conn)).toBe(before);
    // A recorder may read the contest itself (its name for the screen), not its settings.
    const contest = await s.recorders[0]!.get(s.base);
    expect(contest.status).toBe(200);
    expect(contest.body.roles).toEqual(['recorder']);
    expect(contest.body.settings).toBeUndefined();
  });

  it('takes no measurement once judging is over, while the organizer can still decide one in review', async () => {
    await s.setStatus('review');
    const r = await record(s, s.recorders[0]!, 'W03', 'time', 90, 0);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('contest_not_judging');
    const resolved = await s.org.post(`${cell(s, 'W03', 'time')}/resolve`, {
      value: 90,
      reason: '录入遗漏，按现场记录表补录',
      version: 0,
    });
    expect(resolved.status, j(resolved.body)).toBe(200);
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      value: 90,
      readings: [],
      resolution: { value: 90 },
    });
  });
});

describe('double entry', () => {
  let s: Setup;
  const [A, B, C] = [0, 1, 2];
  beforeAll(async () => {
    s = await skillsContest();
    const updated = await s.settings({ measurementDoubleEntry: true });
    expect(updated.settings.measurementDoubleEntry).toBe(true);
  }, 60_000);

  it('counts a value only once a second recorder enters the same one', async () => {
    const first = await record(s, s.recorders[A]!, 'W01', 'time', 100);
    expect(first.body).toMatchObject({ status: 'pending', value: null, own: { value: 100 } });
    // A recorder's second reading replaces their own: it is still one reading.
    const again = await record(s, s.recorders[A]!, 'W01', 'time', 96);
    expect(again.body).toMatchObject({ status: 'pending', value: null, own: { value: 96 } });
    // Blind: the second recorder sees neither the first reading nor a value.
    const sheet = await s.recorders[B]!.get(`${s.base}/recording`);
    expect(sheet.body.doubleEntry).toBe(true);
    expect(sheet.body.entries[0].cells.time).toMatchObject({ status: 'pending', own: null, value: null });
    // No number 96 anywhere (ids are quoted hex and may hold the digits "96").
    expect(j(sheet.body)).not.toMatch(/[:,[]96(?:\.0+)?[,}\]]/);
    const second = await record(s, s.recorders[B]!, 'W01', 'time', 96);
    expect(second.status, j(second.body)).toBe(200);
    expect(second.body).toMatchObject({ status: 'agreed', value: 96 });
    const listed = await s.org.get(`${s.base}/measurements?status=agreed`);
    expect(listed.body.measurements).toHaveLength(1);
    expect(listed.body.measurements[0].readings.map((r: { value: number }) => r.value)).toEqual([96, 96]);
    expect(listed.body.measurements[0].value).toBe(96);
  });

  it('shows a disagreement to the organizer, counts nothing, and turns away a third recorder', async () => {
    expect((await record(s, s.recorders[A]!, 'W01', 'defects', 2)).body.status).toBe('pending');
    const differ = await record(s, s.recorders[B]!, 'W01', 'defects', 3);
    expect(differ.body).toMatchObject({ status: 'disagreement', value: null });
    const listed = await s.org.get(`${s.base}/measurements?status=disagreement`);
    expect(listed.status).toBe(200);
    expect(listed.body.measurements).toHaveLength(1);
    expect(listed.body.measurements[0]).toMatchObject({
      code: 'W01',
      criterionId: 'defects',
      value: null,
      status: 'disagreement',
    });
    expect(listed.body.measurements[0].readings.map((r: { value: number }) => r.value)).toEqual([2, 3]);
    expect(listed.body.counts).toMatchObject({ agreed: 1, disagreement: 1 });

    const before = await snapshot(t.conn);
    const third = await record(s, s.recorders[C]!, 'W01', 'defects', 2);
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe('measurement_full');
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('lets a recorder correct their own reading into agreement', async () => {
    expect((await record(s, s.recorders[A]!, 'W02', 'leak', 1)).body.status).toBe('pending');
    expect((await record(s, s.recorders[B]!, 'W02', 'leak', 0)).body.status).toBe('disagreement');
    const fixed = await record(s, s.recorders[B]!, 'W02', 'leak', 1);
    expect(fixed.body).toMatchObject({ status: 'agreed', value: 1 });
  });

  it('lets the organizer decide a disagreement, with a reason, after which recorders cannot change it', async () => {
    const listed = await s.org.get(`${s.base}/measurements?status=disagreement`);
    const m = listed.body.measurements[0];
    const path = `${cell(s, 'W01', 'defects')}/resolve`;
    const invalid = await s.org.post(path, { value: -0.5, reason: '', version: m.version });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['body.reason']);
    const leak = await s.org.post(`${cell(s, 'W02', 'leak')}/resolve`, {
      value: 3,
      reason: '复核',
      version: 2,
    });
    expect(leak.status).toBe(400);
    expect(leak.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['body.value']);
    const stale = await s.org.post(path, { value: 2, reason: '复核', version: m.version - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current).toMatchObject({ status: 'disagreement', version: m.version });

    const ok = await s.org.post(path, { value: 2, reason: '裁判长复核焊件，缺陷2处', version: m.version });
    expect(ok.status, j(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({
      status: 'resolved',
      value: 2,
      version: m.version + 1,
      resolution: { value: 2, reason: '裁判长复核焊件，缺陷2处' },
    });
    expect(ok.body.readings.map((r: { value: number }) => r.value)).toEqual([2, 3]);

    const locked = await record(s, s.recorders[B]!, 'W01', 'defects', 2);
    expect(locked.status).toBe(409);
    expect(locked.body.error.code).toBe('measurement_resolved');

    const audit = await s.org.get(`${s.base}/audit?action=measurement.resolve`);
    expect(audit.body.events).toHaveLength(1);
    expect(audit.body.events[0]).toMatchObject({
      before: { status: 'disagreement', value: null },
      after: { status: 'resolved', value: 2, reason: '裁判长复核焊件，缺陷2处' },
    });
  });
});

describe('results and the venue scoreboard', () => {
  let s: Setup;
  const craft = [30, 34];
  // W01 gets every value, W02 all but the defects count, W03 everything too (it has one judge only).
  const VALUES: Record<string, Record<string, number>> = {
    W01: { time: 120, leak: 1, defects: 2 },
    W02: { time: 60, leak: 1 },
    W03: { time: 180, leak: 0, defects: 0 },
  };
  beforeAll(async () => {
    s = await skillsContest();
    for (const [code, values] of Object.entries(VALUES))
      for (const [criterion, value] of Object.entries(values)) {
        const r = await record(s, s.recorders[0]!, code, criterion, value);
        expect(r.status, j(r.body)).toBe(200);
      }
    for (const [ji, jd] of s.judges.entries())
      for (const code of ['W01', 'W02', 'W03']) {
        if (code === 'W03' && ji > 0) continue;
        const saved = await jd.client.put(
          `${s.base}/judging/entries/${s.entry[code]}/score`,
          { values: { craft: craft[ji]! }, baseVersion: 0 },
          { 'idempotency-key': key() },
        );
        expect(saved.status, j(saved.body)).toBe(200);
        const sub = await jd.client.post(
          `${s.base}/judging/entries/${s.entry[code]}/submit`,
          { baseVersion: saved.body.version },
          { 'idempotency-key': key() },
        );
        expect(sub.status, j(sub.body)).toBe(200);
      }
  }, 60_000);

  const measuredPart = (values: Record<string, number>) => {
    type Measured = Parameters<typeof measurementPoints>[0] & { id: string; weight: number };
    const measured = RUBRIC.filter((c) => c.kind === 'measurement') as Measured[];
    const ws = measured.reduce((a, c) => a + c.weight, 0);
    return (
      (100 *
        measured.reduce(
          (a, c) => a + (c.weight * (measurementPoints(c, values[c.id] ?? NaN) ?? 0)) / c.maxScore,
          0,
        )) /
      ws
    );
  };

  it('combines judges and measurements by their weights, and leaves an entry with a missing value incomplete', async () => {
    const r = await s.org.get(`${s.base}/results`);
    expect(r.status, j(r.body)).toBe(200);
    const byCode = Object.fromEntries(r.body.entries.map((e: { code: string }) => [e.code, e])) as Record<
      string,
      { score: number | null; rank: number | null; flags: string[]; criteria: Record<string, number | null> }
    >;
    // W01: time 120 s is halfway from 180 to 60 (15 of 30), the leak test passes (10 of 10), 2 defects earn 10 of 20:
    // measured part 100 * (15 + 10 + 10) / 60; judges 75 and 85 on the 0-100 scale, mean 80; weights 40 judged, 60 measured.
    const measured = (100 * (15 + 10 + 10)) / 60;
    expect(measuredPart(VALUES.W01!)).toBeCloseTo(measured, 12);
    const expected = (40 * 80 + 60 * measured) / 100;
    expect(byCode.W01!.score).toBeCloseTo(expected, 9);
    expect(byCode.W01!.score).toBeCloseTo(67, 9);
    expect(byCode.W01!.criteria).toEqual({ craft: 32, time: 15, leak: 10, defects: 10 });
    expect(byCode.W01!.rank).toBe(1);
    expect(byCode.W01!.flags).not.toContain('incomplete');
    // W02 lacks its defects count: no score, no rank, flagged.
    expect(byCode.W02!).toMatchObject({ score: null, rank: null });
    expect(byCode.W02!.flags).toContain('incomplete');
    expect(byCode.W02!.criteria).toMatchObject({ time: 30, leak: 10, defects: null });
    // W03 has every value but one judge of the two needed.
    expect(byCode.W03!.rank).toBeNull();
    expect(byCode.W03!.flags).toContain('incomplete');
    expect(
      r.body.summary.criteria.map((c: { id: string; kind?: string }) => [c.id, c.kind ?? 'judgement']),
    ).toEqual([
      ['craft', 'judgement'],
      ['time', 'measurement'],
      ['leak', 'measurement'],
      ['defects', 'measurement'],
    ]);
  });

  it('counts a double-entry value in the results only once the recorders agree', async () => {
    await s.settings({ measurementDoubleEntry: true });
    const first = await record(s, s.recorders[1]!, 'W02', 'defects', 0);
    expect(first.body.status).toBe('pending');
    const pending = await s.org.get(`${s.base}/results`);
    const w02 = () => pending.body.entries.find((e: { code: string }) => e.code === 'W02');
    expect(w02().score).toBeNull();
    const second = await record(s, s.recorders[2]!, 'W02', 'defects', 0);
    expect(second.body.status).toBe('agreed');
    const agreed = await s.org.get(`${s.base}/results`);
    const row = agreed.body.entries.find((e: { code: string }) => e.code === 'W02');
    expect(row.flags).not.toContain('incomplete');
    expect(row.score).toBeCloseTo((40 * 80 + 60 * 100) / 100, 9);
    expect(row.rank).toBe(1);
  });

  it('keeps the scoreboard hidden until the organizer turns it on', async () => {
    const path = `/api/public/contests/${s.contestId}/scoreboard`;
    expect((await t.client().get(path)).status).toBe(404);
    expect(
      (await t.client().get(`/api/public/contests/${new Types.ObjectId().toHexString()}/scoreboard`)).status,
    ).toBe(404);
    await s.settings({ scoreboard: { enabled: true } });
    const r = await t.client().get(path);
    expect(r.status, j(r.body)).toBe(200);
    expect(r.body.judgementReleased).toBe(false);
    expect(r.body.criteria.map((c: { id: string }) => c.id)).toEqual(['time', 'leak', 'defects']);
    expect(
      r.body.stations.map((st: { id: string; entries: { code: string }[] }) => [
        st.id,
        st.entries.map((e) => e.code),
      ]),
    ).toEqual([
      ['station-a', ['W02', 'W01']],
      ['station-b', ['W03']],
    ]);
    const w01 = r.body.stations[0].entries[1];
    expect(w01).toMatchObject({ code: 'W01', points: { time: 15, leak: 10, defects: 10 }, counted: 3 });
    expect(w01.measured).toBeCloseTo(measuredPart(VALUES.W01!), 9);
    expect(w01.total).toBe(w01.measured);
    // Judges' marks stay off the screen, and so do teachers' names before publication.
    const text = j(r.body);
    expect(text).not.toMatch(/"judged"|"craft"/);
    for (const name of TEACHERS) expect(text).not.toContain(name);
  });

  it('shows a value not yet agreed as nothing, and the provisional total as values count', async () => {
    const r1 = await record(s, s.recorders[1]!, 'W03', 'time', 60);
    expect(r1.body.status).toBe('disagreement'); // recorder 0 entered 180 under single entry
    const board = await t.client().get(`/api/public/contests/${s.contestId}/scoreboard`);
    const w03 = board.body.stations[1].entries[0];
    expect(w03).toMatchObject({ code: 'W03', points: { time: null, leak: 0, defects: 20 }, counted: 2 });
    expect(w03.measured).toBeCloseTo((100 * 20) / 60, 9);
  });

  it("adds the judges' part once released, the same total as the results", async () => {
    await s.settings({ scoreboard: { enabled: true, judgementReleased: true } });
    const board = await t.client().get(`/api/public/contests/${s.contestId}/scoreboard`);
    expect(board.status).toBe(200);
    expect(board.body.judgementReleased).toBe(true);
    expect(board.body.criteria.map((c: { id: string; kind: string }) => `${c.kind}:${c.id}`)).toEqual([
      'judgement:craft',
      'measurement:time',
      'measurement:leak',
      'measurement:defects',
    ]);
    const results = await s.org.get(`${s.base}/results`);
    const score = (code: string) => results.body.entries.find((e: { code: string }) => e.code === code).score;
    const entries = board.body.stations.flatMap((st: { entries: unknown[] }) => st.entries) as {
      code: string;
      judged: number | null;
      total: number | null;
    }[];
    const w01 = entries.find((e) => e.code === 'W01')!;
    expect(w01.judged).toBeCloseTo(80, 9);
    expect(w01.total).toBeCloseTo(score('W01'), 9);
    expect(entries.find((e) => e.code === 'W02')!.total).toBeCloseTo(score('W02'), 9);
    // W03 has one judge's mark (a provisional 75) and its time still disputed (0 for now).
    const w03 = entries.find((e) => e.code === 'W03')!;
    expect(w03.judged).toBeCloseTo(75, 9);
    expect(w03.total).toBeCloseTo((40 * 75 + (60 * 100 * 20) / 60) / 100, 9);
    expect(board.body.stations[0].entries.map((e: { code: string }) => e.code)).toEqual(['W02', 'W01']);
  });

  it('turns the scoreboard off again for everyone', async () => {
    await s.settings({ scoreboard: { enabled: false, judgementReleased: true } });
    expect((await t.client().get(`/api/public/contests/${s.contestId}/scoreboard`)).status).toBe(404);
    expect((await s.org.get(`/api/public/contests/${s.contestId}/scoreboard`)).status).toBe(404);
  });
});
