import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AdvancementPlanSchema,
  planAdvancement,
  SCORE_EPSILON,
  type AdvancementEntry,
  type AdvancementPlan,
  type AdvancementRules,
} from '../../src/index.js';
import { createPrng } from '../../src/engine/prng.js';
import { entriesOf, type Row } from './helpers.js';

// Coarse scores and a two-valued tie-break make ties common, as at a real cut.
const rowsArb = fc.array(
  fc.record({
    score: fc.option(
      fc.integer({ min: 0, max: 12 }).map((s) => s * 5),
      { freq: 8 },
    ),
    school: fc.constantFrom('A', 'B', 'C', 'D'),
    category: fc.constantFrom('k1', 'k2'),
    tieBreak: fc.integer({ min: 0, max: 1 }),
  }),
  { maxLength: 30, size: 'medium' },
);

/** Few distinct scores: most cuts fall inside a tie. */
const tiedRowsArb = fc.array(
  fc.record({
    score: fc.integer({ min: 0, max: 4 }).map((s) => s * 10),
    school: fc.constantFrom('A', 'B', 'C'),
    category: fc.constantFrom('k1', 'k2'),
  }),
  { minLength: 1, maxLength: 30 },
);

const limitArb = fc.oneof(
  fc.record({ top: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ share: fc.double({ min: 0, max: 1, noNaN: true }) }),
);

const rulesArb = fc.record(
  {
    minScore: fc.integer({ min: 0, max: 60 }),
    perSchool: limitArb,
    perCategory: limitArb,
    overall: limitArb,
  },
  { requiredKeys: [] },
);

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const prng = createPrng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = prng.nextInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const run = (entries: AdvancementEntry[], rules: AdvancementRules): AdvancementPlan =>
  planAdvancement({ entries, rules });

