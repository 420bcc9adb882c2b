/** Scores (and tie-break means) closer than this are equal: float noise must not split a tie. */
export const SCORE_EPSILON = 1e-9;

export type AggregationMethod = 'mean' | 'median' | 'trimmedMean';

/** Sorts values[0..n) ascending in place; insertion sort is fastest for panel-sized n. */
export function sortPrefix(values: Float64Array, n: number): void {
  if (n > 32) {
    values.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const v = values[i]!;
    let j = i - 1;
    while (j >= 0 && values[j]! > v) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = v;
  }
}

/**
 * Rule 3 over values[0..n), n >= 1. Reorders values for median and trimmedMean.
 * trimmedMean drops `trim` at each end and falls back to the mean below 2 * trim + 1 values.
 */
export function aggregate(values: Float64Array, n: number, method: AggregationMethod, trim: number): number {
  if (method === 'mean' || (method === 'trimmedMean' && n < 2 * trim + 1)) return meanOf(values, 0, n);
  sortPrefix(values, n);
  if (method === 'median') {
    const mid = n >> 1;
    return n % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
  }
  return meanOf(values, trim, n - trim);
}

export function meanOf(values: ArrayLike<number>, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += values[i]!;
  return sum / (end - start);
}

/** Sample standard deviation (n - 1); null below 2 values. Two passes for accuracy. */
export function sampleSd(values: ArrayLike<number>, start: number, end: number): number | null {
  const n = end - start;
  if (n < 2) return null;
  const m = meanOf(values, start, end);
  let ss = 0;
  for (let i = start; i < end; i++) {
    const d = values[i]! - m;
    ss += d * d;
  }
  return Math.sqrt(ss / (n - 1));
}

/** Pearson correlation; null when either side has no variance (the correlation is undefined). */
export function pearson(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number): number | null {
  if (n < 2) return null;
  const mx = meanOf(xs, 0, n);
  const my = meanOf(ys, 0, n);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (spreadIsZero(xs, n) || spreadIsZero(ys, n)) return null;
  const r = sxy / Math.sqrt(sxx * syy);
  // Rounding can push |r| a hair past 1.
  return Math.max(-1, Math.min(1, r));
}

function spreadIsZero(values: ArrayLike<number>, n: number): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi - lo <= SCORE_EPSILON;
}

/**
 * ICC(2,1), Shrout and Fleiss (1979): two-way random effects, absolute agreement, single rater.
 * `matrix` is row-major: n targets (entries) by k raters (judges). Null when undefined (no variance).
 */
export function icc21(matrix: ArrayLike<number>, n: number, k: number): number | null {
  if (n < 2 || k < 2 || spreadIsZero(matrix, n * k)) return null;
  const grand = meanOf(matrix, 0, n * k);
  let ssRows = 0;
  for (let i = 0; i < n; i++) {
    const d = meanOf(matrix, i * k, i * k + k) - grand;
    ssRows += d * d;
  }
  ssRows *= k;
  let ssCols = 0;
  for (let j = 0; j < k; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += matrix[i * k + j]!;
    const d = sum / n - grand;
    ssCols += d * d;
  }
  ssCols *= n;
  let ssTotal = 0;
  for (let i = 0; i < n * k; i++) {
    const d = matrix[i]! - grand;
    ssTotal += d * d;
  }
  const msRows = ssRows / (n - 1);
  const msCols = ssCols / (k - 1);
  // Rounding can leave a tiny negative residual when the model fits exactly.
  const msError = Math.max(0, ssTotal - ssRows - ssCols) / ((n - 1) * (k - 1));
  const denominator = msRows + (k - 1) * msError + (k * (msCols - msError)) / n;
  if (!(denominator > 0)) return null;
  return (msRows - msError) / denominator;
}
