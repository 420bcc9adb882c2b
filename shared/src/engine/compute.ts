import { measurementPoints, type CriterionKind } from './measurement.js';
import { prepareInput, type PreparedInput } from './prepare.js';
import { createPrng } from './prng.js';
import { assignTiers, rankScope, splitQuota, tierQuota } from './ranking.js';
import type {
  EntryResult,
  JudgeTotal,
  ResultFlag,
  ResultsInput,
  ResultsOutput,
  TierResult,
} from './schemas.js';
import { aggregate, icc21, meanOf, pearson, SCORE_EPSILON, sampleSd } from './stats.js';
import { ENGINE_VERSION } from './version.js';

/** Flag `boundary` when the bootstrap keeps an entry in its tier less often than this. */
export const BOUNDARY_CONFIDENCE = 0.8;

/** A quota scope: the whole contest, or one category under quotaScope 'category'. */
interface Scope {
  category: string | null;
  /** Ranked (complete) entries in rank order once ranked. */
  order: Int32Array;
  /** Per tier; Infinity when the tier has no quota. */
  quotas: Float64Array;
  quotaOut: (number | null)[];
}

/**
 * Computes ranks, tiers, confidence, judge statistics and reliability. Validates `input`
 * against ResultsInputSchema plus cross-references and throws ScoringInputError listing every
 * problem. The output is not re-validated (cost); tests check it against ResultsOutputSchema.
 * Entries come in rank order (by category first under quotaScope 'category'; equal ranks by
 * entry id), incomplete entries last. Nothing depends on the order of the input arrays.
 */
