import { describe, expect, it } from 'vitest';
import { computeResults, type ResultsInput } from '../../src/index.js';
import { splitQuota } from '../../src/engine/ranking.js';
import { field, totalsInput } from './helpers.js';

// Scores: a 95, b 90, c 85, d 85, e 80, f 70.
const SIX = { a: { A: 95 }, b: { A: 90 }, c: { A: 85 }, d: { A: 85 }, e: { A: 80 }, f: { A: 70 } };
const run = (overrides: Partial<ResultsInput>, table: Record<string, Record<string, number>> = SIX) =>
  computeResults(totalsInput(table, overrides));

describe('rule 6: tiers filled best first with quotas, shares and minimum scores', () => {
  it('fills each tier from the entries not yet given one', () => {
    const out = run({
      tiers: [
        { id: 'gold', quota: 2 },
        { id: 'silver', quota: 2 },
        { id: 'bronze', quota: 5 },
      ],
    });
    expect(field(out, 'tierId')).toEqual({
      a: 'gold',
      b: 'gold',
      c: 'silver',
      d: 'silver',
      e: 'bronze',
      f: 'bronze',
    });
    expect(out.tiers).toEqual([
      { tierId: 'gold', count: 2, quota: 2, cutoffScore: 90 },
      { tierId: 'silver', count: 2, quota: 2, cutoffScore: 85 },
      { tierId: 'bronze', count: 2, quota: 5, cutoffScore: 70 },
    ]);
  });

  it("a tie group crossing the quota: all in under 'include', none under 'exclude'", () => {
    const tiers = [
      { id: 'gold', quota: 3 },
      { id: 'silver', quota: 2 },
    ];
    const include = run({ tiers, tiePolicy: 'include' });
    expect(field(include, 'tierId')).toEqual({
      a: 'gold',
      b: 'gold',
      c: 'gold',
      d: 'gold',
      e: 'silver',
      f: 'silver',
    });
    expect(include.tiers.map((t) => t.count)).toEqual([4, 2]); // quota exceeded
    const exclude = run({ tiers, tiePolicy: 'exclude' });
    expect(field(exclude, 'tierId')).toEqual({
      a: 'gold',
      b: 'gold',
      c: 'silver',
      d: 'silver',
      e: null,
      f: null,
    });
    expect(exclude.tiers.map((t) => t.count)).toEqual([2, 2]); // underfilled; the tie competes for silver
    // Exclude stops at the tie: it does not skip it to fill the quota with lower entries.
    const stuck = run({
      tiers: [
        { id: 'gold', quota: 3 },
        { id: 'silver', quota: 1 },
      ],
      tiePolicy: 'exclude',
    });
    expect(field(stuck, 'tierId')).toMatchObject({ c: null, d: null, e: null });
  });

  it('a tie group that exactly fills the quota is not a crossing', () => {
    const out = run({ tiers: [{ id: 'gold', quota: 4 }], tiePolicy: 'exclude' });
    expect(out.tiers[0]!.count).toBe(4);
  });

  it('share: round-half-up(share * ranked entries), incomplete entries not counted', () => {
    // 0.25 * 6 = 1.5 -> 2; 0.3 * 5 = 1.5 -> 2 (f made incomplete below).
    expect(run({ tiers: [{ id: 'gold', share: 0.25 }] }).tiers[0]).toMatchObject({ quota: 2, count: 2 });
    const five = run(
      {
        tiers: [{ id: 'gold', share: 0.3 }],
        aggregation: { method: 'mean', normalization: 'none', minJudges: 1 },
      },
      { ...SIX, f: {} },
    );
    expect(five.tiers[0]).toMatchObject({ quota: 2, count: 2 });
    expect(run({ tiers: [{ id: 'gold', share: 0.2 }] }).tiers[0]).toMatchObject({ quota: 1 }); // 1.2 -> 1
    // quota wins over share when both are given.
    expect(run({ tiers: [{ id: 'gold', quota: 1, share: 0.5 }] }).tiers[0]).toMatchObject({ quota: 1 });
  });

  it('minScore alone: every remaining entry at or above it, quota null', () => {
    const out = run({
      tiers: [
        { id: 'distinction', minScore: 88 },
        { id: 'merit', minScore: 80 },
      ],
    });
    expect(field(out, 'tierId')).toEqual({
      a: 'distinction',
      b: 'distinction',
      c: 'merit',
      d: 'merit',
      e: 'merit',
      f: null,
    });
    expect(out.tiers).toEqual([
      { tierId: 'distinction', count: 2, quota: null, cutoffScore: 90 },
      { tierId: 'merit', count: 3, quota: null, cutoffScore: 80 },
    ]);
  });

  it('minScore with a quota: eligibility first, then the quota caps; ineligible entries stay for later tiers', () => {
    const out = run({
      tiers: [
        { id: 'gold', quota: 3, minScore: 92 }, // only a is eligible: underfilled
        { id: 'silver', quota: 2 }, // b, then the c/d tie crosses: included
        { id: 'bronze', quota: 5, minScore: 75 }, // e; f is below
      ],
    });
    expect(field(out, 'tierId')).toEqual({
      a: 'gold',
      b: 'silver',
      c: 'silver',
      d: 'silver',
      e: 'bronze',
      f: null,
    });
    expect(out.tiers.map((t) => [t.count, t.quota, t.cutoffScore])).toEqual([
      [1, 3, 95],
      [3, 2, 85],
      [1, 5, 80],
    ]);
  });

  it('empty tiers report a null cutoff; quota 0 takes nobody', () => {
    const out = run({
      tiers: [
        { id: 'none', quota: 0 },
        { id: 'high', minScore: 99 },
      ],
    });
    expect(out.tiers).toEqual([
      { tierId: 'none', count: 0, quota: 0, cutoffScore: null },
      { tierId: 'high', count: 0, quota: null, cutoffScore: null },
    ]);
  });
});

