/**
 * What a teacher's feedback compares their entry with: the cohort's spread on each criterion, and a rank
 * band instead of an exact rank (a band says enough and spares the 400th place its number).
 */

export type Distribution = {
  count: number;
  mean: number | null;
  /** Quartiles by linear interpolation between order statistics (type 7, as spreadsheets do). */
  p25: number | null;
  p50: number | null;
  p75: number | null;
  /** Counts over `bins` equal-width bins from 0 to max; a value equal to max falls in the last bin. */
  bins: number[];
};

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** The distribution of finite values in [0, max]; values outside are clamped into the end bins. */
export function distribution(values: readonly (number | null | undefined)[], max: number, bins = 10): Distribution {
  if (!(max > 0)) throw new RangeError('max must be positive');
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError('bins must be a positive integer');
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  const counts = new Array<number>(bins).fill(0);
  for (const x of xs) counts[Math.min(bins - 1, Math.max(0, Math.floor((x / max) * bins)))]! += 1;
  if (!xs.length) return { count: 0, mean: null, p25: null, p50: null, p75: null, bins: counts };
  return {
    count: xs.length,
    mean: xs.reduce((s, x) => s + x, 0) / xs.length,
    p25: quantile(xs, 0.25),
    p50: quantile(xs, 0.5),
    p75: quantile(xs, 0.75),
    bins: counts,
  };
}

export const RANK_BANDS = ['top5', 'top10', 'top25', 'top50', 'rest'] as const;
export type RankBand = (typeof RANK_BANDS)[number];

/**
 * The smallest band containing the rank: top5 when rank <= ceil(5% of ranked), and so on. Tied entries
 * share a rank and so share a band. Null when the entry has no rank.
 */
export function rankBand(rank: number | null | undefined, ranked: number): RankBand | null {
  if (!rank || rank < 1 || ranked < 1 || rank > ranked) return null;
  const limits: [RankBand, number][] = [
    ['top5', 0.05],
    ['top10', 0.1],
    ['top25', 0.25],
    ['top50', 0.5],
  ];
  for (const [band, share] of limits) if (rank <= Math.ceil(share * ranked)) return band;
  return 'rest';
}
