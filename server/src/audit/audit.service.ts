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

export class AuditService {
  // One writer per process keeps the chain linear; the unique seq index catches other processes.
  private tail: Promise<unknown> = Promise.resolve();
  /**
   * The last event this process appended: the next one links to it without reading the chain's end again.
   * Another process appending meanwhile makes the next insert hit the unique seq index, which reads it afresh.
   */
  private last: { seq: number; hash: string } | null = null;

  constructor(
    private readonly models: Models,
    private readonly now: () => Date = () => new Date(),
  ) {}

  append(input: AuditInput): Promise<void> {
    const run = this.tail.then(() => this.appendNow(input));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async appendNow(input: AuditInput, attempt = 0): Promise<void> {
    const { AuditEvent } = this.models;
    const last = this.last ?? (await AuditEvent.findOne({}, { seq: 1, hash: 1 }).sort({ seq: -1 }).lean());
    const fields: HashedFields = {
      seq: (last?.seq ?? 0) + 1,
      at: this.now(),
      actor: input.actor ?? { userId: null, username: null },
      action: input.action,
      contestId: input.contestId ?? null,
      target: { type: input.target.type, id: input.target.id ?? null },
      before: plain(input.before),
      after: plain(input.after),
      ip: input.ip ?? null,
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const hash = auditHash(prevHash, fields);
    try {
      await AuditEvent.create({ ...fields, prevHash, hash });
      this.last = { seq: fields.seq, hash };
    } catch (err) {
      // Whatever went wrong, the chain's end is read from the database next time.
      this.last = null;
      if ((err as { code?: number }).code === 11000 && attempt < 20) return this.appendNow(input, attempt + 1);
      throw err;
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