describe('rule 7: quotaScope category', () => {
  it('splits a quota by largest remainder; equal remainders go to the larger category, then the smaller id', () => {
    const sizes = (s: Record<string, number>) => Object.entries(s).map(([id, size]) => ({ id, size }));
    // 5 over 5/3/2 of 10: 2.5, 1.5, 1.0 -> floors 2, 1, 1; the spare goes to the larger of the two .5s.
    expect(splitQuota(5, sizes({ A: 5, B: 3, C: 2 }))).toEqual([3, 1, 1]);
    expect(splitQuota(5, sizes({ B: 3, A: 5, C: 2 }))).toEqual([1, 3, 1]);
    // Equal size and remainder: category id decides.
    expect(splitQuota(1, sizes({ y: 2, x: 2 }))).toEqual([0, 1]);
    // 7 over 4/4/2: 2.8, 2.8, 1.4 -> 2, 2, 1 + two spares to the .8s.
    expect(splitQuota(7, sizes({ a: 4, b: 4, c: 2 }))).toEqual([3, 3, 1]);
    expect(splitQuota(3, sizes({ a: 0, b: 0 }))).toEqual([0, 0]);
  });

  it('ranks and fills tiers within each category', () => {
    const input = totalsInput(
      { a1: { A: 90 }, a2: { A: 80 }, a3: { A: 70 }, a4: { A: 60 }, b1: { A: 50 }, b2: { A: 40 }, b3: {} },
      {
        quotaScope: 'category',
        tiers: [
          { id: 'gold', share: 0.5 },
          { id: 'merit', minScore: 55 },
        ],
      },
    );
    input.entries = input.entries.map((e) => ({ ...e, category: e.id.startsWith('a') ? 'arts' : 'bio' }));
    const out = computeResults(input);
    // 6 ranked entries (b3 has no scores); gold = 3, split 4:2 -> 2, 1.
    expect(field(out, 'rank')).toEqual({ a1: 1, a2: 2, a3: 3, a4: 4, b1: 1, b2: 2, b3: null });
    expect(field(out, 'tierId')).toEqual({
      a1: 'gold',
      a2: 'gold',
      a3: 'merit',
      a4: 'merit',
      b1: 'gold',
      b2: null,
      b3: null,
    });
    expect(out.tiers[0]).toEqual({
      tierId: 'gold',
      count: 3,
      quota: 3,
      cutoffScore: 50,
      categories: [
        { category: 'arts', count: 2, quota: 2, cutoffScore: 80 },
        { category: 'bio', count: 1, quota: 1, cutoffScore: 50 },
      ],
    });
    expect(out.tiers[1]!.categories).toEqual([
      { category: 'arts', count: 2, quota: null, cutoffScore: 60 },
      { category: 'bio', count: 0, quota: null, cutoffScore: null },
    ]);
    // Output grouped by category, rank order within, incomplete last.
    expect(out.entries.map((e) => e.entryId)).toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3']);
  });
});
