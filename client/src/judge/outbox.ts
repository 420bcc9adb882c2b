// The judge's sync engine: every change goes to the device first (IndexedDB), then an outbox sends it to the
// server in the background, one request at a time in the order made, each under its own Idempotency-Key.
// Plain TypeScript with its I/O passed in, so client/test drives it with fake-indexeddb and a fake fetch.
import type { JudgeScore, ScoreValues } from '@pingxuan/shared';
import type { JudgeDb, LocalScore, OutboxOp, SaveBody, SubmitBody } from './db';

/** Why the outbox is waiting instead of sending. */
export type Hold = 'offline' | 'server' | 'signedOut' | 'notJudging';

export type SyncSnapshot = {
  scores: ReadonlyMap<string, LocalScore>;
  /** Works with changes on the device that the server has not confirmed yet. */
  pending: ReadonlySet<string>;
  hold: Hold | null;
  /** When the next attempt is due while held (ms since the epoch). */
  retryAt: number | null;
  /** A request is on its way. */
  sending: boolean;
  /** When the server last confirmed a change. */
  confirmedAt: number | null;
};

export type SyncOptions = {
  db: JudgeDb;
  contestId: string;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  apiBase?: string;
  now?: () => number;
  random?: () => number;
  newKey?: () => string;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Changes made within this time go out as one request (they coalesce in the outbox). */
  sendDelayMs?: number;
  requestTimeoutMs?: number;
  /** Serializes sending across tabs of the same judge; Web Locks when the browser has them. */
  lock?: (name: string, fn: () => Promise<void>) => Promise<void>;
};

const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 30_000;

/** Exponential backoff with jitter, so tablets coming back together do not hit the server in step. */
export function retryDelay(failures: number, random: () => number = Math.random): number {
  const full = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(full * (0.5 + random() / 2));
}

/** 32 hex digits from getRandomValues, which (unlike randomUUID) also works on a LAN over plain HTTP. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `j-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function blank(contestId: string, entryId: string, now: number): LocalScore {
  return {
    contestId,
    entryId,
    values: {},
    comment: '',
    status: 'draft',
    server: null,
    conflict: null,
    rejected: null,
    changedAt: now,
  };
}

function fromServer(contestId: string, entryId: string, score: JudgeScore, now: number): LocalScore {
  return {
    ...blank(contestId, entryId, now),
    values: { ...score.values },
    comment: score.comment,
    status: score.status,
    server: score,
  };
}

export function sameValues(a: ScoreValues, b: ScoreValues): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

/** The device holds exactly what the server has (values, comment and status). */
export function matchesServer(s: LocalScore, server: JudgeScore | null): boolean {
  if (!server) return Object.keys(s.values).length === 0 && s.comment === '' && s.status === 'draft';
  return sameValues(s.values, server.values) && s.comment === server.comment && s.status === server.status;
}

const isScore = (b: unknown): b is JudgeScore =>
  typeof b === 'object' &&
  b !== null &&
  typeof (b as JudgeScore).version === 'number' &&
  typeof (b as JudgeScore).values === 'object' &&
  typeof (b as JudgeScore).status === 'string';

type Reply = { kind: 'network' } | { kind: 'http'; status: number; body: unknown };

function defaultLock(name: string, fn: () => Promise<void>): Promise<void> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? locks.request(name, fn) : fn();
}

export class ScoreSync {
  private readonly db: JudgeDb;
  readonly contestId: string;
  private readonly fetchFn: (url: string, init: RequestInit) => Promise<Response>;
  private readonly apiBase: string;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly newKey: () => string;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly sendDelayMs: number;
  private readonly requestTimeoutMs: number;
  private readonly lock: (name: string, fn: () => Promise<void>) => Promise<void>;

  private scores = new Map<string, LocalScore>();
  private pending = new Set<string>();
  private hold: Hold | null = null;
  private failures = 0;
  private retryAt: number | null = null;
  private sending = false;
  private confirmedAt: number | null = null;
  private timer: unknown = null;
  private timerAt = Infinity;
  private running: Promise<void> | null = null;
  private rerun = false;
  private closed = false;
  private snapshot!: SyncSnapshot;
  private readonly listeners = new Set<() => void>();