describe('planAdvancement properties', () => {
  it("with one cutting rule (and any minimum score), what advances under 'exclude' also advances under 'include'", () => {
    // Across a chain it need not: a tie let through by the school rule can crowd an entry out overall
    // (pinned in plan.test.ts).
    const oneRule = fc
      .tuple(rulesArb, fc.constantFrom('perSchool' as const, 'perCategory' as const, 'overall' as const))
      .map(
        ([rules, keep]) =>
          ({ minScore: rules.minScore, [keep]: rules[keep] ?? { top: 2 } }) as AdvancementRules,
      );
    fc.assert(
      fc.property(rowsArb, oneRule, (rows, rules) => {
        const entries = entriesOf(rows);
        const include = new Set(run(entries, { ...rules, tiePolicy: 'include' }).advancing);
        for (const id of run(entries, { ...rules, tiePolicy: 'exclude' }).advancing)
          expect(include.has(id)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('ties at the cut: a group keeps more than its limit only under include, and only by that tie', () => {
    const oneRule = fc.tuple(
      limitArb,
      fc.constantFrom('perSchool' as const, 'perCategory' as const, 'overall' as const),
    );
    fc.assert(
      fc.property(
        tiedRowsArb,
        oneRule,
        fc.constantFrom('include' as const, 'exclude' as const),
        (rows, [limit, key], tiePolicy) => {
          const entries = entriesOf(rows);
          const out = run(entries, { [key]: limit, tiePolicy });
          const byId = new Map(entries.map((e) => [e.id, e]));
          const keyOf = (e: AdvancementEntry) =>
            key === 'perSchool' ? e.school : key === 'perCategory' ? e.category : null;
          for (const g of out.groups) {
            const members = out.advancing.map((id) => byId.get(id)!).filter((e) => keyOf(e) === g.group);
            expect(members.length).toBe(g.selected);
            if (tiePolicy === 'exclude') expect(g.selected).toBeLessThanOrEqual(g.limit);
            if (g.selected <= g.limit) continue;
            expect(tiePolicy).toBe('include');
            const lastRank = members.at(-1)!.rank;
            const tied = members.filter((e) => e.rank === lastRank).length;
            expect(tied).toBeGreaterThan(1);
            expect(g.selected - tied).toBeLessThan(g.limit);
          }
          // Under exclude, a tie group is either all in or all out.
          for (const r of out.notAdvancing)
            if (r.reason === 'tieExcluded')
              expect(
                out.advancing.some(
                  (id) =>
                    byId.get(id)!.rank === byId.get(r.entryId)!.rank && keyOf(byId.get(id)!) === r.group,
                ),
              ).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('group counts hold together and never pass the limit under exclude, chains of rules included', () => {
    fc.assert(
      fc.property(
        rowsArb,
        rulesArb,
        fc.constantFrom('include' as const, 'exclude' as const),
        (rows, rules, tiePolicy) => {
          const entries = entriesOf(rows);
          const out = run(entries, { ...rules, tiePolicy });
          AdvancementPlanSchema.parse(out);
          for (const g of out.groups) {
            expect(g.advancing).toBeLessThanOrEqual(g.selected);
            expect(g.selected).toBeLessThanOrEqual(g.considered);
            if (tiePolicy === 'exclude') expect(g.selected).toBeLessThanOrEqual(g.limit);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every advancing entry is complete and meets the minimum score; every entry is accounted for once', () => {
    fc.assert(
      fc.property(
        rowsArb,
        rulesArb,
        fc.constantFrom('include' as const, 'exclude' as const),
        (rows, rules, tiePolicy) => {
          const entries = entriesOf(rows);
          const out = run(entries, { ...rules, tiePolicy });
          const byId = new Map(entries.map((e) => [e.id, e]));
          for (const id of out.advancing) {
            const e = byId.get(id)!;
            expect(e.incomplete).toBe(false);
            if (rules.minScore !== undefined)
              expect(e.score!).toBeGreaterThanOrEqual(rules.minScore - SCORE_EPSILON);
          }
          const all = [...out.advancing, ...out.notAdvancing.map((r) => r.entryId)];
          expect(new Set(all).size).toBe(entries.length);
          expect(all.sort()).toEqual(entries.map((e) => e.id).sort());
          expect(out.counts.advancing).toBe(out.advancing.length);
          for (const r of out.notAdvancing) {
            const e = byId.get(r.entryId)!;
            if (r.reason === 'incomplete') expect(e.incomplete).toBe(true);
            if (r.reason === 'belowMinScore') expect(e.score!).toBeLessThan(rules.minScore!);
            if (r.reason === 'tieExcluded') expect(tiePolicy).toBe('exclude');
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('advancing entries come in score order, and an overall cut never passes over a better entry', () => {
    fc.assert(
      fc.property(
        rowsArb,
        limitArb,
        fc.constantFrom('include' as const, 'exclude' as const),
        (rows, overall, tiePolicy) => {
          const entries = entriesOf(rows);
          const byId = new Map(entries.map((e) => [e.id, e]));
          const out = run(entries, { overall, tiePolicy });
          const scores = out.advancing.map((id) => byId.get(id)!.score!);
          for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeLessThanOrEqual(scores[i - 1]!);
          const lowest = Math.min(...scores);
          for (const r of out.notAdvancing)
            if (r.reason === 'outsideTop') expect(byId.get(r.entryId)!.score!).toBeLessThanOrEqual(lowest);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a larger overall top N never sends fewer of the same entries', () => {
    fc.assert(
      fc.property(
        rowsArb,
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom('include' as const, 'exclude' as const),
        (rows, n, more, tiePolicy) => {
          const entries = entriesOf(rows);
          const bigger = new Set(run(entries, { overall: { top: n + more }, tiePolicy }).advancing);
          for (const id of run(entries, { overall: { top: n }, tiePolicy }).advancing)
            expect(bigger.has(id)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the same input in any order gives the same plan (preview equals confirmation)', () => {
    fc.assert(
      fc.property(rowsArb, rulesArb, fc.nat(), (rows, rules, seed) => {
        const entries = entriesOf(rows);
        expect(run(shuffle(entries, seed), rules)).toEqual(run(entries, rules));
      }),
      { numRuns: 300 },
    );
  });

  it('with top N per group and nothing else, each group sends min(N, its size) entries when scores are distinct', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 0, max: 6 }),
        fc.nat(),
        (size, n, seed) => {
          const prng = createPrng(seed);
          const rows: Row[] = Array.from({ length: size }, (_, i) => ({
            score: 100 - i,
            school: ['A', 'B', 'C'][prng.nextInt(3)]!,
          }));
          const out = run(entriesOf(rows), { perSchool: { top: n }, tiePolicy: 'exclude' });
          for (const g of out.groups) expect(g.selected).toBe(Math.min(n, g.ranked));
        },
      ),
      { numRuns: 200 },
    );
  });
});
