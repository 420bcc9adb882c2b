// Every route of the real app x every caller, held to the one table in access-table.ts; and nothing of the
// results (score, rank, tier) reaches anyone but the organizers before publication.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose, { Types } from 'mongoose';
import sharp from 'sharp';
import { createApp, testConfig } from '@pingxuan/server';
import { snapshot, startTestApp, type Client, type Reply, type TestApp } from './harness.js';
import { ACCESS_TABLE, CALLERS, type Caller, type Rule } from './access-table.js';

// ---- the routes, as Express holds them ----

type Layer = {
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  handle: { stack?: unknown };
  rawPath?: unknown;
};

/** `METHOD /path` of every route, walking mounted routers (Express 5 keeps them as layers with a `stack`). */
function routesOf(stack: readonly Layer[], prefix = ''): string[] {
  const out: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const { path, methods } = layer.route;
      if (typeof path !== 'string')
        throw new Error(`route under "${prefix}" with a path the table cannot name: ${String(path)}`);
      for (const [m, on] of Object.entries(methods))
        if (on) out.push(`${m === '_all' ? 'ALL' : m.toUpperCase()} ${prefix}${path}`);
    } else if (Array.isArray(layer.handle.stack)) {
      const at = layer.rawPath;
      if (typeof at !== 'string')
        throw new Error(`router mounted under "${prefix}" at a path the table cannot name: ${String(at)}`);
      out.push(...routesOf(layer.handle.stack as Layer[], prefix + (at === '/' ? '' : at)));
    }
  }
  return out;
}

/** The app exactly as the harness builds it (same factory, same config); routes are listed, never served. */
function appRoutes(): string[] {
  const conn = mongoose.createConnection();
  try {
    const app = createApp({ conn, config: testConfig({ secureCookies: false, loginRateLimit: 1000 }) });
    return routesOf((app as unknown as { router: { stack: Layer[] } }).router.stack);
  } finally {
    void conn.close();
  }
}

const ROUTES = appRoutes();

// ---- the seeded contest ----

const USERNAMES: Record<Exclude<Caller, 'anonymous'>, string> = {
  signedIn: 'acc-plain',
  teacher: 'acc-teacher',
  judge: 'acc-judge',
  recorder: 'acc-recorder',
  schoolOrganizer: 'acc-school',
  organizer: 'acc-organizer',
  otherOrganizer: 'acc-other',
  admin: 'acc-admin',
};
const TIERS = [
  { id: 'gold-prize', name: { zh: '金质奖', en: 'Gold award' }, quota: 1 },
  { id: 'silver-prize', name: { zh: '银质奖', en: 'Silver award' }, quota: 2 },
];
const COMMENT = '评语：结构清晰';
/** Refused by every strict body schema, so no write in the matrix goes through. */
const PROBE = { accessProbe: true };
const key = () => `k-${new Types.ObjectId().toHexString()}`;

let t: TestApp;
let creator: Client;
const clients = {} as Record<Caller, Client>;
let contestId: string;
let otherContestId: string;
/** Real ids of the seeded contest for each path parameter. */
let ids: Record<string, string>;
/** What DELETE routes remove instead: spares, so the rest of the matrix keeps its data. */
let spares: Record<string, string>;
let entries: { id: string; code: string; photoId?: string }[];
let codeJudgeId: string;
/** Texts of the results that must not appear in any answer to a non-organizer before publication. */
let markers: string[];
let cases = 0;

const freshClient = (caller: Caller) =>
  caller === 'anonymous'
    ? Promise.resolve(t.client())
    : t.signedIn(USERNAMES[caller], { isAdmin: caller === 'admin' });

function fill(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/:(\w+)/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`no value for :${name} in ${pattern}; give the seeded contest one`);
    return encodeURIComponent(v);
  });
}

function call(client: Client, method: string, path: string): Promise<Reply> {
  cases++;
  return method === 'GET' || method === 'DELETE'
    ? client.request(method, path)
    : client.request(method, path, PROBE);
}