  constructor(opts: SyncOptions) {
    this.db = opts.db;
    this.contestId = opts.contestId;
    this.fetchFn = opts.fetch ?? ((url, init) => fetch(url, init));
    this.apiBase = opts.apiBase ?? '/api';
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.newKey = opts.newKey ?? newIdempotencyKey;
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.sendDelayMs = opts.sendDelayMs ?? 300;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 15_000;
    this.lock = opts.lock ?? defaultLock;
    this.publish();
  }

  /** Opens the engine on what the device holds; nothing is sent until flush() or a change. */
  static async open(opts: SyncOptions): Promise<ScoreSync> {
    const sync = new ScoreSync(opts);
    await sync.reload();
    return sync;
  }

  // ---- reading ----

  getSnapshot = (): SyncSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Reads the device again (another tab of the same judge may have written). */
  async reload(): Promise<void> {
    const [scores, ops] = await Promise.all([
      this.db.getAllFromIndex('scores', 'byContest', this.contestId),
      this.db.getAllFromIndex('outbox', 'byContest', this.contestId),
    ]);
    this.scores = new Map(scores.map((s) => [s.entryId, s]));
    this.pending = new Set(ops.map((o) => o.entryId));
    this.publish();
  }

  private publish() {
    this.snapshot = {
      scores: new Map(this.scores),
      pending: new Set(this.pending),
      hold: this.hold,
      retryAt: this.retryAt,
      sending: this.sending,
      confirmedAt: this.confirmedAt,
    };
    for (const l of this.listeners) l();
  }

  // ---- changes by the judge ----

  /**
   * Saves the change on the device and queues it. A queued change not yet sent absorbs the next one, so a run
   * of taps goes out as one request; once sent, a request is frozen and a later change queues behind it.
   * Returns false (changing nothing) when the work is submitted or waits for the judge to settle a conflict.
   */
  async change(entryId: string, patch: { values?: ScoreValues; comment?: string }): Promise<boolean> {
    const tx = this.db.transaction(['scores', 'outbox'], 'readwrite');
    const scores = tx.objectStore('scores');
    const outbox = tx.objectStore('outbox');
    const now = this.now();
    const current = (await scores.get([this.contestId, entryId])) ?? blank(this.contestId, entryId, now);
    if (current.status === 'submitted' || current.conflict) {
      await tx.done;
      return false;
    }
    const next: LocalScore = {
      ...current,
      values: patch.values ? { ...patch.values } : current.values,
      comment: patch.comment ?? current.comment,
      rejected: null,
      changedAt: now,
    };
    await scores.put(next);
    const ops = await this.opsOf(outbox, entryId);
    const last = ops.at(-1);
    if (!(last && last.kind === 'save' && last.body === null))
      await outbox.add(this.op(entryId, 'save', now));
    await tx.done;
    this.scores.set(entryId, next);
    this.pending.add(entryId);
    this.publish();
    this.kick(this.sendDelayMs);
    return true;
  }

  /**
   * Queues the submission of each work (behind its unsent changes) and locks it on the device at once.
   * Completeness against the rubric is the caller's check; the server checks again.
   */
  async submit(entryIds: readonly string[]): Promise<string[]> {
    const tx = this.db.transaction(['scores', 'outbox'], 'readwrite');
    const scores = tx.objectStore('scores');
    const outbox = tx.objectStore('outbox');
    const now = this.now();
    const done: LocalScore[] = [];
    for (const entryId of entryIds) {
      const current = await scores.get([this.contestId, entryId]);
      if (!current || current.status === 'submitted' || current.conflict) continue;
      const ops = await this.opsOf(outbox, entryId);
      // Values the server never confirmed (say, a refused change) go out again before the submission.
      if (ops.length === 0 && !matchesServer(current, current.server))
        await outbox.add(this.op(entryId, 'save', now));
      await outbox.add(this.op(entryId, 'submit', now));
      const next: LocalScore = { ...current, status: 'submitted', rejected: null, changedAt: now };
      await scores.put(next);
      done.push(next);
    }
    await tx.done;
    for (const s of done) {
      this.scores.set(s.entryId, s);
      this.pending.add(s.entryId);
    }
    this.publish();
    if (done.length) this.kick(0);
    return done.map((s) => s.entryId);
  }

