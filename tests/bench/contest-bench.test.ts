// Smoke test of the scale benchmark (contest-100k.ts) at a tiny size: the seeding, the results call and the
// load run must be correct. Times are printed by the benchmark and never asserted.
import { describe, expect, it, inject } from 'vitest';
import type { TestMongoKind } from '../support/mongo.ts';
import { parseBenchArgs, runContestBench } from './contest-100k.ts';

describe('contest scale benchmark', () => {
  it('seeds, computes results and saves scores under load at a tiny size', { timeout: 120_000 }, async () => {
    const lines: string[] = [];
    const report = await runContestBench({
      entries: 500,
      judges: 20,
      duration: 1,
      connections: [5],
      mongo: { uri: inject('mongoUri'), kind: inject('mongoKind') as TestMongoKind },
      log: (l) => lines.push(l),
    });
    const out = lines.join('\n');

    expect(report.counts).toMatchObject({ entries: 500, judges: 20, assignments: 2500 });
    expect(report.counts.submitted + report.counts.unscored).toBe(2500);
    expect(report.counts.submitted).toBeGreaterThan(1900);
    expect(report.counts.submitted).toBeLessThan(2100);
    for (const phase of ['contest', 'judges', 'entries', 'plan', 'assignments', 'scores', 'total'])
      expect(report.seedMs[phase], phase).toBeGreaterThanOrEqual(0);

    // The results call saw the whole contest.
    expect(report.results.total).toBe(500);
    expect(report.results.countedEntries).toBe(500);
    expect(report.results.countedScores).toBe(report.counts.submitted);
    expect(report.results.ranked).toBeGreaterThan(400);
    expect(report.results.rssAfterMb).toBeGreaterThan(0);

    // The saves were well-formed: almost every answer 2xx, and each answered first draft is stored.
    const [run] = report.load;
    expect(run!.connections).toBe(5);
    expect(run!.requests).toBeGreaterThan(0);
    expect(run!.ok).toBeGreaterThan(0);
    expect(run!.non2xx).toBeLessThanOrEqual(Math.ceil(run!.requests * 0.02));
    expect(run!.errors).toBe(0);
    expect(report.drafts!.answered).toBe(run!.newDrafts);
    // A save sent but left unanswered when the run stopped may still be stored (the bench waits for it).
    expect(run!.sent).toBeGreaterThanOrEqual(run!.requests);
    expect(report.drafts!.stored).toBeGreaterThanOrEqual(report.drafts!.answered);
    expect(report.drafts!.stored).toBeLessThanOrEqual(report.drafts!.answered + run!.sent - run!.requests);

    expect(out).toMatch(/seed total\s+\d+ ms/);
    expect(out).toMatch(/results \(limit=50\): cold \d+ ms, warm \d+ \/ \d+ \/ \d+ ms/);
    expect(out).toMatch(
      /score saves, 5 concurrent judges for 1 s: \d+ saves\/s \(2xx\), p50 [\d.]+ ms, p99 [\d.]+ ms/,
    );
    if (inject('mongoKind') === 'wire') expect(out).toContain('NOT production figures');
  });

  it('refuses flags that are not whole numbers, naming the flag', () => {
    expect(parseBenchArgs(['--entries', '2000', '--duration', '3', '--skip-load'])).toMatchObject({
      entries: 2000,
      duration: 3,
      skipLoad: true,
    });
    expect(parseBenchArgs(['--connections', '50,200'])).toMatchObject({ connections: [50, 200] });
    expect(() => parseBenchArgs(['--entries', 'lots'])).toThrow(/--entries must be a whole number/);
    expect(() => parseBenchArgs(['--duration', '0'])).toThrow(
      /--duration must be a whole number of at least 1/,
    );
    expect(() => parseBenchArgs(['--entires', '5'])).toThrow(/entires/);
  });
});