/** Why the status is wrong for this caller under this rule, or null. */
function verdict(rule: Rule, caller: Caller, status: number): string | null {
  if (status >= 500) return 'server error';
  if (rule.allow.includes(caller)) return status === 401 || status === 403 ? 'allowed caller refused' : null;
  const expected = caller === 'anonymous' ? 401 : 403;
  return status === expected ? null : `expected ${expected}`;
}

const RESULT_KEYS = /"(rank|rankBand|ranked|tierId|tierConfidence|tier|results|judgeTotals|leniency)"\s*:/;
const SCORE_KEY = /"score"\s*:/;

/** What of the results an answer shows; a judge's own work list has a "score" of their own, nobody else's. */
function leaksIn(r: Reply, caller: Caller): string[] {
  if (Buffer.isBuffer(r.body)) {
    const type = r.headers.get('content-type') ?? '';
    return r.body.length === 0 || type.startsWith('image/') ? [] : [`binary ${type}`];
  }
  const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const found = markers.filter((m) => text.includes(m));
  const k = RESULT_KEYS.exec(text);
  if (k) found.push(k[0]);
  if (caller !== 'judge' && SCORE_KEY.test(text)) found.push('"score"');
  return found;
}

const short = (body: unknown) =>
  Buffer.isBuffer(body) ? `<${body.length} bytes>` : JSON.stringify(body)?.slice(0, 160);

