import { ScoringInputError, type ScoringProblem } from './errors.js';
import { measurementValueProblem, type MeasurementRule } from './measurement.js';
import { ResultsInputSchema, type ParsedResultsInput } from './schemas.js';

/** Validated input in index form. Entries and judges are indexed in id order so nothing depends on input order. */
export interface PreparedInput {
  config: ParsedResultsInput;
  /** Judgement criteria in rubric order: the columns of `values`. */
  criterionIds: string[];
  weights: Float64Array;
  maxScores: Float64Array;
  /** Measurement criteria in rubric order: the columns of `measured`. */
  measuredIds: string[];
  measuredWeights: Float64Array;
  measuredMaxScores: Float64Array;
  rules: MeasurementRule[];
  /** measured[e * M + k]: the value recorded for measurement criterion k, NaN when missing. */
  measured: Float64Array;
  /** Sorted by UTF-16 code units. */
  entryIds: string[];
  categories: (string | null)[];
  /** Sorted by UTF-16 code units. */
  judgeIds: string[];
  /** Scores in slot order: grouped by entry (slots start[e]..start[e+1]), by judge within an entry. */
  start: Int32Array;
  judgeOf: Int32Array;
  /** values[slot * C + k]: the raw value of criterion k. */
  values: Float64Array;
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Zod checks the shape; one linear pass over the raw input then checks what zod cannot see
 * (ids referring to each other, ranges set by the rubric, duplicates). That pass reads the raw
 * input defensively so it runs even when zod fails and every problem is reported at once.
 */
export function prepareInput(input: unknown): PreparedInput {
  const parsed = ResultsInputSchema.safeParse(input);
  const problems: ScoringProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
        message: issue.message,
      }));
  const raw: Loose = isObject(input) ? input : {};

  // Criteria: judgement criteria index the columns of `values`, measurement criteria those of `measured`.
  const rawCriteria = asArray(isObject(raw.rubric) ? raw.rubric.criteria : undefined);
  const criterionIndex = new Map<string, number>();
  const criterionIds: string[] = [];
  const maxByIndex: number[] = [];
  const measureIndex = new Map<string, number>();
  const measuredIds: string[] = [];
  const rawRules: unknown[] = [];
  rawCriteria.forEach((c, i) => {
    if (!isObject(c) || typeof c.id !== 'string') return;
    if (criterionIndex.has(c.id) || measureIndex.has(c.id)) {
      problems.push({ path: ['rubric', 'criteria', i, 'id'], message: `duplicate criterion id "${c.id}"` });
      return;
    }
    if (c.kind === 'measurement') {
      measureIndex.set(c.id, measuredIds.length);
      measuredIds.push(c.id);
      rawRules.push(c.rule);
      return;
    }
    criterionIndex.set(c.id, criterionIds.length);
    criterionIds.push(c.id);
    maxByIndex.push(typeof c.maxScore === 'number' ? c.maxScore : Infinity);
  });
  const C = criterionIds.length;
  const M = measuredIds.length;

  asArray(raw.tieBreak).forEach((id, i) => {
    if (typeof id === 'string' && !criterionIndex.has(id) && !measureIndex.has(id))
      problems.push({ path: ['tieBreak', i], message: `unknown criterion "${id}"` });
  });

  const tierIds = new Set<string>();
  asArray(raw.tiers).forEach((t, i) => {
    if (!isObject(t)) return;
    if (t.quota === undefined && t.share === undefined && t.minScore === undefined)
      problems.push({ path: ['tiers', i], message: 'a tier needs a quota, a share or a minScore' });
    if (typeof t.id === 'string') {
      if (tierIds.has(t.id))
        problems.push({ path: ['tiers', i, 'id'], message: `duplicate tier id "${t.id}"` });
      tierIds.add(t.id);
    }
  });

  // Entries.
  const byCategory = raw.quotaScope === 'category';
  const categoryById = new Map<string, string | null>();
  asArray(raw.entries).forEach((e, i) => {
    if (!isObject(e) || typeof e.id !== 'string') return;
    if (categoryById.has(e.id)) {
      problems.push({ path: ['entries', i, 'id'], message: `duplicate entry id "${e.id}"` });
      return;
    }
    const category = typeof e.category === 'string' ? e.category : null;
    // A category quota cannot be split over entries that belong to no category.
    if (byCategory && e.category == null)
      problems.push({ path: ['entries', i, 'category'], message: "required when quotaScope is 'category'" });
    categoryById.set(e.id, category);
  });
  const entryIds = [...categoryById.keys()].sort(compareIds);
  const entryIndex = new Map<string, number>();
  entryIds.forEach((id, i) => entryIndex.set(id, i));
  const categories = entryIds.map((id) => categoryById.get(id) ?? null);

  // Scores, first pass: entry and judge indices.
  const rawScores = asArray(raw.scores);
  const S = rawScores.length;
  const entryOf = new Int32Array(S).fill(-1);
  const firstJudgeOf = new Int32Array(S).fill(-1);
  const judgeFirstSeen = new Map<string, number>();
  const judgeNames: string[] = [];
  for (let i = 0; i < S; i++) {
    const s = rawScores[i];
    if (!isObject(s)) continue;
    let e: number | undefined;
    if (typeof s.entryId === 'string') {
      e = entryIndex.get(s.entryId);
      if (e === undefined)
        problems.push({ path: ['scores', i, 'entryId'], message: `unknown entry "${s.entryId}"` });
    }
    // With no judgement criteria there is nothing for a judge to score.
    if (C === 0) {
      problems.push({
        path: ['scores', i],
        message: 'the rubric has no judgement criteria, so no judge scores',
      });
      continue;
    }
    if (typeof s.judgeId !== 'string') continue;
    if (s.judgeId === '') {
      problems.push({ path: ['scores', i, 'judgeId'], message: 'must not be empty' });
      continue;
    }
    let j = judgeFirstSeen.get(s.judgeId);
    if (j === undefined) {
      j = judgeNames.length;
      judgeFirstSeen.set(s.judgeId, j);
      judgeNames.push(s.judgeId);
    }
    firstJudgeOf[i] = j;
    if (e !== undefined) entryOf[i] = e;
  }

  // Judges in id order; renumber.
  const judgeIds = [...judgeNames].sort(compareIds);
  const J = judgeIds.length;
  const renumber = new Int32Array(J);
  judgeIds.forEach((id, j) => (renumber[judgeFirstSeen.get(id)!] = j));

  // Two stable counting sorts (by judge, then by entry) put scores in slot order in linear time.
  const E = entryIds.length;
  const byJudge = countingSort(S, J, (i) => (entryOf[i]! < 0 ? -1 : renumber[firstJudgeOf[i]!]!));
  const start = new Int32Array(E + 1);
  for (let i = 0; i < S; i++) if (entryOf[i]! >= 0) start[entryOf[i]! + 1]!++;
  for (let e = 0; e < E; e++) start[e + 1]! += start[e]!;
  const slotCount = start[E]!;
  const fill = start.slice(0, E);
  const scoreOfSlot = new Int32Array(slotCount);
  const slotOfScore = new Int32Array(S).fill(-1);
  const judgeOf = new Int32Array(slotCount);
  for (const i of byJudge) {
    const slot = fill[entryOf[i]!]!++;
    scoreOfSlot[slot] = i;
    slotOfScore[i] = slot;
    judgeOf[slot] = renumber[firstJudgeOf[i]!]!;
  }

  // Second pass: criterion values, written straight into slot order.
  const values = new Float64Array(slotCount * C);
  for (let i = 0; i < S; i++) {
    const s = rawScores[i];
    const crit = isObject(s) ? s.criteria : undefined;
    if (!isObject(crit)) continue;
    const base = slotOfScore[i]! * C;
    // for-in is V8's fast path over an object's keys; missing ids are looked for only when
    // fewer than C known keys were seen.
    let present = 0;
    let expected = 0;
    for (const key in crit) {
      // Keys usually come in rubric order: an identity compare skips the map lookup.
      const k = criterionIds[expected] === key ? expected : criterionIndex.get(key);
      expected = (k ?? -1) + 1;
      if (k === undefined) {
        if (Object.hasOwn(crit, key))
          problems.push({
            path: ['scores', i, 'criteria', key],
            message: measureIndex.has(key)
              ? `"${key}" is a measurement criterion: its value is recorded in measurements, not scored by judges`
              : `unknown criterion "${key}"`,
          });
        continue;
      }
      present++;
      const v = crit[key];
      if (typeof v !== 'number') continue; // zod reports the type
      if (!(v >= 0 && v <= maxByIndex[k]!))
        problems.push({
          path: ['scores', i, 'criteria', key],
          message: `must be between 0 and ${maxByIndex[k]}`,
        });
      if (base >= 0) values[base + k] = v;
    }
    if (present < C) {
      for (const id of criterionIds)
        if (!Object.hasOwn(crit, id))
          problems.push({ path: ['scores', i, 'criteria', id], message: `missing criterion "${id}"` });
    }
  }

  // Duplicates sit next to each other now (same entry, same judge).
  for (let e = 0; e < E; e++) {
    for (let slot = start[e]! + 1; slot < start[e + 1]!; slot++) {
      if (judgeOf[slot] === judgeOf[slot - 1])
        problems.push({
          path: ['scores', scoreOfSlot[slot]!],
          message: `duplicate score: judge "${judgeIds[judgeOf[slot]!]}" already scored entry "${entryIds[e]}" (scores[${scoreOfSlot[slot - 1]}])`,
        });
    }
  }

  // Measurements: one record per entry, measurement criteria only.
  const measured = new Float64Array(E * M).fill(NaN);
  const measuredAt = new Map<number, number>();
  asArray(raw.measurements).forEach((m, i) => {
    if (!isObject(m)) return;
    let e: number | undefined;
    if (typeof m.entryId === 'string') {
      e = entryIndex.get(m.entryId);
      if (e === undefined)
        problems.push({ path: ['measurements', i, 'entryId'], message: `unknown entry "${m.entryId}"` });
      else if (measuredAt.has(e)) {
        problems.push({
          path: ['measurements', i, 'entryId'],
          message: `duplicate measurements for entry "${m.entryId}" (measurements[${measuredAt.get(e)}])`,
        });
        e = undefined;
      } else measuredAt.set(e, i);
    }
    const crit = m.criteria;
    if (!isObject(crit)) return;
    for (const key in crit) {
      if (!Object.hasOwn(crit, key)) continue;
      const k = measureIndex.get(key);
      if (k === undefined) {
        problems.push({
          path: ['measurements', i, 'criteria', key],
          message: criterionIndex.has(key)
            ? `"${key}" is a judgement criterion: judges score it, it is not measured`
            : `unknown criterion "${key}"`,
        });
        continue;
      }
      const v = crit[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue; // zod reports the type
      const rule = rawRules[k];
      const problem =
        isObject(rule) && typeof rule.type === 'string'
          ? measurementValueProblem({ type: rule.type as MeasurementRule['type'] }, v)
          : null;
      if (problem !== null) problems.push({ path: ['measurements', i, 'criteria', key], message: problem });
      if (e !== undefined) measured[e * M + k] = v;
    }
  });

  if (problems.length > 0 || !parsed.success) throw new ScoringInputError(problems);
  const config = parsed.data;
  const judged = config.rubric.criteria.filter((c) => c.kind !== 'measurement');
  const measurementCriteria = config.rubric.criteria.filter((c) => c.kind === 'measurement');
  return {
    config,
    criterionIds,
    weights: Float64Array.from(judged, (c) => c.weight),
    maxScores: Float64Array.from(judged, (c) => c.maxScore),
    measuredIds,
    measuredWeights: Float64Array.from(measurementCriteria, (c) => c.weight),
    measuredMaxScores: Float64Array.from(measurementCriteria, (c) => c.maxScore),
    // The schema's refinement guarantees a rule on every measurement criterion.
    rules: measurementCriteria.map((c) => c.rule!),
    measured,
    entryIds,
    categories,
    judgeIds,
    start,
    judgeOf,
    values,
  };
}

/** Stable counting sort of 0..n-1 by key in [0, buckets); key -1 drops the item. */
function countingSort(n: number, buckets: number, key: (i: number) => number): Int32Array {
  const offsets = new Int32Array(buckets + 1);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const k = key(i);
    if (k >= 0) {
      offsets[k + 1]!++;
      kept++;
    }
  }
  for (let b = 0; b < buckets; b++) offsets[b + 1]! += offsets[b]!;
  const out = new Int32Array(kept);
  for (let i = 0; i < n; i++) {
    const k = key(i);
    if (k >= 0) out[offsets[k]!++] = i;
  }
  return out;
}
