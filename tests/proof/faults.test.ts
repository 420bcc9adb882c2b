// Short version of the fault proof (faults.ts) for CI: 20 judges, the server killed twice with SIGKILL while
// they save and submit, restarted each time; no acknowledged change may be lost or applied twice. Times are
// printed by the proof and never asserted. The checker is also run on a database with the faults put in by hand,
// so a check that could not fail would show here.
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type mongoose from 'mongoose';
import { Types } from 'mongoose';
import { createModels, type Models } from '@pingxuan/server';
import { connectTestDb, dropAndClose, type TestMongoKind } from '../support/mongo.ts';
import { checkScores, parseFaultArgs, runFaults, type Ack } from './faults.ts';

describe('fault proof: SIGKILL of the server while judges score', () => {
  it(
    'loses no acknowledged score and applies no retry twice across 2 kills',
    { timeout: 180_000 },
    async () => {
      const lines: string[] = [];
      const report = await runFaults({
        judges: 20,
        duration: 4,
        kills: 2,
        // However slow the machine, each kill hits a server that has been answering.
        minAcksBetweenKills: 20,
        entriesPerJudge: 30,
        build: 'src',
        mongo: { uri: inject('mongoUri'), kind: inject('mongoKind') as TestMongoKind },
        log: (l) => lines.push(l),
      });
      const out = lines.join('\n');

      expect(report.kills, out).toBe(2);
      expect(report.restartMs, out).toHaveLength(2);
      // The kills cut requests: judges saw errors and sent the same change again.
      expect(report.retries, out).toBeGreaterThan(0);
      expect(Object.values(report.networkErrors).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      expect(report.acks, out).toBeGreaterThanOrEqual(60);
      expect(report.saves, out).toBeGreaterThan(0);
      expect(report.submits, out).toBeGreaterThan(0);

      expect(report.unresolved, out).toBe(0);
      expect(report.refused, out).toEqual({});
      expect(report.lost, out).toBe(0);
      expect(report.duplicateDocs, out).toBe(0);
      expect(report.doubleApplied, out).toBe(0);
      expect(report.unacknowledgedApplied, out).toBe(0);
      expect(report.problems, out).toEqual([]);
      expect(report.audit.ok, out).toBe(true);
      // Changes a kill cut off from their audit event got it when the server started again.
      expect(report.auditMissing, out).toBe(0);
      expect(report.auditRepaired, out).toHaveLength(2);
      expect(report.scores, out).toBeGreaterThan(0);

      expect(out).toMatch(/kill 1 at [\d.]+ s with \d+ requests in flight; listening again after \d+ ms/);
      expect(out).toMatch(/duplicates 0; applied twice 0; lost 0/);
    },
  );

  it('refuses flags that are not whole numbers, naming the flag', () => {
    expect(parseFaultArgs(['--judges', '50', '--kills', '0', '--src'])).toEqual({
      judges: 50,
      kills: 0,
      build: 'src',
    });
    expect(parseFaultArgs(['--entries-per-judge', '10'])).toEqual({ entriesPerJudge: 10 });
    expect(() => parseFaultArgs(['--duration', '0'])).toThrow(
      /--duration must be a whole number of at least 1/,
    );
    expect(() => parseFaultArgs(['--kills', 'five'])).toThrow(/--kills must be a whole number/);
    expect(() => parseFaultArgs(['--kill', '5'])).toThrow(/kill/);
  });
});

describe('fault proof checker', () => {
  let conn: mongoose.Connection;
  let m: Models;
  const contestId = new Types.ObjectId();
  const judgeId = String(new Types.ObjectId());
  const entries = [0, 1, 2, 3].map(() => String(new Types.ObjectId()));
  const values = { highlight: 10, structure: 12.5 };

  const ack = (entry: number, key: string, version: number, status = 'draft'): Ack => ({
    judgeId,
    entryId: entries[entry]!,
    op: status === 'draft' ? 'save' : 'submit',
    key,
    version,
    values,
    comment: '',
    status,
    replayed: false,
  });
  const applied = (key: string) => ({
    key,
    requestHash: 'h',
    response: { status: 200, body: {} },
    at: new Date(),
  });
  const score = (entry: number, version: number, keys: string[], extra: object = {}) => ({
    contestId,
    roundId: 'district',
    entryId: new Types.ObjectId(entries[entry]),
    judgeId: new Types.ObjectId(judgeId),
    values,
    comment: '',
    status: 'draft',
    version,
    appliedKeys: keys.map(applied),
    ...extra,
  });
  const audit = (key: string, seq: number) => ({
    seq,
    at: new Date(),
    action: 'score.save',
    contestId: String(contestId),
    target: { type: 'score', id: null },
    after: { idempotencyKey: key },
    prevHash: 'p',
    hash: `h${seq}`,
  });

  beforeAll(async () => {
    conn = await connectTestDb('faults_check');
    m = createModels(conn);
    await m.Score.init();
  });
  afterAll(() => dropAndClose(conn));

  it('finds nothing wrong when every acknowledged change is stored once', async () => {
    await m.Score.collection.insertMany([score(0, 2, ['k1', 'k2']), score(1, 1, ['k3'])]);
    await m.AuditEvent.collection.insertMany(['k1', 'k2', 'k3'].map(audit));
    const check = await checkScores(
      m,
      String(contestId),
      [ack(0, 'k1', 1), ack(0, 'k2', 2), ack(1, 'k3', 1)],
      new Set(['k1', 'k2', 'k3']),
    );
    expect(check).toEqual({
      scores: 2,
      duplicateDocs: 0,
      doubleApplied: 0,
      lost: 0,
      unacknowledgedApplied: 0,
      auditMissing: 0,
      problems: [],
    });
  });

  it('counts a lost acknowledgement, a key applied twice, a second score document and a missing audit event', async () => {
    // Entry 2: acknowledged at version 2 but the database holds version 1 (the second change lost).
    // Entry 3: one key applied twice (version 2 for one change), and a second document for the same judge and entry.
    await m.Score.collection.insertMany([
      score(2, 1, ['k4']),
      score(3, 2, ['k6', 'k6']),
      score(3, 1, ['k7'], { roundId: 'final', values: { highlight: 1 } }),
    ]);
    const acks = [
      ack(0, 'k1', 1),
      ack(0, 'k2', 2),
      ack(1, 'k3', 1),
      ack(2, 'k4', 1),
      ack(2, 'k5', 2),
      ack(3, 'k6', 1),
    ];
    const check = await checkScores(
      m,
      String(contestId),
      acks,
      new Set(['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']),
    );
    expect(check.duplicateDocs).toBe(1);
    // k6 applied twice.
    expect(check.doubleApplied).toBe(1);
    // k5 is nowhere; entries 2 and 3 do not hold their last acknowledged state.
    expect(check.lost).toBe(3);
    // k7 was applied without any judge being answered for it.
    expect(check.unacknowledgedApplied).toBe(1);
    expect(check.auditMissing).toBe(3);
    expect(check.problems.join('\n')).toMatch(/acknowledged save k5 \(version 2\) is not in the database/);
    expect(check.problems.join('\n')).toMatch(/2 score documents for judge:entry/);
    expect(check.problems.join('\n')).toMatch(/key k6 applied 2 times/);
  });
});
