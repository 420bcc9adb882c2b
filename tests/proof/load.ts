// Load proof (issue 6): 200 simulated judges save scores for 60 s against the product holding the
// 100,000-entry contest, then the same load tool drives a bare Express + MongoDB insert endpoint (the floor)
// in the same run, on the same database; prints saves/s, p50, p99 and errors of both and the ratio.
//
//   npm run proof:load -- [--entries 100000] [--connections 200] [--duration 60] [--db <name>] [--src] [--commands]
//
// Seeding and the judges' requests are the scale benchmark's (tests/bench/contest-100k.ts). --db names a
// database to keep: a contest already seeded there is reused (with MONGODB_URI, seeding 100k entries once).
// The product runs as a child process on the built server (server/dist; --src: its sources under tsx), the
// floor as another (floor-child.mjs), so the load tool and the database here never share their event loop.
// Database: MONGODB_URI, else mongodb-memory-server when a mongod can be had, else the in-process wire-protocol
// test server (tests/support/mongo.ts). Figures only: nothing here asserts a time.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { createModels, type Models } from '../../server/src/index.ts';
import { seededRandom } from '../../server/src/seed/random.ts';
import {
  DEFAULTS as BENCH_DEFAULTS,
  JUDGE_PASSWORD,
  loadRun,
  pool,
  randomValues,
  seed,
  signIn,
  type JudgeWork,
} from '../bench/contest-100k.ts';
import { startTestMongo, uniqueDbName, type TestMongoKind } from '../support/mongo.ts';
import { buildServer, forkChild, loadAverage, machine, productEnv, type ServerBuild } from './child.ts';

export type LoadOptions = {
  entries: number;
  /** Judges seeded; at least `connections`, one connection (tablet) per judge. */
  judges: number;
  connections: number;
  /** Seconds of each run (product, then floor). */
  duration: number;
  /** Seconds before the load tool gives up on an answer. */
  timeout: number;
  build: ServerBuild;
  /** Counts the database commands each save makes (driver command monitoring in the server; a little slower). */
  commands: boolean;
  /** A database to keep and reuse; a fresh one, dropped at the end, when left out. */
  db?: string;
  mongo?: { uri: string; kind: TestMongoKind };
  log?: (line: string) => void;
};

export const LOAD_DEFAULTS: LoadOptions = {
  entries: 100_000,
  judges: 300,
  connections: 200,
  duration: 60,
  timeout: 10,
  build: 'dist',
  commands: false,
};

export type RunFigures = {
  requests: number;
  ok: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
};

export type LoadReport = {
  db: TestMongoKind;
  seeded: 'seeded' | 'reused';
  seedMs: number;
  counts: { entries: number; judges: number; tasks: number };
  product: RunFigures & { failures: Record<string, number>; newDrafts: number; redrafts: number };
  floor: RunFigures;
  /** Documents the floor stored, to compare with its 2xx answers. */
  floorStored: number;
  /** With `commands`: database commands per product request, by name, and their mean round trip in ms. */
  commandsPerRequest: Record<string, { perRequest: number; meanMs: number }> | null;
  /** Product over floor: throughput (2xx/s) and latencies. */
  ratio: { throughput: number; p50: number; p99: number };
};

const round2 = (n: number) => Math.round(n * 100) / 100;
const BATCH = 10_000;

/** The contest seeded in this database by an earlier run, with every judge's remaining work. */
async function existingContest(m: Models) {
  const contest = await m.Contest.findOne({ name: /规模测试/, status: 'judging' }, { _id: 1 }).lean();
  if (!contest) return null;
  const contestId = String(contest._id);
  const judges = await m.Judge.find({ contestId }, { userId: 1 }).lean();
  const users = await m.User.find(
    { _id: mongoose.trusted({ $in: judges.map((j) => j.userId) }) },
    { username: 1 },
  ).lean();
  const usernameOf = new Map(users.map((u) => [String(u._id), u.username]));
  const entries = await m.Entry.countDocuments({ contestId });
  // Submitted scores are done; drafts go on from the version stored.
  // Read in batches of 10,000: without a batchSize, every getMore is answered with up to 16 MB at once, which on
  // the in-process test server holds its event loop (and every other client) for that long.
  const scores = await m.Score.find({ contestId }, { entryId: 1, judgeId: 1, status: 1, version: 1 })
    .batchSize(BATCH)
    .lean();
  const score = new Map(scores.map((s) => [`${s.judgeId}:${s.entryId}`, s]));
  const assignments = await m.Assignment.find({ contestId }, { entryId: 1, judgeId: 1, order: 1 })
    .sort({ judgeId: 1, order: 1 })
    .batchSize(BATCH)
    .lean();
  const byJudge = new Map<string, { entryId: string; version: number }[]>();
  for (const a of assignments) {
    const s = score.get(`${a.judgeId}:${a.entryId}`);
    if (s?.status === 'submitted') continue;
    const list = byJudge.get(String(a.judgeId)) ?? [];
    list.push({ entryId: String(a.entryId), version: s?.version ?? 0 });
    byJudge.set(String(a.judgeId), list);
  }
  const sorted = judges
    .map((j) => ({ username: usernameOf.get(String(j.userId))!, tasks: byJudge.get(String(j._id)) ?? [] }))
    .sort((a, b) => a.username.localeCompare(b.username));
  return { contestId, entries, judges: sorted };
}