async function seed() {
  creator = await t.signedIn('acc-creator', { isAdmin: true });
  for (const c of CALLERS) clients[c] = await freshClient(c);
  const settings = {
    aggregation: { method: 'mean', trim: 0, normalization: 'none', minJudges: 2 },
    tiers: TIERS,
    bootstrapSamples: 20,
  };
  const created = await creator.post('/api/contests', {
    name: '区教师板书设计比赛（权限）',
    categories: [{ id: 'primary', name: { zh: '小学组', en: 'Primary' } }],
    rounds: [{ id: 'main', name: { zh: '区级评审' } }],
    settings,
  });
  expect(created.status, short(created.body)).toBe(201);
  contestId = created.body.id;
  const base = `/api/contests/${contestId}`;
  // Tiers of its own: its organizer sees them, and they must not be mistaken for this contest's.
  const otherSettings = { ...settings, tiers: [{ id: 'b-merit', name: { zh: '优秀奖' }, quota: 1 }] };
  const other = await creator.post('/api/contests', {
    name: '另一场比赛',
    rounds: [{ id: 'main', name: { zh: '评审' } }],
    settings: otherSettings,
  });
  expect(other.status).toBe(201);
  otherContestId = other.body.id;

  const rubric = [
    { id: 'content', name: { zh: '内容' }, weight: 60, maxScore: 60, step: 1 },
    { id: 'writing', name: { zh: '书写' }, weight: 40, maxScore: 40, step: 0.5 },
  ];
  expect((await creator.put(`${base}/rounds/main/rubric`, { criteria: rubric })).status).toBe(201);
  const csv = [
    '作品编号,教师姓名,学校,组别,作品名称',
    ...[1, 2, 3, 4, 5, 6].map((i) => `A0${i},教师${i},实验小学,小学组,板书${i}`),
  ].join('\n');
  const fd = new FormData();
  fd.append('file', new Blob([csv], { type: 'text/csv' }), 'entries.csv');
  expect((await creator.post(`${base}/entries/import`, fd)).status).toBe(201);
  entries = (await creator.get(`${base}/entries`)).body.entries;
  entries.sort((a, b) => a.code.localeCompare(b.code));
  const jpeg = await sharp({ create: { width: 64, height: 40, channels: 3, background: '#1f4a3a' } })
    .jpeg()
    .toBuffer();
  const addPhoto = async (entryId: string) => {
    const pf = new FormData();
    pf.append('photos', new Blob([jpeg as unknown as ArrayBuffer]), 'p.jpg');
    const r = await creator.post(`${base}/entries/${entryId}/photos`, pf);
    expect(r.status, short(r.body)).toBe(201);
    const photos: { id: string }[] = (await creator.get(`${base}/entries/${entryId}`)).body.photos;
    return photos[photos.length - 1]!.id;
  };
  for (const e of entries.slice(0, 4)) e.photoId = await addPhoto(e.id);
  const sparePhotoId = await addPhoto(entries[3]!.id);

  const member = async (contest: string, username: string, role: string, school?: string) => {
    await t.signedIn(username);
    const r = await creator.post(`/api/contests/${contest}/members`, { username, role, school });
    expect(r.status, short(r.body)).toBe(201);
    return r.body.id as string;
  };
  await member(contestId, USERNAMES.organizer, 'organizer');
  await member(contestId, USERNAMES.teacher, 'teacher');
  await member(contestId, USERNAMES.recorder, 'recorder');
  // Every seeded entry is of 实验小学: the school organizer's routes all answer on the merits.
  await member(contestId, USERNAMES.schoolOrganizer, 'schoolOrganizer', '实验小学');
  const spareMembershipId = await member(contestId, 'acc-teacher-spare', 'teacher');
  await member(otherContestId, USERNAMES.otherOrganizer, 'organizer');

  const judge = async (username: string, name: string) => {
    const client = await t.signedIn(username);
    const r = await creator.post(`${base}/judges`, { name, username, school: '教研室' });
    expect(r.status, short(r.body)).toBe(201);
    return { id: r.body.id as string, client };
  };
  // The judge caller is the second scorer: only the first writes comments, which the caller must never see.
  const scorers = [
    await judge('acc-scorer-1', '评委甲'),
    { ...(await judge(USERNAMES.judge, '评委乙')), client: clients.judge },
    await judge('acc-scorer-3', '评委丙'),
  ];
  const spareJudge = await judge('acc-judge-spare', '备用评委');
  codeJudgeId = (await judge('acc-judge-code', '扫码评委')).id;
  const panel = await creator.post(`${base}/panels`, { name: '第一组' });
  const sparePanel = await creator.post(`${base}/panels`, { name: '备用组' });
  expect([panel.status, sparePanel.status]).toEqual([201, 201]);

  await t.ctx.models.Assignment.insertMany(
    scorers.flatMap((j, ji) =>
      entries.map((e, ei) => ({
        contestId,
        roundId: 'main',
        entryId: e.id,
        judgeId: j.id,
        order: (ei + ji) % entries.length,
      })),
    ),
  );
  const setStatus = async (status: string) => {
    const { version } = (await creator.get(base)).body;
    const r = await creator.post(`${base}/status`, { status, version });
    expect(r.status, short(r.body)).toBe(200);
  };
  await setStatus('judging');
  // Offsets 0, 1, 3 make every mean end in .333: numbers found nowhere else in any answer.
  const offsets = [0, 1, 3];
  for (const [ji, j] of scorers.entries())
    for (const [ei, e] of entries.entries()) {
      if (ei === 5 && ji > 0) continue; // one judge only: stays unranked
      const total = 94 - 6 * ei + offsets[ji]!;
      const content = Math.round(total * 0.6);
      const values = { content, writing: total - content };
      const saved = await j.client.put(
        `${base}/judging/entries/${e.id}/score`,
        { values, comment: ji === 0 ? COMMENT : '', baseVersion: 0 },
        { 'idempotency-key': key() },
      );
      expect(saved.status, short(saved.body)).toBe(200);
      const sub = await j.client.post(
        `${base}/judging/entries/${e.id}/submit`,
        { baseVersion: saved.body.version },
        { 'idempotency-key': key() },
      );
      expect(sub.status, short(sub.body)).toBe(200);
    }
  const links = await creator.post(`${base}/entries/feedback-links`, {});
  expect(links.status).toBe(201);
  const tokenOf = (code: string) =>
    (links.body.links as { code: string; url: string }[])
      .find((l) => l.code === code)!
      .url.split('/feedback/')[1]!;
  await setStatus('review');

  const results = await creator.get(`${base}/results`);
  expect(results.status).toBe(200);
  const ranked = (
    results.body.entries as { score: number | null; rank: number | null; tierId: string | null }[]
  ).filter((e) => e.rank !== null);
  expect(ranked).toHaveLength(5);
  for (const e of ranked) expect(String(e.score)).toMatch(/\.33/);
  expect(ranked.filter((e) => e.tierId).length).toBe(3);
  markers = [
    ...ranked.flatMap((e) => [String(e.score), e.score!.toFixed(2)]),
    ...TIERS.flatMap((x) => [x.id, x.name.zh, x.name.en]),
    COMMENT,
  ];
  const scoreId: string = (await creator.get(`${base}/scores`)).body.scores[0].id;
  // A confirmed advancement on record, so its list of entries answers with a file.
  const advancement = await t.ctx.models.Advancement.create({
    contestId,
    fromRound: 'main',
    toRound: 'main',
    rules: { tiePolicy: 'include' },
    advancingIds: [entries[0]!.id],
    counts: { entries: 1, incomplete: 0, belowMinScore: 0, advancing: 1 },
    completedAt: new Date(),
  });

  ids = {
    contestId,
    roundId: 'main',
    entryId: entries[0]!.id,
    photoId: entries[0]!.photoId!,
    judgeId: scorers[0]!.id,
    panelId: panel.body.id,
    scoreId,
    membershipId: spareMembershipId,
    token: tokenOf('A01'),
    criterionId: 'content',
    advancementId: String(advancement._id),
    userId: String((await t.ctx.models.User.findOne({ username: 'acc-teacher-spare' }).lean())!._id),
  };
  spares = {
    judgeId: spareJudge.id,
    panelId: sparePanel.body.id,
    membershipId: spareMembershipId,
    entryId: entries[3]!.id,
    photoId: sparePhotoId,
  };
}

