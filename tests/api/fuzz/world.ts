// The world the fuzzer attacks: four small contests set up through the API the way organizers do it (one
// published with feedback links, one in judging, one still in draft, and a skills contest in judging with
// measured criteria, a recorded value and the venue scoreboard on), six personas (a recorder and a school
// organizer among them, members of every contest), and a raw dump to put everything back.
import { expect } from 'vitest';
import sharp from 'sharp';
import { Types, type Connection } from 'mongoose';
import type { Client, TestApp } from '../harness.js';
import type { Dictionary } from './zod-arbitrary.js';

export const PERSONAS = ['admin', 'organizer', 'judge', 'anonymous', 'recorder', 'schoolOrganizer'] as const;
export type Persona = (typeof PERSONAS)[number];

export type ContestIds = {
  id: string;
  rounds: string[];
  /** Criteria a path's :criterionId names: the measured ones where the rubric has any, else all. */
  criteria: string[];
  entries: { id: string; code: string; photos: string[] }[];
  judges: string[];
  panels: string[];
  memberships: string[];
  scores: string[];
  tokens: string[];
};

export type World = {
  contests: ContestIds[];
  /** Per contest, the same index: its own ids and entry codes, so a body names things of the path's contest. */
  dicts: Dictionary[];
  dict: Dictionary;
  usernames: Record<Exclude<Persona, 'anonymous'>, string>;
  /** A small real JPEG, for uploads that should get through. */
  jpeg: Buffer;
};

