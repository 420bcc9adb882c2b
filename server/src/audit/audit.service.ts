import { createHash } from 'node:crypto';
import { toWellFormed } from '../http/unicode.js';
import type { Models } from '../models.js';

export type AuditActor = { userId: string | null; username: string | null };
export type AuditInput = {
  actor: AuditActor | null;
  action: string;
  contestId?: string | null;
  target: { type: string; id?: string | null };
  before?: unknown;
  after?: unknown;
  ip?: string | null;
};

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with sorted keys, so the hash does not depend on key order after a database round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value as object).sort();
  return `{${keys
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

/**
 * Dates, ObjectIds and mongoose documents become plain JSON before hashing and storing; text is made
 * well-formed (lone surrogates become U+FFFD, as MongoDB would store them) so the hash matches what is stored.
 */
const plain = (v: unknown) => (v === undefined ? null : wellFormed(JSON.parse(JSON.stringify(v))));
const wellFormed = (v: unknown): unknown =>
  typeof v === 'string'
    ? toWellFormed(v)
    : Array.isArray(v)
      ? v.map(wellFormed)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [toWellFormed(k), wellFormed(x)]))
        : v;

type HashedFields = {
  seq: number;
  at: Date;
  actor: AuditActor;
  action: string;
  contestId: string | null;
  target: { type: string; id: string | null };
  before: unknown;
  after: unknown;
  ip: string | null;
};

export function auditHash(prevHash: string, e: HashedFields): string {
  const body = canonicalJson({ ...e, at: e.at.toISOString() });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** Events written in one insert at most: a burst of saves waits for a few inserts, not one each. */
const BATCH_MAX = 100;
/** Times a batch is re-linked after another server appended first, before its events fail. */
const RELINK_ATTEMPTS = 20;

type Waiting = { input: AuditInput; resolve: () => void; reject: (err: unknown) => void };

const isDuplicate = (err: unknown) => {
  const e = err as { code?: number; writeErrors?: { code?: number; err?: { code?: number } }[] };
  return e.code === 11000 || (e.writeErrors ?? []).some((w) => (w.code ?? w.err?.code) === 11000);
};

export class AuditService {
  /**
   * One writer per process keeps the chain linear: events wait in call order and are written in ordered
   * batches, each linked to the one before. The unique seq index catches other processes.
   */
  private readonly waiting: Waiting[] = [];
  private writing = false;
  /**
   * The last event this process appended: the next one links to it without reading the chain's end again.
   * Another process appending meanwhile makes the next insert hit the unique seq index, which reads it afresh.
   */
  private last: { seq: number; hash: string } | null = null;

  constructor(
    private readonly models: Models,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Resolves once the event is stored (linked into the chain); rejects if it could not be. */
  append(input: AuditInput): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (!this.writing) void this.write();
    });
  }

  private async write(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length) {
        const batch = this.waiting.splice(0, BATCH_MAX);
        // appendBatch settles its events itself; this only guards against a bug leaving them waiting.
        await this.appendBatch(batch).catch((err: unknown) => {
          this.last = null;
          for (const w of batch) w.reject(err);
        });
      }
    } finally {
      this.writing = false;
    }
  }

  /** Settles every event of the batch, in order; never throws. */
  private async appendBatch(batch: Waiting[], attempt = 0): Promise<void> {
    const { AuditEvent } = this.models;
    let last: { seq: number; hash: string } | null;
    try {
      last = this.last ?? (await AuditEvent.findOne({}, { seq: 1, hash: 1 }).sort({ seq: -1 }).lean());
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    const docs = [];
    const linked: Waiting[] = [];
    let prevHash = last?.hash ?? GENESIS_HASH;
    let seq = last?.seq ?? 0;
    for (const w of batch) {
      let fields: HashedFields;
      let hash: string;
      try {
        fields = {
          seq: seq + 1,
          at: this.now(),
          actor: w.input.actor ?? { userId: null, username: null },
          action: w.input.action,
          contestId: w.input.contestId ?? null,
          target: { type: w.input.target.type, id: w.input.target.id ?? null },
          before: plain(w.input.before),
          after: plain(w.input.after),
          ip: w.input.ip ?? null,
        };
        hash = auditHash(prevHash, fields);
      } catch (err) {
        w.reject(err); // an event that cannot be written as JSON fails alone
        continue;
      }
      docs.push({ ...fields, prevHash, hash });
      linked.push(w);
      prevHash = hash;
      seq = fields.seq;
    }
    if (!docs.length) return;
    try {
      await AuditEvent.insertMany(docs, { ordered: true });
      this.last = { seq, hash: prevHash };
      for (const w of linked) w.resolve();
    } catch (err) {
      // Whatever went wrong, the chain's end is read from the database next time.
      this.last = null;
      // An ordered insert stops at its first failure: the events before it are stored.
      const stored = (err as { writeErrors?: unknown[]; insertedDocs?: unknown[] }).writeErrors
        ? ((err as { insertedDocs?: unknown[] }).insertedDocs?.length ?? 0)
        : 0;
      for (const w of linked.slice(0, stored)) w.resolve();
      const rest = linked.slice(stored);
      if (isDuplicate(err) && attempt < RELINK_ATTEMPTS) return this.appendBatch(rest, attempt + 1);
      // An event the schema refuses is refused before anything is sent: the others are tried alone, so it
      // fails by itself. Any other failure may have stored them after all, so they are not sent again.
      if (rest.length > 1 && (err as { name?: string }).name === 'ValidationError') {
        for (const w of rest) await this.appendBatch([w], attempt);
        return;
      }
      for (const w of rest) w.reject(err);
    }
  }

  /** Walks the chain in order; names the first event that was edited, deleted or reordered. */
  async verify(): Promise<{ ok: true; count: number } | { ok: false; count: number; firstBadSeq: number; reason: string }> {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let count = 0;
    const cursor = this.models.AuditEvent.find({}).sort({ seq: 1 }).lean().cursor();
    for await (const e of cursor) {
      count++;
      if (e.seq !== expectedSeq) return { ok: false, count, firstBadSeq: expectedSeq, reason: 'missing or reordered event' };
      if (e.prevHash !== prevHash) return { ok: false, count, firstBadSeq: e.seq, reason: 'chain broken' };
      const fields: HashedFields = {
        seq: e.seq,
        at: e.at,
        actor: { userId: e.actor?.userId ?? null, username: e.actor?.username ?? null },
        action: e.action,
        contestId: e.contestId ?? null,
        target: { type: e.target!.type, id: e.target?.id ?? null },
        before: e.before ?? null,
        after: e.after ?? null,
        ip: e.ip ?? null,
      };
      if (auditHash(prevHash, fields) !== e.hash) return { ok: false, count, firstBadSeq: e.seq, reason: 'event edited' };
      prevHash = e.hash;
      expectedSeq++;
    }
    return { ok: true, count };
  }
}