beforeAll(async () => {
  t = await startTestApp();
  await seed();
}, 60_000);
afterAll(async () => {
  console.info(`access: ${ROUTES.length} routes x ${CALLERS.length} callers, ${cases} requests checked`);
  await t?.close();
});

/** What a school organizer reads that the leak check cannot judge as others': their school's ranking (also
 * as a file), and the blank import form (an XLSX, binary to the check, with no result in it). That the
 * ranking holds their school only is school-organizers.test.ts's check. */
const SCHOOL_READS = [
  'GET /api/contests/:contestId/results',
  'GET /api/contests/:contestId/results/export',
  'GET /api/contests/:contestId/entries/import-template',
];

const split = (route: string) => route.split(' ') as [string, string];

describe('access to every route', () => {
  it('has every route of the app in the table, and nothing else', () => {
    expect(ROUTES.length).toBeGreaterThan(50);
    expect(new Set(ROUTES).size, 'a route registered twice').toBe(ROUTES.length);
    expect(
      ROUTES.filter((r) => !(r in ACCESS_TABLE)),
      'routes missing from access-table.ts',
    ).toEqual([]);
    expect(
      Object.keys(ACCESS_TABLE).filter((r) => !ROUTES.includes(r)),
      'table rows for routes that do not exist',
    ).toEqual([]);
  });

  it('lets no organizer reach another contest through ids of this one', async () => {
    const base = `/api/contests/${contestId}`;
    const version = async (path: string, id: string, list: string) =>
      ((await creator.get(`${base}/${path}`)).body[list] as { id: string; version: number }[]).find(
        (x) => x.id === id,
      )!.version;
    const entry = (await creator.get(`${base}/entries/${ids.entryId}`)).body.version as number;
    const judge = (await creator.get(`${base}/judges/${ids.judgeId}`)).body.version as number;
    const c = '/api/contests/:contestId';
    // Writes get bodies that would go through with the right contest, so only the contest check can stop them.
    const bodies: Record<string, unknown> = {
      [`PATCH ${c}/entries/:entryId`]: { version: entry, title: '越权修改' },
      [`POST ${c}/entries/:entryId/withdraw`]: { version: entry, reason: '越权' },
      [`POST ${c}/entries/:entryId/restore`]: { version: entry },
      [`PATCH ${c}/judges/:judgeId`]: { version: judge, name: '越权' },
      [`PUT ${c}/judges/:judgeId/conflicts`]: {
        version: judge,
        conflictSchools: ['实验小学'],
        conflictEntryCodes: [],
      },
      [`POST ${c}/judges/:judgeId/sign-in-code`]: {},
      [`POST ${c}/judges/:judgeId/replace`]: {},
      [`PATCH ${c}/panels/:panelId`]: {
        version: await version('panels', ids.panelId!, 'panels'),
        name: '越权',
      },
      [`POST ${c}/panels/:panelId/judges`]: { judgeIds: [ids.judgeId] },
      [`POST ${c}/scores/:scoreId/reopen`]: {
        reason: '越权',
        version: await version('scores', ids.scoreId!, 'scores'),
      },
    };
    const before = await snapshot(t.conn);
    const problems: string[] = [];
    let checked = 0;
    for (const route of ROUTES) {
      const [method, pattern] = split(route);
      const names = [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1]);
      if (!names.includes('contestId') || names.every((n) => n === 'contestId' || n === 'roundId')) continue;
      if (!ACCESS_TABLE[route]!.allow.includes('organizer')) continue;
      const path = fill(pattern, {
        ...ids,
        ...(method === 'DELETE' ? spares : {}),
        contestId: otherContestId,
      });
      cases++;
      const r =
        route in bodies
          ? await clients.otherOrganizer.request(method, path, bodies[route])
          : await call(clients.otherOrganizer, method, path);
      // Any refusal but a server error will do (404, or 409 for what the other contest's state forbids).
      if (r.status < 400 || r.status >= 500) problems.push(`${route}: ${r.status} ${short(r.body)}`);
      else checked++;
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(20);
    expect(await snapshot(t.conn), 'the other organizer changed this contest').toBe(before);
  });

  it('answers every route for every caller as the table says, and shows no result before publication', async () => {
    const problems: string[] = [];
    for (const route of ROUTES) {
      const rule = ACCESS_TABLE[route]!;
      const [method, pattern] = split(route);
      const path = fill(pattern, method === 'DELETE' ? { ...ids, ...spares } : ids);
      // Callers of one route run side by side: they share nothing but the spares a DELETE removes.
      const replies = await Promise.all(
        CALLERS.map(async (caller) =>
          call(rule.endsSession ? await freshClient(caller) : clients[caller], method, path),
        ),
      );
      for (const [i, caller] of CALLERS.entries()) {
        const r = replies[i]!;
        const wrong = verdict(rule, caller, r.status);
        if (wrong) problems.push(`${route} as ${caller}: ${r.status}, ${wrong} ${short(r.body)}`);
        if (
          rule.allow.includes(caller) &&
          !['GET', 'DELETE'].includes(method) &&
          !rule.endsSession &&
          r.status < 300
        )
          problems.push(`${route} as ${caller}: ${r.status}, the probe body went through`);
        if (rule.gate === 'published' && pattern.includes(':contestId') && r.status !== 404)
          problems.push(`${route} as ${caller}: ${r.status} for a contest in review`);
        // The seeded contest never turns its scoreboard on.
        if (rule.gate === 'scoreboard' && r.status !== 404)
          problems.push(`${route} as ${caller}: ${r.status} for a contest without a scoreboard`);
        // Organizers follow live results, school organizers their own school's ranking; everyone else, and
        // every open route, sees none.
        const followsResults =
          caller === 'organizer' ||
          caller === 'admin' ||
          (caller === 'schoolOrganizer' && SCHOOL_READS.includes(route));
        if (rule.gate || !followsResults) {
          const leaks = leaksIn(r, caller);
          if (leaks.length) problems.push(`${route} as ${caller}: shows ${leaks.join(', ')}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('opens feedback to whoever holds the link, and only for that entry', async () => {
    const bogus = 'A'.repeat(43);
    for (const caller of CALLERS) {
      const c = clients[caller];
      const view = await c.get(`/api/feedback/${ids.token}`);
      cases++;
      expect(view.status, caller).toBe(200);
      expect(view.body).toMatchObject({ published: false, entry: { code: 'A01' } });
      expect(leaksIn(view, caller)).toEqual([]);
      cases += 4;
      expect(
        (await c.get(`/api/feedback/${ids.token}/photos/${entries[0]!.photoId}?size=thumb`)).status,
      ).toBe(200);
      expect(
        (await c.get(`/api/feedback/${ids.token}/photos/${entries[1]!.photoId}?size=thumb`)).status,
        'photo of another entry',
      ).toBe(404);
      expect((await c.get(`/api/feedback/${bogus}`)).status).toBe(404);
      expect((await c.get(`/api/feedback/${bogus}/photos/${entries[0]!.photoId}`)).status).toBe(404);
    }
  });

  it('signs in whoever holds a printed code, once', async () => {
    for (const caller of CALLERS) {
      const issued = await creator.post(`/api/contests/${contestId}/judges/${codeJudgeId}/sign-in-code`, {});
      expect(issued.status).toBe(201);
      const c = await freshClient(caller);
      cases += 3;
      const r = await c.post('/api/auth/code-login', { code: issued.body.code });
      expect(r.status, caller).toBe(200);
      expect(r.body.username).toBe('acc-judge-code');
      expect((await t.client().post('/api/auth/code-login', { code: issued.body.code })).status).toBe(401);
      expect((await c.post('/api/auth/code-login', { code: 'WRONG-CODE-0000' })).status).toBe(401);
    }
  });

  it('answers unknown contest ids with 401, 403 or 404, never 200, to all but admins', async () => {
    const unknown = new Types.ObjectId().toHexString();
    const problems: string[] = [];
    for (const route of ROUTES) {
      const [method, pattern] = split(route);
      if (!pattern.includes(':contestId')) continue;
      const rule = ACCESS_TABLE[route]!;
      const path = fill(pattern, { ...ids, ...(method === 'DELETE' ? spares : {}), contestId: unknown });
      const replies = await Promise.all(CALLERS.map((caller) => call(clients[caller], method, path)));
      for (const [i, caller] of CALLERS.entries()) {
        const r = replies[i]!;
        if (caller === 'admin') {
          if (r.status >= 500) problems.push(`${route} as admin: ${r.status}`);
          continue;
        }
        const refused = rule.allow.includes(caller) ? [403, 404] : [caller === 'anonymous' ? 401 : 403];
        if (!refused.includes(r.status)) problems.push(`${route} as ${caller}: ${r.status} ${short(r.body)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('after publication shows everyone the winners, still without scores or ranks', async () => {
    const base = `/api/contests/${contestId}`;
    const { version } = (await creator.get(base)).body;
    expect((await creator.post(`${base}/status`, { status: 'published', version })).status).toBe(200);
    const pub = `/api/public/contests/${contestId}`;
    for (const caller of CALLERS) {
      const c = clients[caller];
      cases += 6;
      const winners = await c.get(`${pub}/winners`);
      expect(winners.status, caller).toBe(200);
      expect(
        winners.body.winners.map((w: { code: string; tierId: string }) => `${w.tierId}:${w.code}`),
      ).toEqual(['gold-prize:A01', 'silver-prize:A02', 'silver-prize:A03']);
      expect(JSON.stringify(winners.body)).not.toMatch(/"score"|"rank"|评语/);
      expect((await c.get(`${pub}/showcase`)).status).toBe(200);
      expect(
        (await c.get(`${pub}/entries/${entries[0]!.id}/photos/${entries[0]!.photoId}?size=thumb`)).status,
      ).toBe(200);
      expect(
        (await c.get(`${pub}/entries/${entries[3]!.id}/photos/${entries[3]!.photoId}?size=thumb`)).status,
        'a photo of no winner',
      ).toBe(404);
      expect((await c.get('/api/public/contests')).body.contests.map((x: { id: string }) => x.id)).toContain(
        contestId,
      );
      const fb = await c.get(`/api/feedback/${ids.token}`);
      expect(fb.body).toMatchObject({ published: true, results: { tier: { id: 'gold-prize' } } });
    }
    // The other contest is still unpublished: nothing of it is public.
    expect((await t.client().get(`/api/public/contests/${otherContestId}/winners`)).status).toBe(404);
  });
});