async function floorRun(
  url: string,
  connections: number,
  seconds: number,
  timeout: number,
): Promise<RunFigures> {
  const rand = seededRandom(connections + 1).next;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout,
    requests: [
      {
        method: 'POST',
        path: '/insert',
        setupRequest: (req) => ({
          ...req,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ values: randomValues(rand) }),
        }),
      },
    ],
  });
  return figures(result, seconds);
}

function figures(result: autocannon.Result, seconds: number): RunFigures {
  return {
    requests: result.requests.total,
    ok: result['2xx'],
    requestsPerSecond: Math.round(result['2xx'] / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

export async function runLoad(options: Partial<LoadOptions> = {}): Promise<LoadReport> {
  const o: LoadOptions = { ...LOAD_DEFAULTS, ...options };
  o.judges = Math.max(o.judges, o.connections, 5);
  const log = o.log ?? ((l: string) => console.log(l));
  const own = o.mongo ? null : await startTestMongo(log);
  const mongo = o.mongo ?? own!;
  const dbUri = mongo.uri + (o.db ?? uniqueDbName('proof_load'));
  const majority = mongo.kind !== 'wire';
  log(
    `[load] ${o.entries} entries, ${o.connections} concurrent judges for ${o.duration} s; server ${o.build}; database ${mongo.kind}`,
  );
  if (mongo.kind === 'wire')
    log(
      '[load] NOTE: the database is the in-process wire-protocol TEST server (tests/support/miniMongo.ts), not mongod: these are NOT production figures.',
    );
  log(`[load] machine: ${machine()}`);
  if (o.build === 'dist') buildServer(log);

  const conn = await mongoose.createConnection(dbUri).asPromise();
  const m = createModels(conn);
  const children: { stop: () => Promise<void> }[] = [];
  try {
    // The server makes every index before the seed's first insert, as in production.
    const product = await forkChild(
      'server-child.mjs',
      productEnv({ dbUri, majority, build: o.build, countCommands: o.commands }),
      {
        tsx: o.build === 'src',
      },
    );
    children.push(product);

    const t0 = performance.now();
    let found = await existingContest(m);
    const seeded = found ? 'reused' : 'seeded';
    if (!found) {
      const fresh = await seed(m, { ...BENCH_DEFAULTS, entries: o.entries, judges: o.judges }, {}, (l) =>
        log(l),
      );
      found = {
        contestId: fresh.contestId,
        entries: fresh.counts.entries,
        judges: fresh.judgeUsernames.map((username, j) => ({
          username,
          tasks: fresh.unscored[j]!.map((entryId) => ({ entryId, version: 0 })),
        })),
      };
    }
    const seedMs = Math.round(performance.now() - t0);
    const tasks = found.judges.reduce((n, j) => n + j.tasks.length, 0);
    log(
      `[load] contest ${seeded} in ${seedMs} ms: ${found.entries} entries, ${found.judges.length} judges, ${tasks} scores left to save`,
    );
    if (found.judges.length < o.connections)
      throw new Error(
        `the contest has ${found.judges.length} judges, fewer than --connections ${o.connections}`,
      );

    const cookies = await pool(found.judges, 8, (j) => signIn(product.url, j.username, JUDGE_PASSWORD));
    const work: JudgeWork[] = found.judges.map((j, i) => ({
      cookie: cookies[i]!,
      tasks: j.tasks.map((t) => ({ ...t, busy: false, dead: false })),
      next: 0,
    }));

    type Commands = { commands: Record<string, { n: number; ms: number }> };
    const before = structuredClone((await product.ask<Commands>('commands')).commands);
    log(`[load] load average (1/5/15 min) before the runs: ${loadAverage()}`);
    const p = await loadRun(product.url, found.contestId, work, o.connections, o.duration, o.timeout);
    const failed = Object.entries(p.failures)
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ');
    log(
      `[load] product  PUT score: ${p.requestsPerSecond} req/s (2xx), p50 ${p.p50} ms, p99 ${p.p99} ms, max ${p.max} ms; ` +
        `${p.ok} ok of ${p.requests}; non-2xx ${p.non2xx}${failed ? ` (${failed})` : ''}; errors ${p.errors}, timeouts ${p.timeouts}`,
    );
    let commandsPerRequest: LoadReport['commandsPerRequest'] = null;
    if (o.commands) {
      // Saves still in flight when the load tool stopped finish first.
      await new Promise((r) => setTimeout(r, 1_000));
      const after = (await product.ask<Commands>('commands')).commands;
      commandsPerRequest = {};
      for (const [name, c] of Object.entries(after)) {
        const n = c.n - (before[name]?.n ?? 0);
        if (n > 0)
          commandsPerRequest[name] = {
            perRequest: round2(n / Math.max(1, p.requests)),
            meanMs: round2((c.ms - (before[name]?.ms ?? 0)) / n),
          };
      }
      log(
        `[load] database commands per product request: ${Object.entries(commandsPerRequest)
          .map(([k, c]) => `${k} ${c.perRequest} (mean ${c.meanMs} ms)`)
          .join(', ')}`,
      );
    }
    await product.stop();

    const floorChild = await forkChild('floor-child.mjs', {
      PROOF_DB_URI: dbUri,
      PROOF_DB_MAJORITY: majority ? '1' : '0',
    });
    children.push(floorChild);
    const f = await floorRun(floorChild.url, o.connections, o.duration, o.timeout);
    log(
      `[load] floor    POST /insert: ${f.requestsPerSecond} req/s (2xx), p50 ${f.p50} ms, p99 ${f.p99} ms, max ${f.max} ms; ` +
        `${f.ok} ok of ${f.requests}; non-2xx ${f.non2xx}; errors ${f.errors}, timeouts ${f.timeouts}`,
    );
    await floorChild.stop();
    const floorStored = await conn.collection('floorinserts').countDocuments();
    await conn
      .collection('floorinserts')
      .drop()
      .catch(() => undefined);

    const ratio = {
      throughput: round2(p.requestsPerSecond / Math.max(1, f.requestsPerSecond)),
      p50: round2(p.p50 / Math.max(0.01, f.p50)),
      p99: round2(p.p99 / Math.max(0.01, f.p99)),
    };
    log(`[load] load average after the runs: ${loadAverage()}`);
    log(`[load] product / floor: throughput ${ratio.throughput}, p50 ${ratio.p50}x, p99 ${ratio.p99}x`);

    return {
      db: mongo.kind,
      seeded,
      seedMs,
      counts: { entries: found.entries, judges: found.judges.length, tasks },
      product: { ...p, failures: p.failures, newDrafts: p.newDrafts, redrafts: p.redrafts },
      floor: f,
      floorStored,
      commandsPerRequest,
      ratio,
    };
  } finally {
    for (const c of children) await c.stop();
    if (!o.db) await conn.dropDatabase().catch(() => undefined);
    await conn.close();
    await own?.stop();
  }
}

export function parseLoadArgs(argv: string[]): Partial<LoadOptions> {
  const { values } = parseArgs({
    args: argv,
    options: {
      entries: { type: 'string' },
      judges: { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      timeout: { type: 'string' },
      db: { type: 'string' },
      src: { type: 'boolean' },
      commands: { type: 'boolean' },
    },
  });
  const int = (name: string, v: string | undefined, min: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} must be a whole number of at least ${min}, got "${v}"`);
    return n;
  };
  const out: Partial<LoadOptions> = {};
  if (values.commands) out.commands = true;
  const set = <K extends keyof LoadOptions>(k: K, v: LoadOptions[K] | undefined) =>
    v !== undefined && (out[k] = v);
  set('entries', int('entries', values.entries, 1));
  set('judges', int('judges', values.judges, 5));
  set('connections', int('connections', values.connections, 1));
  set('duration', int('duration', values.duration, 1));
  set('timeout', int('timeout', values.timeout, 1));
  if (values.db !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,60}$/.test(values.db))
      throw new Error(`--db must be 1–60 letters, digits, "_" or "-", got "${values.db}"`);
    out.db = values.db;
  }
  if (values.src) out.build = 'src';
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runLoad(parseLoadArgs(process.argv.slice(2))).then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
