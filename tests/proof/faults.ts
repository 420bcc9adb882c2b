// Fault proof (issue 6): judges save and submit scores while the server is killed with SIGKILL at random
// moments and restarted; afterwards every score a judge got a 2xx for must be in the database exactly once,
// with the version and values acknowledged, and no retry may have applied a change twice.
//
//   npm run proof:faults -- [--judges 200] [--duration 60] [--kills 5] [--entries-per-judge 60] [--min-acks 50]
//                           [--seed 6] [--src]
//
// Kill moments are drawn between 10% and 90% of the run; each also waits until the restarted server has
// acknowledged --min-acks changes, so every kill lands on a server under load (the run grows if needed).
// The server is a child process (server-child.mjs on the built server/dist; --src runs the sources under tsx).
// Database: MONGODB_URI when set, else the in-process wire-protocol test server (tests/support/miniMongo.ts),
// which lives here in the parent and so survives every kill of the server, as a real mongod would.
// Prints figures; it asserts nothing about time.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { createModels, hashPassword, type Models } from '../../server/src/index.ts';
import { seededRandom } from '../../server/src/seed/random.ts';
import {
  DEFAULTS as BENCH_DEFAULTS,
  JUDGE_PASSWORD,
  pool,
  randomValues,
  seed,
  signIn,
} from '../bench/contest-100k.ts';
import { baseUri, uniqueDbName } from '../support/mongo.ts';
import { MiniMongo } from '../support/miniMongo.ts';
import {
  buildServer,
  forkChild,
  freePort,
  loadAverage,
  machine,
  productEnv,
  type Child,
  type ServerBuild,
} from './child.ts';

export type FaultOptions = {
  /** Simulated judges, each with its own session, working at once. */
  judges: number;
  /** Seconds of load; kills happen between 10% and 90% of it. */
  duration: number;
  kills: number;
  /** Works assigned to each judge (5 judges per work), more than a judge can finish in the run. */
  entriesPerJudge: number;
  /** Changes the (re)started server must acknowledge before each kill and before the end (0: time alone). */
  minAcksBetweenKills: number;
  build: ServerBuild;
  /** Seed of the kill moments and the judges' values. */
  seed: number;
  /** A running database (base URI ending in `/`); MONGODB_URI or the wire-protocol test server when left out. */
  mongo?: { uri: string; kind: 'uri' | 'memory-server' | 'wire' };
  log?: (line: string) => void;
};

export const FAULT_DEFAULTS: FaultOptions = {
  judges: 200,
  duration: 60,
  kills: 5,
  entriesPerJudge: 60,
  minAcksBetweenKills: 50,
  build: 'dist',
  seed: 6,
};

export type FaultReport = {
  db: string;
  judges: number;
  seconds: number;
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Score changes (saves and submits) answered 2xx. */
  acks: number;
  saves: number;
  submits: number;
  /** Requests sent again with the same Idempotency-Key after a network error, timeout or 5xx. */
  retries: number;
  /** Acks of a retry answered from the stored answer: the original had been applied before the kill. */
  replayed: number;
  networkErrors: Record<string, number>;
  serverErrors: Record<string, number>;
  /** Definite refusals (4xx) of score changes: none are expected, each judge being the only writer of its scores. */
  refused: Record<string, number>;
  /** Changes still unanswered when the judge gave up. */
  unresolved: number;
  kills: number;
  /** Requests in flight at each kill. */
  inFlightAtKills: number[];
  /** Milliseconds from each kill until the restarted server listened. */
  restartMs: number[];
  /** Score documents checked, and the problems found in them. */
  scores: number;
  /** (judge, entry) pairs with more than one score document. */
  duplicateDocs: number;
  /** Idempotency-Keys applied more than once, or versions counting more changes than keys applied. */
  doubleApplied: number;
  /** Acknowledged changes missing from the database (key not applied, or the last acked state not stored). */
  lost: number;
  /** Keys applied that no judge was answered for (a kill cut the answer and no retry came); expected 0. */
  unacknowledgedApplied: number;
  audit: { ok: boolean; count: number; reason?: string };
  /** Applied score changes without their audit event (a kill between the score write and the audit append). */
  auditMissing: number;
  /** Audit events the server appended at each restart for changes a kill had cut off from theirs. */
  auditRepaired: number[];
  /** First problems found, for the log. */
  problems: string[];
};

const REQUEST_TIMEOUT_MS = 20_000;
const GIVE_UP_MS = 120_000;
const ADMIN_PASSWORD = 'proof-admin-password';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

