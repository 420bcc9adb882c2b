// Scale benchmark (issue 4): seeds one contest of 100,000 entries x 5 judges, times the organizer's live
// results, then puts judges' score saves under load with autocannon at 50 and 200 concurrent judges.
// Prints figures only; nothing here asserts a time. CI runs only the tiny smoke test (contest-bench.test.ts).
//
//   npm run bench:contest -- [--entries 100000] [--judges 300] [--duration 10] [--connections 50,200]
//                            [--timeout 10] [--skip-load]
//
// Database: MONGODB_URI when set, else what the tests use (tests/support/mongo.ts): mongodb-memory-server
// when a mongod can be had, else the in-process wire-protocol test server, whose figures are not MongoDB's.
// The app runs in a child process (bench-server.ts) so that the load tool and the test database, which live
// here, do not share its event loop.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import mongoose, { Types } from 'mongoose';
import { ContestSettingsSchema, describeReason, planAssignment, type JudgeScore } from '@pingxuan/shared';
import { createModels, hashPassword, type Models } from '../../server/src/index.ts';
import {
  DEMO_CATEGORIES,
  DEMO_CONTEST,
  DEMO_CRITERIA,
  DEMO_JUDGES,
  DEMO_SCHOOLS,
  DEMO_SUBJECTS,
  GIVEN_NAMES,
  PRIMARY_SUBJECTS,
  SECONDARY_SUBJECTS,
  SURNAMES,
} from '../../server/src/seed/demo-data.ts';
import { seededRandom } from '../../server/src/seed/random.ts';
import { startTestMongo, uniqueDbName, type TestMongoKind } from '../support/mongo.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

export type BenchOptions = {
  entries: number;
  judges: number;
  /** Seconds per load run. */
  duration: number;
  /** Seconds before the load tool gives up on an answer (and counts a timeout). */
  timeout: number;
  /** Concurrent judges (one connection each) per load run. */
  connections: number[];
  skipLoad: boolean;
  /** Share of assignments seeded as submitted. */
  submittedShare: number;
  /** A running database (base URI ending in `/`); started as the tests do when left out. */
  mongo?: { uri: string; kind: TestMongoKind };
  log?: (line: string) => void;
};

export const DEFAULTS: BenchOptions = {
  entries: 100_000,
  judges: 300,
  duration: 10,
  timeout: 10,
  connections: [50, 200],
  skipLoad: false,
  submittedShare: 0.8,
};

export type LoadRun = {
  /** Concurrent judges, one connection each. */
  connections: number;
  seconds: number;
  /** Requests answered within the run. */
  requests: number;
  /** Requests sent (an answer still due when the run stopped, or timed out, is not in `requests`). */
  sent: number;
  ok: number;
  requestsPerSecond: number;
  /** Latency of 2xx answers, ms. */
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  /** `<status> <error code>` -> count, for every answer that was not 2xx. */
  failures: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Saves answered 200 with baseVersion 0 (a judge's first draft of an entry) and with a later version. */
  newDrafts: number;
  redrafts: number;
  /** Answers to repeated requests of a judge with nothing left to save (none unless scores were refused). */
  idle: number;
};

export type BenchReport = {
  db: TestMongoKind;
  counts: { entries: number; judges: number; assignments: number; submitted: number; unscored: number };
  seedMs: Record<string, number>;
  signInMs: number;
  results: {
    coldMs: number;
    warmMs: number[];
    /** The same call with bootstrapSamples 0. */
    noBootstrapMs: number[];
    total: number;
    countedEntries: number;
    countedScores: number;
    ranked: number;
    rssBeforeMb: number;
    rssAfterColdMb: number;
    rssAfterMb: number;
  };
  load: LoadRun[];
  /** Drafts in the database after the load runs, and how many distinct (judge, entry) saves were answered 200. */
  drafts: { stored: number; answered: number } | null;
};

const ROUND_ID = 'district';
const STEP = 0.5;
const BATCH = 5_000;
/** Every seeded judge's password (the fault proof signs them in too). */
export const JUDGE_PASSWORD = 'bench-judge-password';
const ORGANIZER_PASSWORD = 'bench-organizer-password';

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const ms = (t0: number) => Math.round(performance.now() - t0);
const roundToStep = (v: number, max: number) => Math.min(max, Math.max(0, Math.round(v / STEP) * STEP));

async function timed<T>(
  seedMs: Record<string, number>,
  phase: string,
  log: (l: string) => void,
  fn: () => Promise<T>,
): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  seedMs[phase] = ms(t0);
  log(`  seed ${phase.padEnd(12)} ${String(seedMs[phase]).padStart(7)} ms`);
  return out;
}