  /**
   * Settles a conflict: 'server' takes the server's copy; 'device' sends the device's copy again on top of the
   * server's version (impossible when the server's copy is submitted: it is locked until an organizer reopens it).
   */
  async resolveConflict(entryId: string, keep: 'device' | 'server'): Promise<boolean> {
    const tx = this.db.transaction(['scores', 'outbox'], 'readwrite');
    const scores = tx.objectStore('scores');
    const outbox = tx.objectStore('outbox');
    const now = this.now();
    const current = await scores.get([this.contestId, entryId]);
    if (!current?.conflict) {
      await tx.done;
      return false;
    }
    const server = current.conflict.server;
    let next: LocalScore;
    let queued = false;
    if (keep === 'server') {
      next = server
        ? { ...fromServer(this.contestId, entryId, server, now) }
        : { ...blank(this.contestId, entryId, now) };
    } else {
      if (server?.status === 'submitted') {
        await tx.done;
        return false;
      }
      next = { ...current, server, conflict: null, rejected: null, changedAt: now };
      await outbox.add(this.op(entryId, 'save', now));
      if (current.status === 'submitted') await outbox.add(this.op(entryId, 'submit', now));
      queued = true;
    }
    await scores.put(next);
    await tx.done;
    this.scores.set(entryId, next);
    if (queued) this.pending.add(entryId);
    this.publish();
    if (queued) this.kick(0);
    return true;
  }

  /**
   * Takes in the server's copies (from the work list or a work's page). A work with changes still queued, a
   * conflict or a refused change keeps the device's copy; an answer older than what the device already
   * confirmed (a list read before the last save landed) changes nothing.
   */
  async adoptServer(items: readonly { entryId: string; score: JudgeScore | null }[]): Promise<void> {
    const tx = this.db.transaction(['scores', 'outbox'], 'readwrite');
    const scores = tx.objectStore('scores');
    const outbox = tx.objectStore('outbox');
    const queued = new Set((await outbox.index('byContest').getAll(this.contestId)).map((o) => o.entryId));
    const now = this.now();
    const changed: LocalScore[] = [];
    for (const { entryId, score } of items) {
      if (!score || queued.has(entryId)) continue;
      const current = await scores.get([this.contestId, entryId]);
      if (current && (current.conflict || current.rejected)) continue;
      if (current?.server && score.version < current.server.version) continue;
      if (current?.server?.version === score.version && matchesServer(current, score)) continue;
      const next = fromServer(this.contestId, entryId, score, now);
      await scores.put(next);
      changed.push(next);
    }
    await tx.done;
    for (const s of changed) this.scores.set(s.entryId, s);
    if (changed.length) this.publish();
  }

  // ---- sending ----

  /** Sends what is queued now (ignoring the pause of a retry), e.g. when the browser comes back online. */
  wake(): Promise<void> {
    this.retryAt = null;
    return this.flush();
  }

  /** Sends the queue in order until it is empty or the server cannot take more for now. */
  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    const run = async () => {
      try {
        do {
          this.rerun = false;
          await this.lock(`pingxuan-outbox-${this.contestId}`, () => this.drain());
        } while (this.rerun && !this.closed);
      } finally {
        this.running = null;
      }
    };
    this.running = run();
    return this.running;
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  private kick(delayMs: number) {
    if (delayMs <= 0) void this.flush();
    else this.schedule(delayMs);
  }

