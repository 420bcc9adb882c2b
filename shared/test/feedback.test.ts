import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { distribution, rankBand } from '../src/feedback.js';

describe('distribution', () => {
  it('gives count, mean, quartiles and bins of a small cohort', () => {
    const d = distribution([4, 1, 3, 2, null, Number.NaN, 10], 10, 5);
    expect(d).toEqual({ count: 5, mean: 4, p25: 2, p50: 3, p75: 4, bins: [1, 2, 1, 0, 1] });
  });

  it('interpolates quartiles between order statistics', () => {
    const d = distribution([1, 2, 3, 4], 4, 2);
    expect([d.p25, d.p50, d.p75]).toEqual([1.75, 2.5, 3.25]);
    expect(d.bins).toEqual([1, 3]);
  });

  it('answers nulls and empty bins for no values, and refuses a bad scale', () => {
    expect(distribution([], 15)).toEqual({ count: 0, mean: null, p25: null, p50: null, p75: null, bins: Array(10).fill(0) });
    expect(() => distribution([1], 0)).toThrow(RangeError);
    expect(() => distribution([1], 10, 0)).toThrow(RangeError);
  });

  it('puts every value in exactly one bin, and quartiles in order within the range', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 15, noNaN: true }), { maxLength: 200 }), fc.integer({ min: 1, max: 30 }), (xs, bins) => {
        const d = distribution(xs, 15, bins);
        expect(d.bins.reduce((a, b) => a + b, 0)).toBe(xs.length);
        if (xs.length) {
          expect(d.p25!).toBeLessThanOrEqual(d.p50!);
          expect(d.p50!).toBeLessThanOrEqual(d.p75!);
          expect(d.p25!).toBeGreaterThanOrEqual(Math.min(...xs));
          expect(d.p75!).toBeLessThanOrEqual(Math.max(...xs));
        }
      }),
    );
  });
});

describe('rankBand', () => {
  it('places ranks in the smallest band that holds them', () => {
    // 497 ranked: top5 = ranks 1..25, top10 = ..50, top25 = ..125, top50 = ..249
    expect([1, 25, 26, 50, 51, 125, 126, 249, 250, 497].map((r) => rankBand(r, 497))).toEqual([
      'top5',
      'top5',
      'top10',
      'top10',
      'top25',
      'top25',
      'top50',
      'top50',
      'rest',
      'rest',
    ]);
  });

  it('answers null without a rank or outside the ranked count', () => {
    expect(rankBand(null, 10)).toBeNull();
    expect(rankBand(0, 10)).toBeNull();
    expect(rankBand(11, 10)).toBeNull();
    expect(rankBand(1, 0)).toBeNull();
    expect(rankBand(1, 1)).toBe('top5');
  });

  it('never puts a better rank in a worse band', () => {
    const order = ['top5', 'top10', 'top25', 'top50', 'rest'];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), (n, a, b) => {
        const [r1, r2] = [Math.min(a, b, n), Math.min(Math.max(a, b), n)];
        expect(order.indexOf(rankBand(r1, n)!)).toBeLessThanOrEqual(order.indexOf(rankBand(r2, n)!));
      }),
    );
  });
});