type Op = 'save' | 'submit';
/** What a judge was answered 2xx for. */
export type Ack = {
  judgeId: string;
  entryId: string;
  op: Op;
  key: string;
  version: number;
  values: Record<string, number>;
  comment: string;
  status: string;
  replayed: boolean;
};

/** The product's server, restarted on the same port after every kill. */
class ServerUnderTest {
  child: Child | null = null;
  output: string[] = [];
  repaired: number[] = [];
  constructor(
    private readonly env: Record<string, string>,
    private readonly tsx: boolean,
  ) {}
  get url() {
    return `http://127.0.0.1:${this.env.PROOF_PORT}`;
  }
  async start(): Promise<number> {
    const t0 = performance.now();
    // The port of the killed process is free at once; a retry covers a slow release.
    for (let attempt = 0; ; attempt++) {
      try {
        this.child = await forkChild('server-child.mjs', this.env, { tsx: this.tsx });
        break;
      } catch (err) {
        if (attempt >= 20 || !String(err).includes('EADDRINUSE')) throw err;
        await sleep(100);
      }
    }
    this.output = this.child.output;
    this.repaired.push(this.child.ready.repaired ?? 0);
    return Math.round(performance.now() - t0);
  }
  async kill9() {
    await this.child?.kill9();
    this.child = null;
  }
  async stop() {
    await this.child?.stop();
    this.child = null;
  }
}

const sameValues = (a: Record<string, unknown> | undefined, b: Record<string, number>) =>
  JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b).sort());

/** The Judge ids of `usernames`, in their order. */
async function judgeIdsOf(m: Models, contestId: string, usernames: string[]): Promise<string[]> {
  const users = await m.User.find({ username: mongoose.trusted({ $in: usernames }) }, { username: 1 }).lean();
  const judges = await m.Judge.find({ contestId }, { userId: 1 }).lean();
  const judgeOfUser = new Map(judges.map((j) => [String(j.userId), String(j._id)]));
  const userOfName = new Map(users.map((u) => [u.username, String(u._id)]));
  return usernames.map((u) => judgeOfUser.get(userOfName.get(u)!)!);
}

export type ScoreCheck = Pick<
  FaultReport,
  | 'scores'
  | 'duplicateDocs'
  | 'doubleApplied'
  | 'lost'
  | 'unacknowledgedApplied'
  | 'auditMissing'
  | 'problems'
>;

/**
 * Compares what the judges were answered 2xx for with what the database holds: one score per judge and entry,
 * each acknowledged key applied exactly once, versions counting exactly the keys applied, the last acknowledged
 * state of every score stored as answered, and an audit event for every applied change.
 */
export async function checkScores(
  m: Models,
  contestId: string,
  acks: Ack[],
  sentKeys: Set<string>,
): Promise<ScoreCheck> {
  const docs = await m.Score.find({ contestId }).select('+appliedKeys').lean<any[]>();
  const problems: string[] = [];
  const problem = (p: string) => problems.length < 20 && problems.push(p);

  const byPair = new Map<string, any[]>();
  for (const d of docs) {
    const k = `${d.judgeId}:${d.entryId}`;
    byPair.set(k, [...(byPair.get(k) ?? []), d]);
  }
  let duplicateDocs = 0;
  for (const [k, list] of byPair)
    if (list.length > 1) {
      duplicateDocs += list.length - 1;
      problem(`${list.length} score documents for judge:entry ${k}`);
    }

  const keyUses = new Map<string, number>();
  let doubleApplied = 0;
  for (const d of docs) {
    const applied = (d.appliedKeys ?? []) as { key: string }[];
    for (const a of applied) keyUses.set(a.key, (keyUses.get(a.key) ?? 0) + 1);
    // Each change applied adds one key and one version (a score here sees far fewer than APPLIED_KEYS_KEPT).
    if (applied.length !== d.version) {
      doubleApplied++;
      problem(`score ${d._id}: version ${d.version} but ${applied.length} keys applied`);
    }
  }
  for (const [key, n] of keyUses)
    if (n > 1) {
      doubleApplied++;
      problem(`key ${key} applied ${n} times`);
    }

  let lost = 0;
  const lastAck = new Map<string, Ack>();
  for (const a of acks) {
    lastAck.set(`${a.judgeId}:${a.entryId}`, a);
    if (!keyUses.has(a.key)) {
      lost++;
      problem(`acknowledged ${a.op} ${a.key} (version ${a.version}) is not in the database`);
    }
  }
  for (const [k, a] of lastAck) {
    const d = byPair.get(k)?.[0];
    const same =
      d &&
      d.version === a.version &&
      d.status === a.status &&
      sameValues(d.values, a.values) &&
      (d.comment ?? '') === a.comment;
    if (!same) {
      lost++;
      problem(
        `judge:entry ${k}: last acknowledged ${a.op} was version ${a.version} ${a.status}; stored ${d ? `version ${d.version} ${d.status}` : 'nothing'}`,
      );
    }
  }

  const acked = new Set(acks.map((a) => a.key));
  let unacknowledgedApplied = 0;
  for (const key of keyUses.keys()) {
    if (!acked.has(key)) unacknowledgedApplied++;
    if (!sentKeys.has(key)) problem(`key ${key} applied but never sent`);
  }

  const events = await m.AuditEvent.find(
    { contestId, action: mongoose.trusted({ $in: ['score.save', 'score.submit'] }) },
    { after: 1 },
  ).lean<any[]>();
  const audited = new Set(events.map((e) => e.after?.idempotencyKey as string));
  let auditMissing = 0;
  for (const key of keyUses.keys()) if (!audited.has(key)) auditMissing++;

  return {
    scores: docs.length,
    duplicateDocs,
    doubleApplied,
    lost,
    unacknowledgedApplied,
    auditMissing,
    problems,
  };
}