const RUBRIC = [
  { id: 'content', name: { zh: '内容', en: 'Content' }, weight: 60, maxScore: 60, step: 1 },
  { id: 'writing', name: { zh: '书写', en: 'Writing' }, weight: 40, maxScore: 40, step: 0.5 },
];
/** The skills contest's rubric: the judged criteria above and two measured ones recorders enter. */
const MEASURED = [
  {
    id: 'time',
    name: { zh: '用时（秒）', en: 'Time (s)' },
    weight: 20,
    maxScore: 20,
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
];
/** The school of the school organizer: entries 1 and 3 of every contest (the first with a photo). */
export const SCHOOL = '学校1';

const ok = (r: { status: number; body: unknown }, status: number, what: string) =>
  expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBe(status);
const key = () => `fz-${new Types.ObjectId().toHexString()}`;

type Stage = 'draft' | 'judging' | 'published' | 'skills';

async function contest(
  admin: Client,
  judge: Client,
  recorder: Client,
  usernames: World['usernames'],
  name: string,
  stage: Stage,
  jpeg: Buffer,
  t: TestApp,
) {
  const publish = stage === 'published';
  const skills = stage === 'skills';
  const judgeUsername = usernames.judge;
  const created = await admin.post('/api/contests', {
    name,
    categories: [
      { id: 'primary', name: { zh: '小学组', en: 'Primary' } },
      { id: 'secondary', name: { zh: '中学组', en: 'Secondary' } },
    ],
    subjects: [{ id: 'math', name: { zh: '数学' } }],
    rounds: [{ id: 'main', name: { zh: '区级评审' } }],
    settings: {
      aggregation: { method: 'mean', trim: 0, normalization: 'none', minJudges: 2 },
      tiers: [
        { id: 'first', name: { zh: '一等奖', en: 'First prize' }, quota: 1 },
        { id: 'second', name: { zh: '二等奖', en: 'Second prize' }, quota: 1 },
      ],
      bootstrapSamples: 20,
      ...(skills ? { scoreboard: { enabled: true, judgementReleased: false } } : {}),
    },
  });
  ok(created, 201, 'create contest');
  const id: string = created.body.id;
  const base = `/api/contests/${id}`;
  ok(
    await admin.put(`${base}/rounds/main/rubric`, { criteria: skills ? [...RUBRIC, ...MEASURED] : RUBRIC }),
    201,
    'rubric',
  );
  const prefix = { draft: 'D', judging: 'J', published: 'P', skills: 'S' }[stage];
  const csv = [
    '作品编号,教师姓名,学校,组别,学科,作品名称',
    ...[1, 2, 3, 4].map(
      (i) => `${prefix}0${i},教师${i},学校${i % 2},${i % 2 ? '小学组' : '中学组'},math,板书${i}`,
    ),
  ].join('\n');
  const fd = new FormData();
  fd.append('file', new Blob([csv], { type: 'text/csv' }), 'entries.csv');
  ok(await admin.post(`${base}/entries/import`, fd), 201, 'import');
  const entries: { id: string; code: string }[] = (await admin.get(`${base}/entries`)).body.entries;
  for (const e of entries.slice(0, 2)) {
    const pf = new FormData();
    pf.append('photos', new Blob([jpeg as unknown as ArrayBuffer]), `${e.code}.jpg`);
    ok(await admin.post(`${base}/entries/${e.id}/photos`, pf), 201, 'photo');
  }
  for (const [username, role, school] of [
    [usernames.organizer, 'organizer'],
    [usernames.recorder, 'recorder'],
    [usernames.schoolOrganizer, 'schoolOrganizer', SCHOOL],
  ])
    ok(
      await admin.post(`${base}/members`, { username, role, ...(school ? { school } : {}) }),
      201,
      `${role} member`,
    );
  const panel = await admin.post(`${base}/panels`, { name: '第一组', category: 'primary' });
  ok(panel, 201, 'panel');
  const judges: { id: string; client: Client }[] = [];
  for (const [i, username] of [judgeUsername, `${prefix.toLowerCase()}-judge2`].entries()) {
    const client = i === 0 ? judge : await t.signedIn(username);
    const r = await admin.post(`${base}/judges`, {
      name: `评委${i + 1}`,
      username,
      school: '教研室',
      panelId: i === 0 ? panel.body.id : null,
    });
    ok(r, 201, 'judge');
    judges.push({ id: r.body.id, client });
  }
  ok(
    await admin.post(`${base}/assignments`, { scope: 'pool', judgesPerEntry: 2, seed: 7 }),
    201,
    'assignments',
  );
  let current = await admin.get(base);
  const criteria = (skills ? MEASURED : RUBRIC).map((c) => c.id);
  if (stage === 'draft') return ids(t, id, criteria, judges, panel.body.id, []);
  ok(
    await admin.post(`${base}/status`, { status: 'judging', version: current.body.version }),
    200,
    'to judging',
  );
  // Published contest: every entry scored by both judges. Judging contest: one draft, one submitted.
  const todo = publish
    ? entries.flatMap((e) => judges.map((j) => [e, j] as const))
    : [[entries[0]!, judges[0]!] as const, [entries[1]!, judges[0]!] as const];
  for (const [n, [e, j]] of todo.entries()) {
    const values = { content: 40 - n, writing: 30 - (n % 3) / 2 };
    const saved = await j.client.put(
      `${base}/judging/entries/${e.id}/score`,
      { values, comment: `评语${n}`, baseVersion: 0 },
      { 'idempotency-key': key() },
    );
    ok(saved, 200, 'score');
    if (publish || n === 1)
      ok(
        await j.client.post(
          `${base}/judging/entries/${e.id}/submit`,
          { baseVersion: saved.body.version },
          { 'idempotency-key': key() },
        ),
        200,
        'submit',
      );
  }
  const links = await admin.post(`${base}/entries/feedback-links`, {});
  ok(links, 201, 'feedback links');
  const tokens: string[] = links.body.links.map((l: { url: string }) => l.url.split('/feedback/')[1]!);
  if (publish) {
    for (const status of ['review', 'published']) {
      current = await admin.get(base);
      ok(await admin.post(`${base}/status`, { status, version: current.body.version }), 200, `to ${status}`);
    }
  }
  // One measured value entered, so the organizer's list and the recorder's sheet have something in them.
  if (skills)
    ok(
      await recorder.put(
        `${base}/measurements/${entries[0]!.id}/time`,
        { value: 95, baseVersion: 0 },
        { 'idempotency-key': key() },
      ),
      200,
      'measurement',
    );
  return ids(t, id, criteria, judges, panel.body.id, tokens);
}

async function ids(
  t: TestApp,
  id: string,
  criteria: string[],
  judges: { id: string }[],
  panelId: string,
  tokens: string[],
): Promise<ContestIds> {
  const m = t.ctx.models;
  const docs = await m.Entry.find({ contestId: id }).lean();
  return {
    id,
    rounds: ['main'],
    criteria,
    entries: docs.map((e: any) => ({
      id: String(e._id),
      code: e.code,
      photos: (e.photos ?? []).map((p: any) => String(p.id ?? p._id)),
    })),
    judges: judges.map((j) => j.id),
    panels: [String(panelId)],
    memberships: (await m.Membership.find({ contestId: id }).lean()).map((x: any) => String(x._id)),
    scores: (await m.Score.find({ contestId: id }).lean()).map((x: any) => String(x._id)),
    tokens,
  };
}

export async function buildWorld(t: TestApp): Promise<{ world: World; clients: Record<Persona, Client> }> {
  const usernames = {
    admin: 'fz-admin',
    organizer: 'fz-organizer',
    judge: 'fz-judge',
    recorder: 'fz-recorder',
    schoolOrganizer: 'fz-school',
  };
  const admin = await t.signedIn(usernames.admin, { isAdmin: true });
  const organizer = await t.signedIn(usernames.organizer);
  const judge = await t.signedIn(usernames.judge);
  const recorder = await t.signedIn(usernames.recorder);
  const schoolOrganizer = await t.signedIn(usernames.schoolOrganizer);
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#1f4a3a' } })
    .jpeg()
    .toBuffer();
  const stages: [string, Stage][] = [
    ['区教师板书设计比赛（已发布）', 'published'],
    ['区教师板书设计比赛（评审中）', 'judging'],
    ['区教师板书设计比赛（筹备中）', 'draft'],
    ['市职工焊工技能比赛（评审中）', 'skills'],
  ];
  const contests: ContestIds[] = [];
  for (const [name, stage] of stages)
    contests.push(await contest(admin, judge, recorder, usernames, name, stage, jpeg, t));
  const idsOf = (c: ContestIds) => [
    c.id,
    ...c.entries.map((e) => e.id),
    ...c.entries.flatMap((e) => e.photos),
    ...c.judges,
    ...c.panels,
    ...c.memberships,
    ...c.scores,
  ];
  const settingsCodes = [
    'main',
    'first',
    'second',
    'primary',
    'secondary',
    'math',
    'content',
    'writing',
    'time',
    'leak',
    'boundary',
    'disagreement',
  ];
  const codesOf = (list: ContestIds[]) => [
    ...settingsCodes,
    ...list.flatMap((c) => c.entries.map((e) => e.code)),
  ];
  const numbers = new Set<number>();
  for (const { name } of await t.conn.db!.listCollections().toArray())
    for (const d of await t.conn
      .db!.collection(name)
      .find({}, { projection: { version: 1 } })
      .toArray())
      if (typeof d.version === 'number') numbers.add(d.version);
  // The personas' password too, so a generated sign-in now and then succeeds.
  const strings = [
    ...Object.values(usernames),
    'p-judge2',
    'j-judge2',
    's-judge2',
    SCHOOL,
    '教研室',
    '第一组',
    '评语',
    'correct horse battery',
  ];
  const dictOf = (list: ContestIds[]): Dictionary => ({
    ids: list.flatMap(idsOf),
    codes: codesOf(list),
    strings,
    numbers: [...numbers],
  });
  return {
    world: { contests, dict: dictOf(contests), dicts: contests.map((c) => dictOf([c])), usernames, jpeg },
    clients: { admin, organizer, judge, anonymous: t.client(), recorder, schoolOrganizer },
  };
}

/** Collections whose changes a rejected request may make: sign-in sessions and the append-only audit log. */
export const VOLATILE = ['sessions', 'auditevents'];

export type Dump = Map<string, unknown[]>;

/** Every document of every collection but the volatile ones, as raw BSON values (ids and dates kept). */
export async function dump(conn: Connection): Promise<Dump> {
  const out: Dump = new Map();
  for (const { name } of await conn.db!.listCollections().toArray()) {
    if (VOLATILE.includes(name)) continue;
    out.set(name, await conn.db!.collection(name).find({}).toArray());
  }
  return out;
}

/** Puts the database back as dumped, through the driver (so nothing of it shows in the query log). */
export async function restore(conn: Connection, saved: Dump): Promise<void> {
  for (const { name } of await conn.db!.listCollections().toArray()) {
    if (VOLATILE.includes(name)) continue;
    const coll = conn.db!.collection(name);
    await coll.deleteMany({});
    const docs = saved.get(name);
    if (docs?.length) await coll.insertMany(docs.map((d) => ({ ...(d as object) })));
  }
}