export function computeResults(input: ResultsInput): ResultsOutput {
  const p = prepareInput(input);
  const { config, start, judgeOf, values } = p;
  const E = p.entryIds.length;
  const C = p.criterionIds.length;
  const { method, trim, normalization, minJudges } = config.aggregation;

  // Judge totals and everything built on them use the judgement criteria only.
  const raw = judgeTotals(p);
  const used = normalization === 'zscore' ? zscore(raw, judgeOf, p.judgeIds.length) : raw;
  const measures = measurementTotals(p);
  const withScore = combiner(p);

  // Per entry: score (rule 3), criterion means (rule 4), disagreement (rule 8).
  let maxJudges = 1;
  for (let e = 0; e < E; e++) maxJudges = Math.max(maxJudges, start[e + 1]! - start[e]!);
  const scratch = new Float64Array(maxJudges);
  const score = new Float64Array(E).fill(NaN);
  const complete = new Uint8Array(E);
  const criterionMean = new Float64Array(E * C).fill(NaN);
  const disagreement = new Uint8Array(E);
  const completeEntries: number[] = [];
  for (let e = 0; e < E; e++) {
    const s0 = start[e]!;
    const n = start[e + 1]! - s0;
    const measuredTotal = measures.total[e]!;
    // A rubric of measurement criteria only has no judges to wait for.
    if ((C === 0 || n >= minJudges) && !Number.isNaN(measuredTotal)) {
      complete[e] = 1;
      completeEntries.push(e);
    }
    if (C === 0) score[e] = measuredTotal;
    if (n === 0) continue;
    let lo = Infinity;
    let hi = -Infinity;
    for (let d = 0; d < n; d++) {
      scratch[d] = used[s0 + d]!;
      const r = raw[s0 + d]!;
      if (r < lo) lo = r;
      if (r > hi) hi = r;
    }
    score[e] = withScore(aggregate(scratch, n, method, trim), measuredTotal);
    // Tolerance: a spread of exactly the threshold must not be flagged by float noise.
    if (hi - lo > config.disagreementThreshold + SCORE_EPSILON) disagreement[e] = 1;
    for (let k = 0; k < C; k++) {
      let sum = 0;
      for (let d = 0; d < n; d++) sum += values[(s0 + d) * C + k]!;
      criterionMean[e * C + k] = sum / n;
    }
  }

  // A tie-break on a measurement criterion compares its points.
  const M = p.measuredIds.length;
  const tieCriteria = config.tieBreak.map((id) => p.criterionIds.indexOf(id));
  const tieKeys = config.tieBreak.map((id, t) => {
    const column = new Float64Array(E);
    const k = tieCriteria[t]!;
    if (k >= 0) for (let e = 0; e < E; e++) column[e] = criterionMean[e * C + k]!;
    else {
      const m = p.measuredIds.indexOf(id);
      for (let e = 0; e < E; e++) column[e] = measures.points[e * M + m]!;
    }
    return column;
  });

  // Scopes and quotas (rules 6 and 7).
  const tiers = config.tiers;
  const include = config.tiePolicy === 'include';
  const minScores = Float64Array.from(tiers, (t) => t.minScore ?? -Infinity);
  const contestQuotas = tiers.map((t) => tierQuota(t, completeEntries.length));
  const scopeOf = new Int32Array(E);
  const scopes: Scope[] = [];
  if (config.quotaScope === 'contest') {
    scopes.push({
      category: null,
      order: Int32Array.from(completeEntries),
      quotas: Float64Array.from(contestQuotas, (q) => q ?? Infinity),
      quotaOut: contestQuotas,
    });
  } else {
    const names = [...new Set(p.categories.map((c) => c ?? ''))].sort(compareIds);
    const index = new Map(names.map((c, i) => [c, i]));
    const members: number[][] = names.map(() => []);
    for (let e = 0; e < E; e++) scopeOf[e] = index.get(p.categories[e] ?? '')!;
    for (const e of completeEntries) members[scopeOf[e]!]!.push(e);
    const sizes = names.map((id, i) => ({ id, size: members[i]!.length }));
    const splits = contestQuotas.map((q) => (q === null ? null : splitQuota(q, sizes)));
    names.forEach((category, i) => {
      const quotaOut = splits.map((split) => (split === null ? null : split[i]!));
      scopes.push({
        category,
        order: Int32Array.from(members[i]!),
        quotas: Float64Array.from(quotaOut, (q) => q ?? Infinity),
        quotaOut,
      });
    });
  }

  const rank = new Int32Array(E);
  const tierOf = new Int32Array(E).fill(-1);
  for (const scope of scopes) {
    const n = scope.order.length;
    rankScope(scope.order, n, score, tieKeys, rank);
    assignTiers(scope.order, n, rank, score, scope.quotas, minScores, include, tierOf);
  }

  // Rule 9: bootstrap over the totals as aggregated (normalized under zscore, not renormalized).
  const confidence = new Float64Array(E).fill(NaN);
  if (config.bootstrap) {
    const { samples, seed } = config.bootstrap;
    const prng = createPrng(seed);
    const sampleScore = new Float64Array(E);
    const sampleRank = new Int32Array(E);
    const sampleTier = new Int32Array(E);
    // Measurement keys stay fixed: only judges are resampled.
    const sampleKeys = tieKeys.map((column, t) => (tieCriteria[t]! >= 0 ? new Float64Array(E) : column));
    const drawn = new Int32Array(maxJudges);
    const work = scopes.map((s) => new Int32Array(s.order.length));
    const matches = new Int32Array(E);
    const T = tieCriteria.length;
    for (let b = 0; b < samples; b++) {
      // Entry index order is id order, so the PRNG stream does not depend on input order.
      for (const e of completeEntries) {
        const s0 = start[e]!;
        const n = start[e + 1]! - s0;
        if (n === 0) {
          sampleScore[e] = score[e]!; // measurements only: nothing to resample
          continue;
        }
        for (let d = 0; d < n; d++) {
          const slot = s0 + prng.nextInt(n);
          drawn[d] = slot;
          scratch[d] = used[slot]!;
        }
        sampleScore[e] = withScore(aggregate(scratch, n, method, trim), measures.total[e]!);
        // Tie-breaks use the criterion means of the judges drawn, so a resample is a coherent panel.
        for (let t = 0; t < T; t++) {
          const k = tieCriteria[t]!;
          if (k < 0) continue;
          let sum = 0;
          for (let d = 0; d < n; d++) sum += values[drawn[d]! * C + k]!;
          sampleKeys[t]![e] = sum / n;
        }
      }
      scopes.forEach((scope, i) => {
        const order = work[i]!;
        // Starting from the real order leaves the sort little to do (the sort is adaptive).
        order.set(scope.order);
        rankScope(order, order.length, sampleScore, sampleKeys, sampleRank);
        assignTiers(
          order,
          order.length,
          sampleRank,
          sampleScore,
          scope.quotas,
          minScores,
          include,
          sampleTier,
        );
      });
      for (const e of completeEntries) if (sampleTier[e] === tierOf[e]) matches[e]!++;
    }
    for (const e of completeEntries) confidence[e] = matches[e]! / samples;
  }

  // Tier results.
  const tierResults: TierResult[] = tiers.map((tier, t) => {
    const perScope = scopes.map((scope) => {
      let count = 0;
      let cutoff = Infinity;
      for (const e of scope.order) {
        if (tierOf[e] !== t) continue;
        count++;
        cutoff = Math.min(cutoff, score[e]!);
      }
      return {
        category: scope.category ?? '',
        count,
        quota: scope.quotaOut[t]!,
        cutoffScore: count > 0 ? cutoff : null,
      };
    });
    const count = perScope.reduce((sum, s) => sum + s.count, 0);
    const cutoffs = perScope.flatMap((s) => (s.cutoffScore === null ? [] : [s.cutoffScore]));
    const result: TierResult = {
      tierId: tier.id,
      count,
      quota: contestQuotas[t]!,
      cutoffScore: cutoffs.length > 0 ? Math.min(...cutoffs) : null,
    };
    if (config.quotaScope === 'category') result.categories = perScope;
    return result;
  });

  // Entries in rank order (within category order under category scope), incomplete last.
  // Scope orders are already in rank order; only runs of equal rank need sorting by id.
  const listed: number[] = [];
  for (const scope of scopes) {
    const order = scope.order;
    for (let i = 0; i < order.length;) {
      let j = i + 1;
      while (j < order.length && rank[order[j]!] === rank[order[i]!]) j++;
      if (j - i > 1) order.subarray(i, j).sort();
      for (let k = i; k < j; k++) listed.push(order[k]!);
      i = j;
    }
  }
  const unranked: number[] = [];
  for (let e = 0; e < E; e++) if (!complete[e]) unranked.push(e);
  unranked.sort((a, b) => scopeOf[a]! - scopeOf[b]! || a - b);
  listed.push(...unranked);
  const hasBootstrap = config.bootstrap !== undefined;
  // Cloning a template keeps every criteria record on one hidden class (adding keys one by one is slower).
  const criteriaTemplate: Record<string, number | null> = {};
  for (const c of config.rubric.criteria) criteriaTemplate[c.id] = null;
  const entries: EntryResult[] = listed.map((e) => {
    const s0 = start[e]!;
    const n = start[e + 1]! - s0;
    const judgeTotalsOut = new Array<JudgeTotal>(n);
    for (let d = 0; d < n; d++)
      judgeTotalsOut[d] = {
        judgeId: p.judgeIds[judgeOf[s0 + d]!]!,
        total: raw[s0 + d]!,
        normalized: used[s0 + d]!,
      };
    const criteria = { ...criteriaTemplate };
    if (n > 0) for (let k = 0; k < C; k++) criteria[p.criterionIds[k]!] = criterionMean[e * C + k]!;
    for (let m = 0; m < M; m++) {
      const points = measures.points[e * M + m]!;
      if (!Number.isNaN(points)) criteria[p.measuredIds[m]!] = points;
    }
    const isComplete = complete[e] === 1;
    const tierConfidence = isComplete && hasBootstrap ? confidence[e]! : null;
    const flags: ResultFlag[] = [];
    if (!isComplete) flags.push('incomplete');
    if (disagreement[e]) flags.push('disagreement');
    if (tierConfidence !== null && tierConfidence < BOUNDARY_CONFIDENCE) flags.push('boundary');
    const t = tierOf[e]!;
    return {
      entryId: p.entryIds[e]!,
      category: p.categories[e]!,
      judgeCount: n,
      judgeTotals: judgeTotalsOut,
      score: Number.isNaN(score[e]!) ? null : score[e]!,
      rank: isComplete ? rank[e]! : null,
      tierId: t >= 0 ? tiers[t]!.id : null,
      tierConfidence,
      criteria,
      flags,
    };
  });

  return {
    engineVersion: ENGINE_VERSION,
    entries,
    tiers: tierResults,
    judges: judgeStatistics(p, raw),
    reliability: { panels: panelReliability(p, raw) },
  };
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Rule 1: 100 * sum(w * s / max) / sum(w), clamped so rounding never leaves [0, 100]. */
function judgeTotals(p: PreparedInput): Float64Array {
  const { weights, maxScores, values } = p;
  const C = weights.length;
  const S = p.judgeOf.length;
  let weightSum = 0;
  for (let k = 0; k < C; k++) weightSum += weights[k]!;
  const totals = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    let sum = 0;
    for (let k = 0; k < C; k++) sum += (weights[k]! * values[s * C + k]!) / maxScores[k]!;
    totals[s] = clampedTotal(sum, weightSum);
  }
  return totals;
}