async function insertInBatches(
  model: { insertMany: (docs: object[], opts: { lean: true }) => Promise<unknown> },
  docs: Iterable<object>,
) {
  let batch: object[] = [];
  for (const d of docs) {
    batch.push(d);
    if (batch.length === BATCH) {
      await model.insertMany(batch, { lean: true });
      batch = [];
    }
  }
  if (batch.length) await model.insertMany(batch, { lean: true });
}

// ---- the app in its own process ----

type ServerStats = { memory: NodeJS.MemoryUsage; open: number };
type ServerChild = { url: string; stats: () => Promise<ServerStats>; stop: () => Promise<void> };

async function startServer(dbUri: string, majority: boolean): Promise<ServerChild> {
  const child: ChildProcess = fork(path.join(here, 'bench-server.ts'), [], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_DB_URI: dbUri, BENCH_DB_MAJORITY: majority ? '1' : '0' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited (${code}) before listening`)));
    child.on('message', (m: { ready?: boolean; port?: number }) => m.ready && resolve(m.port!));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () =>
      new Promise((resolve) => {
        const on = (m: { stats?: ServerStats }) => {
          if (!m.stats) return;
          child.off('message', on);
          resolve(m.stats);
        };
        child.on('message', on);
        child.send({ type: 'stats' });
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.disconnect();
      }),
  };
}

export async function signIn(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => !c.endsWith('='));
  if (!cookie) throw new Error(`sign-in of ${username} set no session cookie`);
  return cookie;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

// ---- seeding ----

export type Seeded = {
  contestId: string;
  judgeUsernames: string[];
  /** Per judge: entries still unscored, in the judge's list order. */
  unscored: string[][];
  counts: BenchReport['counts'];
};

/** Seeds one judging contest on an empty database (indexes made); `log` gets one line per phase. */
export async function seed(
  m: Models,
  o: BenchOptions,
  seedMs: Record<string, number>,
  log: (l: string) => void,
): Promise<Seeded> {
  const r = seededRandom(20261125);
  const now = new Date();
  const at = { createdAt: now, updatedAt: now };
  const contestId = new Types.ObjectId();
  // The demo's tiers (70 first and 127 second prizes of 497) scaled to the number of entries.
  const quota = (n: number) => Math.round((o.entries * n) / 497);
  const settings = ContestSettingsSchema.parse({
    aggregation: { method: 'trimmedMean', trim: 1, normalization: 'none', minJudges: 3 },
    disagreementThreshold: 15,
    tiers: [
      { id: 'first', name: { zh: '一等奖', en: 'First prize' }, quota: quota(70) },
      { id: 'second', name: { zh: '二等奖', en: 'Second prize' }, quota: quota(127) },
    ],
    tiePolicy: 'include',
    quotaScope: 'contest',
    tieBreak: ['highlight', 'structure'],
    judgesPerEntry: 5,
    bootstrapSamples: 500,
  });

  await timed(seedMs, 'contest', log, async () => {
    const organizer = await m.User.create({
      username: 'bench-organizer',
      displayName: '赛事组织者',
      passwordHash: await hashPassword(ORGANIZER_PASSWORD),
    });
    await m.Contest.create({
      _id: contestId,
      name: `${DEMO_CONTEST.name}（规模测试 ${o.entries} 件）`,
      description: DEMO_CONTEST.description,
      categories: DEMO_CATEGORIES,
      subjects: DEMO_SUBJECTS,
      rounds: [{ id: ROUND_ID, name: { zh: '区级评审', en: 'District round' } }],
      status: 'judging',
      settings,
      createdBy: organizer._id,
    });
    await m.Membership.create({ contestId, userId: organizer._id, role: 'organizer' });
    await m.Rubric.create({
      contestId,
      roundId: ROUND_ID,
      criteria: DEMO_CRITERIA.map((c) => ({ ...c, maxScore: c.weight, step: STEP })),
      frozen: true,
    });
  });

  // Judges: a few from schools that send entries (so conflicts of interest exclude some pairs).
  const judgeIds = Array.from({ length: o.judges }, () => new Types.ObjectId());
  const judgeSchools = judgeIds.map((_, i) =>
    i % 4 === 0 ? DEMO_SCHOOLS[i % DEMO_SCHOOLS.length]! : DEMO_JUDGES[i % DEMO_JUDGES.length]!.school,
  );
  const judgeUsernames = judgeIds.map((_, i) => `bench-judge-${String(i + 1).padStart(3, '0')}`);
  await timed(seedMs, 'judges', log, async () => {
    const passwordHash = await hashPassword(JUDGE_PASSWORD);
    const userIds = judgeIds.map(() => new Types.ObjectId());
    const names = judgeIds.map(() => r.pick(SURNAMES) + r.pick(GIVEN_NAMES));
    await insertInBatches(
      m.User,
      userIds.map((_id, i) => ({
        _id,
        username: judgeUsernames[i],
        displayName: names[i],
        passwordHash,
        isAdmin: false,
        disabled: false,
        ...at,
      })),
    );
    await insertInBatches(
      m.Judge,
      judgeIds.map((_id, i) => ({
        _id,
        contestId,
        userId: userIds[i],
        name: names[i],
        school: judgeSchools[i],
        panelId: null,
        conflictSchools: [],
        conflictEntryCodes: [],
        active: true,
        version: 0,
        ...at,
      })),
    );
    await insertInBatches(
      m.Membership,
      userIds.map((userId) => ({ contestId, userId, role: 'judge', ...at })),
    );
  });

  // Entries, made and written a batch at a time; only what planning and scoring need is kept.
  const entryIds: string[] = new Array(o.entries);
  const entryCodes: string[] = new Array(o.entries);
  const entrySchools: string[] = new Array(o.entries);
  const entryCategories: string[] = new Array(o.entries);
  const quality = new Float32Array(o.entries);
  const primarySchools = DEMO_SCHOOLS.filter((s) => s.includes('小学'));
  const secondarySchools = DEMO_SCHOOLS.filter((s) => s.includes('中学'));
  const codeWidth = String(o.entries).length;
  await timed(seedMs, 'entries', log, () =>
    insertInBatches(
      m.Entry,
      (function* () {
        for (let i = 0; i < o.entries; i++) {
          const primary = r.next() < 0.55;
          const _id = new Types.ObjectId();
          const code = `BB${String(i + 1).padStart(codeWidth, '0')}`;
          const school = r.pick(primary ? primarySchools : secondarySchools);
          entryIds[i] = String(_id);
          entryCodes[i] = code;
          entrySchools[i] = school;
          entryCategories[i] = primary ? 'primary' : 'secondary';
          quality[i] = Math.min(0.98, Math.max(0.08, 0.62 + 0.15 * r.normal()));
          yield {
            _id,
            contestId,
            roundIds: [ROUND_ID],
            code,
            title: `板书设计 ${code}`,
            teacherName: r.pick(SURNAMES) + r.pick(GIVEN_NAMES),
            school,
            category: entryCategories[i],
            subject: r.pick(primary ? PRIMARY_SUBJECTS : SECONDARY_SUBJECTS),
            imageFileNames: [`${code}.jpg`],
            photos: [],
            status: 'active',
            withdrawnReason: null,
            importId: null,
            feedbackTokenHash: null,
            version: 0,
            ...at,
          };
        }
      })(),
    ),
  );

  const plan = await timed(seedMs, 'plan', log, async () => {
    const p = planAssignment({
      scope: 'pool',
      judgesPerEntry: 5,
      seed: 7,
      entries: entryIds.map((id, i) => ({
        id,
        code: entryCodes[i]!,
        school: entrySchools[i]!,
        category: entryCategories[i]!,
      })),
      judges: judgeIds.map((id, i) => ({
        id: String(id),
        school: judgeSchools[i]!,
        conflictSchools: [],
        conflictEntryCodes: [],
      })),
    });
    if (p.problems.length)
      throw new Error(`assignment planner: ${p.problems.length} problems, first: ${p.problems[0]!.message}`);
    return p;
  });

  const judgeIndex = new Map(judgeIds.map((id, i) => [String(id), i]));
  const entryIndex = new Map(entryIds.map((id, i) => [id, i]));
  await timed(seedMs, 'assignments', log, () =>
    insertInBatches(
      m.Assignment,
      (function* () {
        for (const a of plan.assignments)
          yield {
            contestId,
            roundId: ROUND_ID,
            entryId: new Types.ObjectId(a.entryId),
            judgeId: new Types.ObjectId(a.judgeId),
            order: a.order,
            reason: describeReason(a.reason, 'zh'),
            ...at,
          };
      })(),
    ),
  );

  // Each judge has worked through the first `submittedShare` of the list; the rest is what they save next.
  const load = new Map(plan.loads.map((l) => [l.judgeId, l.count]));
  const leniency = judgeIds.map(() => 0.05 * r.normal());
  const unscored: { entryId: string; order: number }[][] = judgeIds.map(() => []);
  let submitted = 0;
  await timed(seedMs, 'scores', log, () =>
    insertInBatches(
      m.Score,
      (function* () {
        for (const a of plan.assignments) {
          const j = judgeIndex.get(a.judgeId)!;
          if (a.order >= Math.round(load.get(a.judgeId)! * o.submittedShare)) {
            unscored[j]!.push({ entryId: a.entryId, order: a.order });
            continue;
          }
          const q = quality[entryIndex.get(a.entryId)!]!;
          const values: Record<string, number> = {};
          for (const c of DEMO_CRITERIA)
            values[c.id] = roundToStep(c.weight * (q + leniency[j]! + 0.07 * r.normal()), c.weight);
          submitted++;
          // As if saved once (version 1) and submitted (version 2).
          yield {
            contestId,
            roundId: ROUND_ID,
            entryId: new Types.ObjectId(a.entryId),
            judgeId: new Types.ObjectId(a.judgeId),
            values,
            comment: '',
            status: 'submitted',
            submittedAt: now,
            version: 2,
            appliedKeys: [],
            ...at,
          };
        }
      })(),
    ),
  );

  return {
    contestId: String(contestId),
    judgeUsernames,
    unscored: unscored.map((list) => list.sort((a, b) => a.order - b.order).map((u) => u.entryId)),
    counts: {
      entries: o.entries,
      judges: o.judges,
      assignments: plan.assignments.length,
      submitted,
      unscored: plan.assignments.length - submitted,
    },
  };
}

// ---- score saves under load ----

/** One score a judge can save: version as last answered; busy while a save of it is in flight. */
export type Task = { entryId: string; version: number; busy: boolean; dead: boolean };
export type JudgeWork = { cookie: string; tasks: Task[]; next: number };

export function randomValues(rand: () => number): Record<string, number> {
  const values: Record<string, number> = {};
  for (const c of DEMO_CRITERIA) values[c.id] = Math.round(rand() * (c.weight / STEP)) * STEP;
  return values;
}

/** The judge's next score to save, rotating through the list; none when every one is busy or refused. */
function nextTask(w: JudgeWork): Task | null {
  for (let k = 0; k < w.tasks.length; k++) {
    const t = w.tasks[(w.next + k) % w.tasks.length]!;
    if (t.busy || t.dead) continue;
    w.next = (w.next + k + 1) % w.tasks.length;
    return t;
  }
  return null;
}

export async function loadRun(
  url: string,
  contestId: string,
  work: JudgeWork[],
  connections: number,
  seconds: number,
  timeout: number,
): Promise<LoadRun> {
  const failures: Record<string, number> = {};
  let newDrafts = 0;
  let redrafts = 0;
  let idle = 0;
  let conn = 0;
  const rand = seededRandom(connections).next;

  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout,
    // One tablet per judge: each connection saves that judge's scores, one at a time.
    setupClient(client) {
      const w = work[conn++ % work.length]!;
      let inFlight: Task | null = null;
      client.setRequests([
        {
          method: 'PUT',
          setupRequest(req) {
            // A save still in flight here timed out: its outcome is unknown, so that score is left alone.
            if (inFlight) inFlight.dead = true;
            const t = nextTask(w);
            inFlight = t;
            // Every score of this judge refused or unknown: repeat the last request; its answer is counted as idle.
            if (!t) return req;
            t.busy = true;
            return {
              ...req,
              path: `/api/contests/${contestId}/judging/entries/${t.entryId}/score`,
              headers: {
                cookie: w.cookie,
                'content-type': 'application/json',
                'idempotency-key': `bench-${randomBytes(12).toString('base64url')}`,
              },
              body: JSON.stringify({ values: randomValues(rand), baseVersion: t.version }),
            };
          },
          onResponse(status, body) {
            const t = inFlight;
            inFlight = null;
            if (!t) idle++;
            let parsed: { version?: number; error?: { code?: string; current?: JudgeScore | null } } = {};
            try {
              parsed = JSON.parse(body);
            } catch {
              // counted below by status
            }
            if (status >= 200 && status < 300) {
              if (t) {
                if (t.version === 0) newDrafts++;
                else redrafts++;
                t.version = parsed.version ?? t.version + 1;
              }
            } else {
              const key = `${status} ${parsed.error?.code ?? ''}`.trim();
              failures[key] = (failures[key] ?? 0) + 1;
              if (t) {
                // A conflict names the version stored; anything else would be refused again.
                if (status === 409 && typeof parsed.error?.current?.version === 'number')
                  t.version = parsed.error.current.version;
                else t.dead = true;
              }
            }
            if (t) t.busy = false;
          },
        },
      ]);
    },
  });

  return {
    connections,
    seconds,
    requests: result.requests.total,
    sent: (result.requests as { sent?: number }).sent ?? result.requests.total,
    ok: result['2xx'],
    requestsPerSecond: Math.round(result['2xx'] / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    failures,
    errors: result.errors,
    timeouts: result.timeouts,
    newDrafts,
    redrafts,
    idle,
  };
}

// ---- the whole benchmark ----

export async function runContestBench(options: Partial<BenchOptions> = {}): Promise<BenchReport> {
  const o: BenchOptions = { ...DEFAULTS, ...options };
  const log = o.log ?? ((l: string) => console.log(l));
  const own = o.mongo ? null : await startTestMongo((l) => log(l));
  const mongo = o.mongo ?? own!;
  const dbUri = mongo.uri + uniqueDbName('bench');
  log(`[bench] ${o.entries} entries x 5 judges, ${o.judges} judges, database ${mongo.kind}`);
  // Other work on the machine shows in every figure: say how busy it was.
  const machine = () =>
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`;
  log(
    `[bench] node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${mb(os.totalmem())} MB; ${machine()}`,
  );
  if (mongo.kind === 'wire')
    log(
      '[bench] NOTE: the in-process wire-protocol TEST server (tests/support/miniMongo.ts) is not MongoDB: it scans collections without a query planner; these figures are NOT production figures.',
    );

  const conn = await mongoose.createConnection(dbUri).asPromise();
  let server: ServerChild | null = null;
  try {
    // The server creates every index before the first insert, as in production.
    server = await startServer(dbUri, mongo.kind !== 'wire');
    const m = createModels(conn);

    const seedMs: Record<string, number> = {};
    const t0 = performance.now();
    const seeded = await seed(m, o, seedMs, log);
    seedMs.total = ms(t0);
    log(
      `  seed ${'total'.padEnd(12)} ${String(seedMs.total).padStart(7)} ms  (${seeded.counts.entries} entries, ${seeded.counts.assignments} assignments, ${seeded.counts.submitted} submitted scores, ${seeded.counts.unscored} unscored)`,
    );

    const { url } = server;
    const t1 = performance.now();
    const organizer = await signIn(url, 'bench-organizer', ORGANIZER_PASSWORD);
    const cookies = await pool(seeded.judgeUsernames, 8, (u) => signIn(url, u, JUDGE_PASSWORD));
    const signInMs = ms(t1);
    log(`[bench] signed in ${cookies.length} judges and the organizer in ${signInMs} ms`);

    // Live results, as the organizer's results page asks for them.
    const resultsPath = `/api/contests/${seeded.contestId}/results?limit=50`;
    const getResults = async () => {
      const t = performance.now();
      const res = await fetch(url + resultsPath, { headers: { cookie: organizer } });
      const body = (await res.json()) as {
        total: number;
        entries: unknown[];
        summary: { counts: { entries: number; ranked: number; scores: number } };
      };
      const took = ms(t);
      if (res.status !== 200)
        throw new Error(`results answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
      return { took, body };
    };
    const rssBefore = (await server.stats()).memory.rss;
    const cold = await getResults();
    const rssAfterCold = (await server.stats()).memory.rss;
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) warm.push((await getResults()).took);
    const rssAfter = (await server.stats()).memory.rss;
    const counts = cold.body.summary.counts;
    log(
      `[bench] results (limit=50): cold ${cold.took} ms, warm ${warm.join(' / ')} ms; ${cold.body.total} entries listed, ${counts.scores} scores counted, ${counts.ranked} ranked`,
    );
    // Where the time goes: the same call without the bootstrap of tier confidence (the demo's 500 samples).
    const samples = (await m.Contest.findById(seeded.contestId).lean())!.settings.bootstrapSamples as number;
    await m.Contest.updateOne({ _id: seeded.contestId }, { $set: { 'settings.bootstrapSamples': 0 } });
    const noBootstrap = [(await getResults()).took, (await getResults()).took];
    await m.Contest.updateOne({ _id: seeded.contestId }, { $set: { 'settings.bootstrapSamples': samples } });
    log(
      `[bench] results without the bootstrap (${samples} samples in the demo's settings): ${noBootstrap.join(' / ')} ms`,
    );
    log(
      `[bench] server RSS: ${mb(rssBefore)} MB before results, ${mb(rssAfterCold)} MB after the first, ${mb(rssAfter)} MB after four`,
    );

    const load: LoadRun[] = [];
    let draftCounts: BenchReport['drafts'] = null;
    if (!o.skipLoad) {
      const work: JudgeWork[] = cookies.map((cookie, j) => ({
        cookie,
        tasks: seeded.unscored[j]!.map((entryId) => ({ entryId, version: 0, busy: false, dead: false })),
        next: 0,
      }));
      // Saves the load tool stopped waiting for (run over, or timed out) still run on the server: wait until
      // it has answered every request, so the next run does not pay for them and the draft count is final.
      const settle = async () => {
        const t = performance.now();
        const left = (await server!.stats()).open;
        while ((await server!.stats()).open > 0 && performance.now() - t < 600_000)
          await new Promise((r) => setTimeout(r, 250));
        return { left, ms: ms(t), open: (await server!.stats()).open };
      };
      for (const asked of o.connections) {
        // One connection per judge: a judge never saves two scores at once.
        const c = Math.min(asked, work.length);
        if (c < asked) log(`[bench] only ${c} judges: ${asked} concurrent judges asked, ${c} used`);
        const run = await loadRun(url, seeded.contestId, work, c, o.duration, o.timeout);
        load.push(run);
        const settled = await settle();
        const failed = Object.entries(run.failures)
          .map(([k, n]) => `${k}: ${n}`)
          .join(', ');
        log(
          `[bench] score saves, ${c} concurrent judges for ${o.duration} s: ${run.requestsPerSecond} saves/s (2xx), ` +
            `p50 ${run.p50} ms, p99 ${run.p99} ms, max ${run.max} ms; ${run.ok} ok of ${run.requests} answered (${run.sent} sent) ` +
            `(${run.newDrafts} first drafts, ${run.redrafts} re-saves); non-2xx ${run.non2xx}${failed ? ` (${failed})` : ''}; ` +
            `errors ${run.errors}, timeouts ${run.timeouts}${run.idle ? `, idle ${run.idle}` : ''}` +
            (settled.left
              ? `; ${settled.left} saves still running on the server when the run ended, ` +
                (settled.open
                  ? `${settled.open} still after ${settled.ms} ms`
                  : `all done ${settled.ms} ms later`)
              : ''),
        );
      }
      const answered = work.reduce((n, w) => n + w.tasks.filter((t) => t.version > 0).length, 0);
      const stored = await m.Score.countDocuments({ contestId: seeded.contestId, status: 'draft' });
      draftCounts = { stored, answered };
      log(`[bench] drafts stored: ${stored}; distinct scores answered 200: ${answered}`);
    }

    log(`[bench] done; ${machine()}`);
    return {
      db: mongo.kind,
      counts: seeded.counts,
      seedMs,
      signInMs,
      results: {
        coldMs: cold.took,
        warmMs: warm,
        noBootstrapMs: noBootstrap,
        total: cold.body.total,
        countedEntries: counts.entries,
        countedScores: counts.scores,
        ranked: counts.ranked,
        rssBeforeMb: mb(rssBefore),
        rssAfterColdMb: mb(rssAfterCold),
        rssAfterMb: mb(rssAfter),
      },
      load,
      drafts: draftCounts,
    };
  } finally {
    await server?.stop();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
    await own?.stop();
  }
}

/** The command line's flags; a bad value throws naming the flag. */
export function parseBenchArgs(argv: string[]): Partial<BenchOptions> {
  const { values } = parseArgs({
    args: argv,
    options: {
      entries: { type: 'string' },
      judges: { type: 'string' },
      duration: { type: 'string' },
      timeout: { type: 'string' },
      connections: { type: 'string' },
      'skip-load': { type: 'boolean' },
    },
  });
  const int = (name: string, v: string | undefined, min: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} must be a whole number of at least ${min}, got "${v}"`);
    return n;
  };
  const connections = values.connections?.split(',').map((c) => int('connections', c, 1)!);
  return {
    ...(values.entries !== undefined && { entries: int('entries', values.entries, 1) }),
    ...(values.judges !== undefined && { judges: int('judges', values.judges, 5) }),
    ...(values.duration !== undefined && { duration: int('duration', values.duration, 1) }),
    ...(values.timeout !== undefined && { timeout: int('timeout', values.timeout, 1) }),
    ...(connections && { connections }),
    skipLoad: values['skip-load'] ?? false,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runContestBench(parseBenchArgs(process.argv.slice(2))).then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
