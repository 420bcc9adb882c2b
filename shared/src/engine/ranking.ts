import { SCORE_EPSILON } from './stats.js';

/** Round half up; the nudge keeps products like 0.15 * 10 = 1.4999999999999998 on the intended side. */
export function roundHalfUp(x: number): number {
  return Math.floor(x + 0.5 + 1e-9);
}

export interface TierRule {
  quota?: number | undefined;
  share?: number | undefined;
  minScore?: number | undefined;
}

/** Rule 6: `quota` wins over `share`; null means no cap (a minScore-only tier). */
export function tierQuota(tier: TierRule, rankedCount: number): number | null {
  if (tier.quota !== undefined) return tier.quota;
  if (tier.share !== undefined) return roundHalfUp(tier.share * rankedCount);
  return null;
}

/**
 * Rule 7: splits a contest quota across categories in proportion to their ranked entries by
 * largest remainder; equal remainders go to the larger category, then the smaller category id.
 * Integer arithmetic throughout, so no remainder is lost to rounding.
 */
export function splitQuota(quota: number, categories: readonly { id: string; size: number }[]): number[] {
  const total = categories.reduce((sum, c) => sum + c.size, 0);
  if (total === 0) return categories.map(() => 0);
  const shares = categories.map((c, i) => ({
    i,
    id: c.id,
    size: c.size,
    base: Math.floor((quota * c.size) / total),
    remainder: (quota * c.size) % total,
  }));
  let left = quota - shares.reduce((sum, s) => sum + s.base, 0);
  const byRemainder = [...shares].sort(
    (a, b) => b.remainder - a.remainder || b.size - a.size || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const result = shares.map((s) => s.base);
  for (const s of byRemainder) {
    if (left === 0) break;
    result[s.i]! += 1;
    left--;
  }
  return result;
}

/**
 * Rule 5: sorts order[0..n) (entry indices) into rank order and writes 1-based standard
 * competition ranks into rank[entry]. Scores within SCORE_EPSILON of their neighbour are tied
 * (ties chain along the sorted order, so a tie is never split by float noise); each tie-break
 * key (higher first) then splits tied groups the same way. Entry index breaks exact order only.
 */
export function rankScope(
  order: Int32Array,
  n: number,
  score: Float64Array,
  tieKeys: readonly Float64Array[],
  rank: Int32Array,
): void {
  order.subarray(0, n).sort((a, b) => score[b]! - score[a]! || a - b);
  rankGroups(order, 0, n, score, tieKeys, 0, rank);
}

function rankGroups(
  order: Int32Array,
  lo: number,
  hi: number,
  key: Float64Array,
  tieKeys: readonly Float64Array[],
  nextKey: number,
  rank: Int32Array,
): void {
  let i = lo;
  while (i < hi) {
    let j = i + 1;
    while (j < hi && Math.abs(key[order[j - 1]!]! - key[order[j]!]!) <= SCORE_EPSILON) j++;
    const next = tieKeys[nextKey];
    if (j - i > 1 && next !== undefined) {
      order.subarray(i, j).sort((a, b) => next[b]! - next[a]! || a - b);
      rankGroups(order, i, j, next, tieKeys, nextKey + 1, rank);
    } else {
      for (let k = i; k < j; k++) rank[order[k]!] = i + 1;
    }
    i = j;
  }
}

/**
 * Rule 6 within one quota scope. order[0..n) is in rank order. Tiers are filled best first from
 * the entries not yet given a tier; since each tier takes a contiguous run from the first free
 * position, the entries given a tier are always a prefix. A tie group (same rank) is taken or
 * left whole: crossing the quota, `include` takes it and stops, `exclude` stops before it.
 * With minScore the group's score decides eligibility; the quota, if any, still caps.
 * quotas[t] is Infinity for a tier without quota. Writes tierOf[entry] (-1 for none).
 */
export function assignTiers(
  order: Int32Array,
  n: number,
  rank: Int32Array,
  score: Float64Array,
  quotas: ArrayLike<number>,
  minScores: ArrayLike<number>,
  include: boolean,
  tierOf: Int32Array,
): void {
  for (let k = 0; k < n; k++) tierOf[order[k]!] = -1;
  let pos = 0;
  for (let t = 0; t < quotas.length && pos < n; t++) {
    const quota = quotas[t]!;
    const minScore = minScores[t]!;
    let count = 0;
    while (pos < n) {
      const first = order[pos]!;
      if (score[first]! < minScore - SCORE_EPSILON) break;
      const groupRank = rank[first]!;
      let end = pos + 1;
      while (end < n && rank[order[end]!] === groupRank) end++;
      const size = end - pos;
      const crossing = count + size > quota;
      if (crossing && !(include && count < quota)) break;
      for (let k = pos; k < end; k++) tierOf[order[k]!] = t;
      count += size;
      pos = end;
      if (crossing) break;
    }
  }
}