  private schedule(ms: number) {
    if (this.closed) return;
    const at = this.now() + ms;
    if (this.timer !== null && this.timerAt <= at) return;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timerAt = at;
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.timerAt = Infinity;
      void this.flush();
    }, ms);
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      if (this.retryAt !== null && this.now() < this.retryAt) {
        this.schedule(this.retryAt - this.now());
        return;
      }
      const ops = await this.db.getAllFromIndex('outbox', 'byContest', this.contestId);
      ops.sort((a, b) => a.id! - b.id!);
      this.pending = new Set(ops.map((o) => o.entryId));
      const first = ops[0];
      if (!first) {
        this.setHold(null);
        return;
      }
      const op = await this.freeze(first.id!);
      if (!op) continue;
      if ((await this.send(op)) === 'wait') return;
    }
  }

  /** Fixes the request of an op at its first send, from the device's copy and the last confirmed version. */
  private async freeze(id: number): Promise<OutboxOp | null> {
    const tx = this.db.transaction(['scores', 'outbox'], 'readwrite');
    const op = await tx.objectStore('outbox').get(id);
    if (!op || op.body) {
      await tx.done;
      return op ?? null;
    }
    const score =
      (await tx.objectStore('scores').get([this.contestId, op.entryId])) ??
      blank(this.contestId, op.entryId, this.now());
    const baseVersion = score.server?.version ?? 0;
    const body: SaveBody | SubmitBody =
      op.kind === 'save' ? { values: score.values, comment: score.comment, baseVersion } : { baseVersion };
    const frozen = { ...op, body };
    await tx.objectStore('outbox').put(frozen);
    await tx.done;
    return frozen;
  }

  private async request(op: OutboxOp): Promise<Reply> {
    const path = `${this.apiBase}/contests/${encodeURIComponent(this.contestId)}/judging/entries/${encodeURIComponent(op.entryId)}/${op.kind === 'save' ? 'score' : 'submit'}`;
    const ctrl = new AbortController();
    const timeout = setTimeout(() => ctrl.abort(), this.requestTimeoutMs);
    try {
      const res = await this.fetchFn(path, {
        method: op.kind === 'save' ? 'PUT' : 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          'idempotency-key': op.key,
        },
        body: JSON.stringify(op.body),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: ctrl.signal,
      });
      let body: unknown = null;
      try {
        body = await res.json();
      } catch {
        // not JSON (a proxy's error page): judged by the status alone
      }
      return { kind: 'http', status: res.status, body };
    } catch {
      return { kind: 'network' };
    } finally {
      clearTimeout(timeout);
    }
  }

  private async send(op: OutboxOp): Promise<'next' | 'wait'> {
    this.sending = true;
    this.publish();
    const reply = await this.request(op);
    this.sending = false;
    if (reply.kind === 'network') return this.wait('offline');
    const { status, body } = reply;
    const error = ((body as { error?: Record<string, unknown> } | null)?.error ?? {}) as Record<
      string,
      unknown
    >;
    const code = typeof error.code === 'string' ? error.code : `http_${status}`;
    if (status >= 200 && status < 300) {
      if (!isScore(body)) return this.wait('server');
      await this.confirmed(op, body);
      return 'next';
    }
    if (status >= 500 || status === 408 || status === 429) return this.wait('server');
    if (status === 401) return this.wait('signedOut');
    if (status === 409 && 'current' in error) {
      await this.conflicted(op, (error.current as JudgeScore | null) ?? null, code);
      return 'next';
    }
    if (status === 409 && code === 'contest_not_judging') return this.wait('notJudging');
    const message = typeof error.message === 'string' ? error.message : `HTTP ${status}`;
    await this.rejected(op, { status, code, message });
    return 'next';
  }

  private wait(hold: Hold): 'wait' {
    this.failures += 1;
    const delay = retryDelay(this.failures, this.random);
    this.retryAt = this.now() + delay;
    this.hold = hold;
    this.publish();
    this.schedule(delay);
    return 'wait';
  }

  private setHold(hold: Hold | null) {
    if (hold === null) {
      this.failures = 0;
      this.retryAt = null;
    }
    this.hold = hold;
    this.publish();
  }

  private async confirmed(op: OutboxOp, score: JudgeScore) {
    const tx = this.db.transaction(['scores', 'outbox'], 'readwrite');
    await tx.objectStore('outbox').delete(op.id!);
    const scores = tx.objectStore('scores');
    const current =
      (await scores.get([this.contestId, op.entryId])) ?? blank(this.contestId, op.entryId, this.now());
    const next: LocalScore = { ...current, server: score, rejected: null };
    if (op.kind === 'submit') next.status = 'submitted';
    await scores.put(next);
    const left = await this.opsOf(tx.objectStore('outbox'), op.entryId);
    await tx.done;
    this.failures = 0;
    this.retryAt = null;
    this.hold = null;
    this.confirmedAt = this.now();
    this.scores.set(op.entryId, next);
    if (left.length === 0) this.pending.delete(op.entryId);
    this.publish();
  }

  /** The server's copy moved on (another device, an organizer's reopening): the judge chooses. */
  private async conflicted(op: OutboxOp, server: JudgeScore | null, code: string) {
    const tx = this.db.transaction(['scores', 'outbox'], 'readwrite');
    const outbox = tx.objectStore('outbox');
    for (const o of await this.opsOf(outbox, op.entryId)) await outbox.delete(o.id!);
    const scores = tx.objectStore('scores');
    const current =
      (await scores.get([this.contestId, op.entryId])) ?? blank(this.contestId, op.entryId, this.now());
    // Both copies alike (the same change made twice): nothing to choose.
    const next: LocalScore = matchesServer(current, server)
      ? { ...current, server, conflict: null }
      : { ...current, conflict: { server, code } };
    await scores.put(next);
    await tx.done;
    this.scores.set(op.entryId, next);
    this.pending.delete(op.entryId);
    this.publish();
  }

  /** Refused for good (bad value, work no longer assigned): the device keeps the judge's copy and says so. */
  private async rejected(op: OutboxOp, why: NonNullable<LocalScore['rejected']>) {
    const tx = this.db.transaction(['scores', 'outbox'], 'readwrite');
    const outbox = tx.objectStore('outbox');
    for (const o of await this.opsOf(outbox, op.entryId)) await outbox.delete(o.id!);
    const scores = tx.objectStore('scores');
    const current =
      (await scores.get([this.contestId, op.entryId])) ?? blank(this.contestId, op.entryId, this.now());
    const next: LocalScore = { ...current, rejected: why };
    if (current.server?.status !== 'submitted') next.status = 'draft';
    await scores.put(next);
    await tx.done;
    this.scores.set(op.entryId, next);
    this.pending.delete(op.entryId);
    this.publish();
  }

  private op(entryId: string, kind: OutboxOp['kind'], now: number): OutboxOp {
    return { contestId: this.contestId, entryId, kind, key: this.newKey(), body: null, createdAt: now };
  }

  private async opsOf(
    outbox: { index(name: 'byContest'): { getAll(q: string): Promise<OutboxOp[]> } },
    entryId: string,
  ): Promise<OutboxOp[]> {
    const all = await outbox.index('byContest').getAll(this.contestId);
    return all.filter((o) => o.entryId === entryId).sort((a, b) => a.id! - b.id!);
  }
}

/** What a work's tile and page say about its score. */
export type WorkState = 'todo' | 'device' | 'synced' | 'submitting' | 'submitted' | 'conflict' | 'rejected';

export function workState(s: LocalScore | undefined, pending: boolean): WorkState {
  if (!s) return 'todo';
  if (s.conflict) return 'conflict';
  if (s.rejected && !pending) return 'rejected';
  if (s.status === 'submitted') return pending ? 'submitting' : 'submitted';
  if (pending) return 'device';
  if (!s.server && Object.keys(s.values).length === 0 && !s.comment) return 'todo';
  return 'synced';
}