/**
 * Per entry the points of each measurement criterion (NaN when its value is missing) and the measured
 * part on the 0-100 scale, 100 * sum(w * points / max) / sum(w) like rule 1 (NaN when any value is missing).
 */
function measurementTotals(p: PreparedInput): { points: Float64Array; total: Float64Array } {
  const { measured, measuredWeights: weights, measuredMaxScores: maxScores, rules } = p;
  const M = weights.length;
  const E = p.entryIds.length;
  let weightSum = 0;
  for (let k = 0; k < M; k++) weightSum += weights[k]!;
  const points = new Float64Array(E * M).fill(NaN);
  const total = new Float64Array(E).fill(M === 0 ? 0 : NaN);
  if (M === 0) return { points, total };
  for (let e = 0; e < E; e++) {
    let sum = 0;
    for (let k = 0; k < M; k++) {
      const v = measured[e * M + k]!;
      // Values were validated, so points are null only for a missing value.
      const pts = Number.isNaN(v) ? NaN : measurementPoints({ maxScore: maxScores[k]!, rule: rules[k]! }, v)!;
      points[e * M + k] = pts;
      sum += (weights[k]! * pts) / maxScores[k]!;
    }
    total[e] = Number.isNaN(sum) ? NaN : clampedTotal(sum, weightSum);
  }
  return { points, total };
}

