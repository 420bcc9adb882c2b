import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { JudgeScore } from '@pingxuan/shared';
import { openJudgeDb, type JudgeDb } from '../src/judge/db';
import { ScoreSync, retryDelay, workState, type SyncOptions } from '../src/judge/outbox';

const CONTEST = 'c1';

type Sent = { method: string; entryId: string; kind: string; key: string; body: Record<string, unknown> };

/**
 * The scoring routes as the server keeps them: versions, one answer per Idempotency-Key (replayed on a
 * retry), 409 with the current score on a stale base version or a submitted score.
 */
function fakeServer() {
  const scores = new Map<string, JudgeScore>();
  const answers = new Map<string, { status: number; body: unknown }>();
  const sent: Sent[] = [];
  const state = {
    offline: false,
    /** Answers the next N requests with 503 without applying them. */
    failNext: 0,
    /** Applies the next request but loses its answer (the connection drops on the way back). */
    loseAnswer: false,
    /** Holds requests until released. */
    gate: null as Promise<void> | null,
  };
  let version = 0;
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  async function fetch(url: string, init: RequestInit): Promise<Response> {
    if (state.gate) await state.gate;
    if (state.offline) throw new TypeError('Failed to fetch');
    const m = url.match(/\/api\/contests\/([^/]+)\/judging\/entries\/([^/]+)\/(score|submit)$/);
    if (!m) return json(404, { error: { code: 'not_found', message: 'route' } });
    const entryId = m[2]!;
    const key = (init.headers as Record<string, string>)['idempotency-key']!;
    const body = JSON.parse(String(init.body)) as Record<string, unknown>;
    sent.push({ method: init.method!, entryId, kind: m[3]!, key, body });
    if (state.failNext > 0) {
      state.failNext--;
      return json(503, { error: { code: 'unavailable', message: 'restarting' } });
    }
    const replay = answers.get(key);
    if (replay) return json(replay.status, replay.body);
    const current = scores.get(entryId) ?? null;
    if (current?.status === 'submitted')
      return json(409, { error: { code: 'score_locked', message: 'locked', current } });
    if ((current?.version ?? 0) !== body.baseVersion)
      return json(409, { error: { code: 'conflict', message: 'stale', current } });
    let next: JudgeScore;
    if (m[3] === 'score') {
      next = {
        values: body.values as Record<string, number>,
        comment: (body.comment as string | undefined) ?? current?.comment ?? '',
        status: 'draft',
        version: (current?.version ?? 0) + 1,
        updatedAt: new Date(++version * 1000).toISOString(),
      };
    } else {
      if (!current || Object.keys(current.values).length < 2)
        return json(400, {
          error: { code: 'bad_request', message: 'body.values.b: needs a value', fields: [] },
        });
      next = { ...current, status: 'submitted', version: current.version + 1 };
    }
    scores.set(entryId, next);
    answers.set(key, { status: 200, body: next });
    if (state.loseAnswer) {
      state.loseAnswer = false;
      throw new TypeError('connection reset');
    }
    return json(200, next);
  }
  /** Another device of the same judge writes directly. */
  const writeElsewhere = (
    entryId: string,
    values: Record<string, number>,
    status: 'draft' | 'submitted' = 'draft',
  ) => {
    const current = scores.get(entryId);
    const next: JudgeScore = {
      values,
      comment: current?.comment ?? '',
      status,
      version: (current?.version ?? 0) + 1,
      updatedAt: new Date(++version * 1000).toISOString(),
    };
    scores.set(entryId, next);
    return next;
  };
  return { fetch, scores, sent, state, writeElsewhere };
}

let dbs: JudgeDb[] = [];
let n = 0;
afterEach(() => {
  for (const db of dbs) db.close();
  dbs = [];
});