export async function runFaults(options: Partial<FaultOptions> = {}): Promise<FaultReport> {
  const o: FaultOptions = { ...FAULT_DEFAULTS, ...options };
  const log = o.log ?? ((l: string) => console.log(l));
  const rand = seededRandom(o.seed).next;

  let mini: MiniMongo | null = null;
  let mongo = o.mongo;
  if (!mongo && process.env.MONGODB_URI) mongo = { uri: baseUri(process.env.MONGODB_URI), kind: 'uri' };
  if (!mongo) {
    mini = new MiniMongo();
    mongo = { uri: await mini.start(), kind: 'wire' };
  }
  const dbUri = mongo.uri + uniqueDbName('faults');
  const majority = mongo.kind !== 'wire';
  log(
    `[faults] ${o.judges} judges for ${o.duration} s, ${o.kills} kills; server ${o.build}; database ${mongo.kind}`,
  );
  if (mongo.kind === 'wire')
    log(
      '[faults] NOTE: the database is the in-process wire-protocol TEST server (tests/support/miniMongo.ts), not mongod.',
    );

  log(`[faults] machine: ${machine()}; load average ${loadAverage()}`);
  if (o.build === 'dist') buildServer(log);
  const conn = await mongoose.createConnection(dbUri).asPromise();
  const server = new ServerUnderTest(
    productEnv({ dbUri, majority, build: o.build, port: await freePort(), logLevel: 'error' }),
    o.build === 'src',
  );
  const stats = {
    requests: 0,
    retries: 0,
    replayed: 0,
    unresolved: 0,
    networkErrors: {} as Record<string, number>,
    serverErrors: {} as Record<string, number>,
    refused: {} as Record<string, number>,
  };
  const acks: Ack[] = [];
  /** Every key a judge sent, applied or not. */
  const sentKeys = new Set<string>();
  let inFlight = 0;
  const childOutput: string[] = [];

  try {
    await server.start();
    const m = createModels(conn);
    const seedMs: Record<string, number> = {};
    const seeded = await seed(
      m,
      {
        ...BENCH_DEFAULTS,
        entries: Math.ceil((o.judges * o.entriesPerJudge) / 5),
        judges: Math.max(5, o.judges),
        submittedShare: 0,
      },
      seedMs,
      () => undefined,
    );
    await m.User.create({
      username: 'proof-admin',
      displayName: '管理员',
      passwordHash: await hashPassword(ADMIN_PASSWORD),
      isAdmin: true,
    });
    log(
      `[faults] seeded ${seeded.counts.entries} entries, ${seeded.counts.assignments} assignments in ${seedMs.total ?? Object.values(seedMs).reduce((a, b) => a + b, 0)} ms`,
    );
    const cookies = await pool(seeded.judgeUsernames, 8, (u) => signIn(server.url, u, JUDGE_PASSWORD));
    const base = `/api/contests/${seeded.contestId}/judging/entries`;
    const judgeIds = await judgeIdsOf(m, seeded.contestId, seeded.judgeUsernames);

    /** Sends one score change until it is answered other than by a network error or a 5xx. */
    async function send(cookie: string, method: string, path: string, key: string, body: object) {
      sentKeys.add(key);
      const started = Date.now();
      for (let attempt = 0; ; attempt++) {
        if (attempt > 0) {
          stats.retries++;
          // Backoff with jitter, so a restarting server is not hit by every judge at the same moment.
          await sleep(Math.min(1_000, 25 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random()));
        }
        if (Date.now() - started > GIVE_UP_MS) {
          stats.unresolved++;
          return null;
        }
        stats.requests++;
        inFlight++;
        try {
          const res = await fetch(server.url + path, {
            method,
            headers: { cookie, 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          const text = await res.text();
          if (res.status >= 500) {
            count(stats.serverErrors, String(res.status));
            continue;
          }
          let parsed: any = null;
          try {
            parsed = JSON.parse(text);
          } catch {
            // a non-JSON answer is reported by its status
          }
          return {
            status: res.status,
            body: parsed,
            replayed: res.headers.get('idempotency-replayed') === 'true',
            attempt,
          };
        } catch (err: any) {
          count(stats.networkErrors, err?.cause?.code ?? err?.name ?? 'error');
        } finally {
          inFlight--;
        }
      }
    }

    let stopping = false;
    /** Judges still working, and the acks counted when the server last started. */
    let judging = cookies.length;
    let acksAtStart = 0;
    /** One judge: works through the list; each work is saved once or twice, then submitted. */
    async function judge(j: number) {
      const cookie = cookies[j]!;
      for (const entryId of seeded.unscored[j]!) {
        if (stopping) return;
        let version = 0;
        const saves = rand() < 0.5 ? 1 : 2;
        const steps: Op[] = [...Array<Op>(saves).fill('save'), 'submit'];
        for (const op of steps) {
          if (stopping) return;
          const key = `proof-${randomBytes(12).toString('base64url')}`;
          const values = op === 'save' ? randomValues(rand) : null;
          const comment = op === 'save' && rand() < 0.3 ? `评语 ${key.slice(-6)}` : undefined;
          const body =
            op === 'save'
              ? { values, baseVersion: version, ...(comment !== undefined && { comment }) }
              : { baseVersion: version };
          const answer = await send(
            cookie,
            op === 'save' ? 'PUT' : 'POST',
            `${base}/${entryId}/${op === 'save' ? 'score' : 'submit'}`,
            key,
            body,
          );
          if (!answer) return;
          if (answer.status < 200 || answer.status >= 300) {
            count(stats.refused, `${op} ${answer.status} ${answer.body?.error?.code ?? ''}`.trim());
            break;
          }
          if (answer.replayed) stats.replayed++;
          const b = answer.body as {
            version: number;
            values: Record<string, number>;
            comment: string;
            status: string;
          };
          acks.push({
            judgeId: judgeIds[j]!,
            entryId,
            op,
            key,
            version: b.version,
            values: b.values,
            comment: b.comment,
            status: b.status,
            replayed: answer.replayed,
          });
          version = b.version;
        }
      }
    }

    // Kill moments, drawn between 10% and 90% of the run. With minAcksBetweenKills, a kill also waits until the
    // restarted server has acknowledged that many changes, so a slow machine still kills a server under load.
    const t0 = performance.now();
    const killAt = Array.from({ length: o.kills }, () => (0.1 + 0.8 * rand()) * o.duration * 1000).sort(
      (a, b) => a - b,
    );
    const inFlightAtKills: number[] = [];
    const restartMs: number[] = [];
    const enoughAcks = async () => {
      while (acks.length - acksAtStart < o.minAcksBetweenKills && judging > 0) await sleep(20);
    };
    const killer = (async () => {
      for (const at of killAt) {
        const wait = at - (performance.now() - t0);
        if (wait > 0) await sleep(wait);
        await enoughAcks();
        const killedAt = (performance.now() - t0) / 1000;
        inFlightAtKills.push(inFlight);
        childOutput.push(...server.output);
        await server.kill9();
        restartMs.push(await server.start());
        acksAtStart = acks.length;
        log(
          `[faults] kill ${inFlightAtKills.length} at ${killedAt.toFixed(1)} s with ${inFlightAtKills.at(-1)} requests in flight; listening again after ${restartMs.at(-1)} ms`,
        );
      }
    })();
    const stopper = (async () => {
      await sleep(o.duration * 1000);
      await killer;
      await enoughAcks();
      stopping = true;
    })();
    await Promise.all([...cookies.map(async (_, j) => judge(j).finally(() => judging--)), killer, stopper]);
    const seconds = (performance.now() - t0) / 1000;
    childOutput.push(...server.output);

    const check = await checkScores(m, seeded.contestId, acks, sentKeys);

    // The audit chain, as the administrator checks it.
    const admin = await signIn(server.url, 'proof-admin', ADMIN_PASSWORD);
    const verify = await fetch(`${server.url}/api/admin/audit/verify`, { headers: { cookie: admin } });
    const audit = (await verify.json()) as FaultReport['audit'];
    const { scores, duplicateDocs, doubleApplied, lost, unacknowledgedApplied, auditMissing, problems } =
      check;

    const report: FaultReport = {
      db: mongo.kind,
      judges: o.judges,
      seconds: Math.round(seconds * 10) / 10,
      requests: stats.requests,
      acks: acks.length,
      saves: acks.filter((a) => a.op === 'save').length,
      submits: acks.filter((a) => a.op === 'submit').length,
      retries: stats.retries,
      replayed: stats.replayed,
      networkErrors: stats.networkErrors,
      serverErrors: stats.serverErrors,
      refused: stats.refused,
      unresolved: stats.unresolved,
      kills: inFlightAtKills.length,
      inFlightAtKills,
      restartMs,
      scores,
      duplicateDocs,
      doubleApplied,
      lost,
      unacknowledgedApplied,
      audit,
      auditMissing,
      auditRepaired: server.repaired.slice(1),
      problems,
    };
    const fmt = (r: Record<string, number>) =>
      Object.entries(r)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none';
    log(
      `[faults] ${report.requests} requests in ${report.seconds} s; ${report.acks} score changes acknowledged (${report.saves} saves, ${report.submits} submits)`,
    );
    log(
      `[faults] kills ${report.kills} (in flight: ${inFlightAtKills.join(', ')}; restarts in ${restartMs.join(', ')} ms)`,
    );
    log(
      `[faults] retries ${report.retries}; acks replayed from the stored answer ${report.replayed}; network errors: ${fmt(stats.networkErrors)}; 5xx: ${fmt(stats.serverErrors)}; refused: ${fmt(stats.refused)}; unresolved ${report.unresolved}`,
    );
    log(
      `[faults] database: ${report.scores} score documents; duplicates ${duplicateDocs}; applied twice ${doubleApplied}; lost ${lost}; applied but never acknowledged ${unacknowledgedApplied}`,
    );
    log(
      `[faults] audit chain: ${audit.ok ? `verifies (${audit.count} events)` : `BROKEN at ${JSON.stringify(audit)}`}; score changes without an audit event: ${auditMissing} (appended at the restarts: ${report.auditRepaired.join(', ')})`,
    );
    const childErrors = childOutput.filter((l) => /"level":(50|60)|Error/.test(l));
    if (childErrors.length)
      log(`[faults] server logged ${childErrors.length} errors; first: ${childErrors[0]!.slice(0, 300)}`);
    for (const p of problems) log(`[faults] PROBLEM ${p}`);
    return report;
  } finally {
    await server.stop();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
    await mini?.stop();
  }
}

export function parseFaultArgs(argv: string[]): Partial<FaultOptions> {
  const { values } = parseArgs({
    args: argv,
    options: {
      judges: { type: 'string' },
      duration: { type: 'string' },
      kills: { type: 'string' },
      'entries-per-judge': { type: 'string' },
      seed: { type: 'string' },
      'min-acks': { type: 'string' },
      src: { type: 'boolean' },
    },
  });
  const int = (name: string, v: string | undefined, min: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} must be a whole number of at least ${min}, got "${v}"`);
    return n;
  };
  const out: Partial<FaultOptions> = {};
  const set = <K extends keyof FaultOptions>(k: K, v: FaultOptions[K] | undefined) =>
    v !== undefined && (out[k] = v);
  set('judges', int('judges', values.judges, 1));
  set('duration', int('duration', values.duration, 1));
  set('kills', int('kills', values.kills, 0));
  set('entriesPerJudge', int('entries-per-judge', values['entries-per-judge'], 1));
  set('seed', int('seed', values.seed, 0));
  set('minAcksBetweenKills', int('min-acks', values['min-acks'], 0));
  if (values.src) out.build = 'src';
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runFaults(parseFaultArgs(process.argv.slice(2))).then(
    (r) => process.exit(r.lost || r.duplicateDocs || r.doubleApplied || r.unresolved || !r.audit.ok ? 1 : 0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