/**
 * The entry's score from its aggregated judge total and its measured part, each weighted by its criteria's
 * weight sum. Without measurement criteria it is the aggregated total itself (bit for bit: no w * x / w).
 */
function combiner(p: PreparedInput): (judged: number, measuredTotal: number) => number {
  let wj = 0;
  let wm = 0;
  for (const w of p.weights) wj += w;
  for (const w of p.measuredWeights) wm += w;
  if (wm === 0) return (judged) => judged;
  if (wj === 0) return (_judged, measuredTotal) => measuredTotal;
  return (judged, measuredTotal) => (wj * judged + wm * measuredTotal) / (wj + wm);
}

const clampedTotal = (sum: number, weightSum: number) => Math.min(100, Math.max(0, (100 * sum) / weightSum));

/**
 * Rule 1 for one judge's score, summed in rubric order exactly as judgeTotals does (same number, bit for bit):
 * the judging screen shows it live. A criterion without a value counts as 0, so a draft shows what it is worth.
 * Measurement criteria are left out: judges do not score them.
 */
export function judgeTotal(
  criteria: readonly { id: string; weight: number; maxScore: number; kind?: CriterionKind | undefined }[],
  values: Readonly<Record<string, number | undefined>>,
): number {
  let weightSum = 0;
  for (const c of criteria) if (c.kind !== 'measurement') weightSum += c.weight;
  if (!(weightSum > 0)) return 0;
  let sum = 0;
  for (const c of criteria)
    if (c.kind !== 'measurement') sum += (c.weight * (values[c.id] ?? 0)) / c.maxScore;
  return clampedTotal(sum, weightSum);
}

/**
 * Rule 2: per judge z = (x - mean) / sd (sample sd), mapped back as grandMean + z * grandSd.
 * A judge with fewer than 2 totals, or no spread (within SCORE_EPSILON, so float noise in a
 * constant judge's mean cannot blow up into z-scores), keeps raw totals.
 */
function zscore(raw: Float64Array, judgeOf: Int32Array, J: number): Float64Array {
  const S = raw.length;
  const count = new Float64Array(J);
  const sum = new Float64Array(J);
  const lo = new Float64Array(J).fill(Infinity);
  const hi = new Float64Array(J).fill(-Infinity);
  for (let s = 0; s < S; s++) {
    const j = judgeOf[s]!;
    const x = raw[s]!;
    count[j]!++;
    sum[j]! += x;
    if (x < lo[j]!) lo[j] = x;
    if (x > hi[j]!) hi[j] = x;
  }
  const mean = new Float64Array(J);
  for (let j = 0; j < J; j++) mean[j] = sum[j]! / count[j]!;
  const ss = new Float64Array(J);
  for (let s = 0; s < S; s++) {
    const d = raw[s]! - mean[judgeOf[s]!]!;
    ss[judgeOf[s]!]! += d * d;
  }
  const grandMean = meanOf(raw, 0, S);
  const grandSd = sampleSd(raw, 0, S) ?? 0;
  const out = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    const j = judgeOf[s]!;
    const keepRaw = count[j]! < 2 || hi[j]! - lo[j]! <= SCORE_EPSILON;
    out[s] = keepRaw
      ? raw[s]!
      : grandMean + ((raw[s]! - mean[j]!) / Math.sqrt(ss[j]! / (count[j]! - 1))) * grandSd;
  }
  return out;
}

