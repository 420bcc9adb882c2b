// Rubric arithmetic of the scoring screen: steppers on the criterion's grid, what is still missing.
import { isValidCriterionValue, type Criterion, type ScoreValues } from '@pingxuan/shared';

/** Rounds onto the criterion's step grid, without float residue (0.1 + 0.2 stays 0.3). */
export function onGrid(c: Pick<Criterion, 'step' | 'maxScore'>, value: number): number {
  const steps = Math.round(value / c.step);
  const v = Number((steps * c.step).toFixed(6));
  return Math.min(c.maxScore, Math.max(0, v));
}

/**
 * One tap of − or +. An unscored criterion starts from full marks (+ gives the maximum, − one step below):
 * judges mostly mark down from the top, so that is the shortest way to any mark.
 */
export function stepValue(
  c: Pick<Criterion, 'step' | 'maxScore'>,
  value: number | undefined,
  direction: 1 | -1,
): number {
  if (value === undefined) return direction > 0 ? c.maxScore : onGrid(c, c.maxScore - c.step);
  return onGrid(c, value + direction * c.step);
}

/**
 * Digits typed on a focused criterion: "8" gives 8, "1" then "0" gives 10, "8", ".", "5" gives 8.5. Returns
 * the value to set (null while the text is not one yet, e.g. "8.") and the text to keep for the next key.
 */
export function typeDigit(
  c: Pick<Criterion, 'step' | 'maxScore'>,
  typed: string,
  key: string,
): { text: string; value: number | null } {
  const tryText = (text: string) => {
    if (!/^\d+(\.\d*)?$/.test(text)) return null;
    if (text.endsWith('.')) return Number(text) <= c.maxScore ? { text, value: null } : null;
    const v = Number(text);
    return isValidCriterionValue(c, v) ? { text, value: v } : null;
  };
  return tryText(typed + key) ?? tryText(key) ?? { text: '', value: null };
}

export function missingCriteria(criteria: readonly Criterion[], values: ScoreValues): Criterion[] {
  return criteria.filter((c) => values[c.id] === undefined || !isValidCriterionValue(c, values[c.id]!));
}

export function isComplete(criteria: readonly Criterion[], values: ScoreValues): boolean {
  return criteria.length > 0 && missingCriteria(criteria, values).length === 0;
}

/** Only the rubric's criteria, in case a stored copy still holds one the rubric no longer has. */
export function rubricValues(criteria: readonly Criterion[], values: ScoreValues): ScoreValues {
  const out: ScoreValues = {};
  for (const c of criteria) if (values[c.id] !== undefined) out[c.id] = values[c.id]!;
  return out;
}