async function setup(server = fakeServer(), extra: Partial<SyncOptions> = {}) {
  const name = `judge-test-${++n}`;
  const db = await openJudgeDb('u', name);
  dbs.push(db);
  let clock = 1_000_000;
  let keys = 0;
  const timers: { ms: number }[] = [];
  const opts = (): SyncOptions => ({
    db,
    contestId: CONTEST,
    fetch: server.fetch,
    now: () => clock,
    random: () => 1,
    newKey: () => `key-${String(++keys).padStart(4, '0')}`,
    // Timers are recorded, not run: each test says when the outbox sends.
    setTimer: (_fn, ms) => timers.push({ ms }),
    clearTimer: () => undefined,
    lock: (_name, fn) => fn(),
    ...extra,
  });
  const sync = await ScoreSync.open(opts());
  /** A new tab on the same device: a reload. */
  const reopen = async () => {
    const again = await openJudgeDb('u', name);
    dbs.push(again);
    return ScoreSync.open({ ...opts(), db: again });
  };
  return { sync, server, db, reopen, timers, tick: (ms: number) => (clock += ms), now: () => clock };
}

describe('the judge outbox', () => {
  it('keeps every change on the device at once, before anything is sent', async () => {
    const { sync, server, reopen } = await setup();
    expect(await sync.change('e1', { values: { a: 7 } })).toBe(true);
    await sync.change('e1', { comment: '字形端正' });
    expect(server.sent).toEqual([]);
    const s = sync.getSnapshot();
    expect(s.scores.get('e1')).toMatchObject({ values: { a: 7 }, comment: '字形端正', status: 'draft' });
    expect(workState(s.scores.get('e1'), s.pending.has('e1'))).toBe('device');

    // The tab closes before the outbox sent anything: a reload finds the change and its queued request.
    const after = await reopen();
    const r = after.getSnapshot();
    expect(r.scores.get('e1')).toMatchObject({ values: { a: 7 }, comment: '字形端正' });
    expect([...r.pending]).toEqual(['e1']);
    await after.flush();
    expect(server.sent).toHaveLength(1);
    expect(server.scores.get('e1')).toMatchObject({ values: { a: 7 }, comment: '字形端正', version: 1 });
    expect(workState(after.getSnapshot().scores.get('e1'), after.getSnapshot().pending.has('e1'))).toBe(
      'synced',
    );
  });

  it('coalesces queued changes per work into one request with the last values', async () => {
    const { sync, server } = await setup();
    await sync.change('e1', { values: { a: 5 } });
    await sync.change('e1', { values: { a: 6 } });
    await sync.change('e2', { values: { a: 9 } });
    await sync.change('e1', { values: { a: 6, b: 3 }, comment: '好' });
    await sync.flush();
    expect(server.sent.map((s) => [s.entryId, s.body])).toEqual([
      ['e1', { values: { a: 6, b: 3 }, comment: '好', baseVersion: 0 }],
      ['e2', { values: { a: 9 }, comment: '', baseVersion: 0 }],
    ]);
    expect(new Set(server.sent.map((s) => s.key)).size).toBe(2);
    const snap = sync.getSnapshot();
    expect(snap.pending.size).toBe(0);
    expect(snap.scores.get('e1')!.server).toMatchObject({ version: 1, values: { a: 6, b: 3 } });
    expect(snap.hold).toBeNull();
  });

  it('queues a change made while a request is on its way behind it, on the version that request made', async () => {
    const { sync, server } = await setup();
    await sync.change('e1', { values: { a: 5 } });
    let release!: () => void;
    server.state.gate = new Promise((r) => (release = r));
    const flushing = sync.flush();
    await new Promise((r) => setTimeout(r, 10)); // the first request is frozen and waiting
    await sync.change('e1', { values: { a: 8 } });
    server.state.gate = null;
    release();
    await flushing;
    await sync.flush();
    expect(server.sent.map((s) => s.body)).toEqual([
      { values: { a: 5 }, comment: '', baseVersion: 0 },
      { values: { a: 8 }, comment: '', baseVersion: 1 },
    ]);
    expect(server.sent[0]!.key).not.toBe(server.sent[1]!.key);
    expect(server.scores.get('e1')).toMatchObject({ values: { a: 8 }, version: 2 });
  });

  it('retries a request under the same key and body when offline or on 5xx, with growing pauses', async () => {
    const { sync, server, tick, timers, now, reopen } = await setup();
    server.state.offline = true;
    await sync.change('e1', { values: { a: 5 } });
    await sync.flush();
    let snap = sync.getSnapshot();
    expect(snap.hold).toBe('offline');
    expect(snap.retryAt! - now()).toBe(1000);
    // Before the pause is over nothing goes out.
    await sync.flush();
    expect(server.sent).toHaveLength(0); // offline: the fake counts only requests that reached it

    server.state.offline = false;
    server.state.failNext = 2; // a server restarting
    tick(1000);
    await sync.flush();
    expect(sync.getSnapshot().hold).toBe('server');
    expect(sync.getSnapshot().retryAt! - now()).toBe(2000);
    tick(2000);
    await sync.flush();
    expect(sync.getSnapshot().retryAt! - now()).toBe(4000);
    expect(timers.length).toBeGreaterThan(0); // the next attempt is scheduled

    // The tab is reloaded while the server is still down: the stored request keeps its key.
    const after = await reopen();
    await after.flush();
    snap = after.getSnapshot();
    expect(snap.hold).toBeNull();
    expect(server.sent).toHaveLength(3);
    expect(new Set(server.sent.map((s) => s.key))).toEqual(new Set(['key-0001']));
    expect(server.sent.every((s) => JSON.stringify(s.body) === JSON.stringify(server.sent[0]!.body))).toBe(
      true,
    );
    expect(server.scores.get('e1')!.version).toBe(1);
  });

  it('applies a change once when the answer is lost and the retry is replayed', async () => {
    const { sync, server } = await setup();
    server.state.loseAnswer = true;
    await sync.change('e1', { values: { a: 5 } });
    await sync.flush();
    expect(sync.getSnapshot().hold).toBe('offline');
    expect(server.scores.get('e1')!.version).toBe(1); // applied on the server already
    await sync.wake();
    expect(server.sent.map((s) => s.key)).toEqual(['key-0001', 'key-0001']);
    expect(server.scores.get('e1')!.version).toBe(1);
    expect(sync.getSnapshot().scores.get('e1')!.server!.version).toBe(1);
    // The next change starts from that version: no false conflict.
    await sync.change('e1', { values: { a: 6 } });
    await sync.flush();
    expect(server.scores.get('e1')).toMatchObject({ values: { a: 6 }, version: 2 });
    expect(sync.getSnapshot().scores.get('e1')!.conflict).toBeNull();
  });

  it('surfaces a 409 as a conflict with both copies; keeping the device copy sends it on the server version', async () => {
    const { sync, server } = await setup();
    await sync.change('e1', { values: { a: 5 } });
    await sync.flush();
    const elsewhere = server.writeElsewhere('e1', { a: 9 });
    await sync.change('e1', { values: { a: 6 } });
    await sync.flush();
    let s = sync.getSnapshot().scores.get('e1')!;
    expect(s.conflict).toEqual({ server: elsewhere, code: 'conflict' });
    expect(s.values).toEqual({ a: 6 }); // the device copy stays until the judge chooses
    expect(workState(s, sync.getSnapshot().pending.has('e1'))).toBe('conflict');
    expect(await sync.change('e1', { values: { a: 7 } })).toBe(false);

    expect(await sync.resolveConflict('e1', 'device')).toBe(true);
    await sync.flush();
    expect(server.sent.at(-1)!.body).toEqual({ values: { a: 6 }, comment: '', baseVersion: 2 });
    expect(server.scores.get('e1')).toMatchObject({ values: { a: 6 }, version: 3 });
    s = sync.getSnapshot().scores.get('e1')!;
    expect([s.conflict, s.server!.version]).toEqual([null, 3]);
  });

  it('keeping the server copy replaces the device copy; a locked server copy cannot be overwritten', async () => {
    const { sync, server } = await setup();
    await sync.change('e1', { values: { a: 5 } });
    await sync.flush();
    const locked = server.writeElsewhere('e1', { a: 9, b: 1 }, 'submitted');
    await sync.change('e1', { values: { a: 6 } });
    await sync.flush();
    const s = sync.getSnapshot().scores.get('e1')!;
    expect(s.conflict?.code).toBe('score_locked');
    expect(await sync.resolveConflict('e1', 'device')).toBe(false);
    expect(await sync.resolveConflict('e1', 'server')).toBe(true);
    const after = sync.getSnapshot().scores.get('e1')!;
    expect(after).toMatchObject({
      values: locked.values,
      status: 'submitted',
      server: locked,
      conflict: null,
    });
    expect(workState(after, false)).toBe('submitted');
  });

  it('a 409 whose server copy equals the device copy is no conflict', async () => {
    const { sync, server } = await setup();
    await sync.change('e1', { values: { a: 5 } });
    await sync.flush();
    server.writeElsewhere('e1', { a: 6 });
    await sync.change('e1', { values: { a: 6 } });
    await sync.flush();
    const s = sync.getSnapshot().scores.get('e1')!;
    expect(s.conflict).toBeNull();
    expect(s.server!.version).toBe(2);
    expect(workState(s, sync.getSnapshot().pending.has('e1'))).toBe('synced');
  });

  it('submits behind the unsent changes and locks the work; a refused submission unlocks it', async () => {
    const { sync, server } = await setup();
    await sync.change('e1', { values: { a: 5, b: 2 } });
    await sync.change('e2', { values: { a: 5 } });
    expect(await sync.submit(['e1', 'e2', 'nope'])).toEqual(['e1', 'e2']);
    expect(await sync.change('e1', { values: { a: 1, b: 1 } })).toBe(false);
    expect(workState(sync.getSnapshot().scores.get('e1'), true)).toBe('submitting');
    await sync.flush();
    expect(server.sent.map((s) => `${s.entryId}:${s.kind}`)).toEqual([
      'e1:score',
      'e2:score',
      'e1:submit',
      'e2:submit',
    ]);
    expect(server.sent[2]!.body).toEqual({ baseVersion: 1 });
    const snap = sync.getSnapshot();
    expect(workState(snap.scores.get('e1'), snap.pending.has('e1'))).toBe('submitted');
    expect(server.scores.get('e1')!.status).toBe('submitted');
    const e2 = snap.scores.get('e2')!;
    expect([e2.status, e2.rejected?.status, workState(e2, false)]).toEqual(['draft', 400, 'rejected']);
    // Fixing the work clears the refusal.
    await sync.change('e2', { values: { a: 5, b: 1 } });
    await sync.submit(['e2']);
    await sync.flush();
    expect(server.scores.get('e2')).toMatchObject({ status: 'submitted', values: { a: 5, b: 1 } });
  });

  it('takes in server copies only for works without unconfirmed changes, and never an older version', async () => {
    const { sync } = await setup();
    const v = (version: number, a: number): JudgeScore => ({
      values: { a },
      comment: '',
      status: 'draft',
      version,
      updatedAt: new Date(0).toISOString(),
    });
    await sync.adoptServer([
      { entryId: 'e1', score: v(2, 8) },
      { entryId: 'e2', score: null },
    ]);
    expect(sync.getSnapshot().scores.get('e1')).toMatchObject({ values: { a: 8 }, server: { version: 2 } });
    expect(sync.getSnapshot().scores.has('e2')).toBe(false);
    await sync.adoptServer([{ entryId: 'e1', score: v(1, 3) }]);
    expect(sync.getSnapshot().scores.get('e1')!.values).toEqual({ a: 8 });
    await sync.change('e1', { values: { a: 9 } });
    await sync.adoptServer([{ entryId: 'e1', score: v(3, 4) }]);
    expect(sync.getSnapshot().scores.get('e1')!.values).toEqual({ a: 9 });
  });

  it('waits for a new sign-in on 401 and for judging on contest_not_judging, keeping the change', async () => {
    const server = fakeServer();
    let answer = 401;
    const fetch = async (url: string, init: RequestInit) =>
      answer === 200
        ? server.fetch(url, init)
        : new Response(
            JSON.stringify({
              error: { code: answer === 401 ? 'unauthenticated' : 'contest_not_judging', message: 'x' },
            }),
            { status: answer, headers: { 'content-type': 'application/json' } },
          );
    const { sync } = await setup(server, { fetch });
    await sync.change('e1', { values: { a: 5 } });
    await sync.flush();
    expect(sync.getSnapshot().hold).toBe('signedOut');
    answer = 409;
    await sync.wake();
    expect(sync.getSnapshot().hold).toBe('notJudging');
    expect([...sync.getSnapshot().pending]).toEqual(['e1']);
    answer = 200;
    await sync.wake();
    expect(sync.getSnapshot().hold).toBeNull();
    expect(server.scores.get('e1')!.values).toEqual({ a: 5 });
  });

  it('backs off exponentially up to 30 s, with jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map((f) => retryDelay(f, () => 1))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(retryDelay(3, () => 0)).toBe(2000);
  });
});