/** Rule 10, on raw totals. Other-judge means use entries with at least 2 judges. */
function judgeStatistics(p: PreparedInput, raw: Float64Array): ResultsOutput['judges'] {
  const { start, judgeOf, judgeIds } = p;
  const J = judgeIds.length;
  const E = p.entryIds.length;
  const count = new Int32Array(J);
  const shared = new Int32Array(J);
  for (let e = 0; e < E; e++) {
    const n = start[e + 1]! - start[e]!;
    for (let s = start[e]!; s < start[e + 1]!; s++) {
      count[judgeOf[s]!]!++;
      if (n >= 2) shared[judgeOf[s]!]!++;
    }
  }
  const own = Array.from(count, (n) => new Float64Array(n));
  const xs = Array.from(shared, (n) => new Float64Array(n));
  const ys = Array.from(shared, (n) => new Float64Array(n));
  const ownFill = new Int32Array(J);
  const sharedFill = new Int32Array(J);
  for (let e = 0; e < E; e++) {
    const s0 = start[e]!;
    const n = start[e + 1]! - s0;
    let entrySum = 0;
    for (let d = 0; d < n; d++) entrySum += raw[s0 + d]!;
    for (let d = 0; d < n; d++) {
      const j = judgeOf[s0 + d]!;
      const x = raw[s0 + d]!;
      own[j]![ownFill[j]!++] = x;
      if (n < 2) continue;
      const f = sharedFill[j]!++;
      xs[j]![f] = x;
      ys[j]![f] = (entrySum - x) / (n - 1);
    }
  }
  return judgeIds.map((judgeId, j) => {
    const m = shared[j]!;
    let lenientSum = 0;
    for (let i = 0; i < m; i++) lenientSum += xs[j]![i]! - ys[j]![i]!;
    return {
      judgeId,
      count: count[j]!,
      mean: meanOf(own[j]!, 0, count[j]!),
      sd: sampleSd(own[j]!, 0, count[j]!),
      leniency: m > 0 ? lenientSum / m : null,
      consistency: m >= 3 ? pearson(xs[j]!, ys[j]!, m) : null,
    };
  });
}

/** Rule 10 reliability: one ICC(2,1) per panel, a panel being the entries scored by exactly the same judges. */
function panelReliability(p: PreparedInput, raw: Float64Array): ResultsOutput['reliability']['panels'] {
  const { start, judgeOf } = p;
  const E = p.entryIds.length;
  const groups = new Map<string, number[]>();
  for (let e = 0; e < E; e++) {
    if (start[e + 1]! - start[e]! < 2) continue;
    let key = '';
    for (let s = start[e]!; s < start[e + 1]!; s++) key += `${judgeOf[s]},`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(e);
  }
  const panels: { judges: number[]; entries: number[] }[] = [];
  for (const entries of groups.values()) {
    if (entries.length < 2) continue;
    const first = entries[0]!;
    panels.push({ judges: Array.from(judgeOf.subarray(start[first]!, start[first + 1]!)), entries });
  }
  panels.sort((a, b) => {
    for (let i = 0; i < Math.min(a.judges.length, b.judges.length); i++)
      if (a.judges[i] !== b.judges[i]) return a.judges[i]! - b.judges[i]!;
    return a.judges.length - b.judges.length;
  });
  return panels.map(({ judges, entries }) => {
    const k = judges.length;
    const matrix = new Float64Array(entries.length * k);
    entries.forEach((e, i) => matrix.set(raw.subarray(start[e]!, start[e]! + k), i * k));
    return {
      judgeIds: judges.map((j) => p.judgeIds[j]!),
      entryCount: entries.length,
      icc: icc21(matrix, entries.length, k),
    };
  });
}
