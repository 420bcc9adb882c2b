// Pure helpers of the assignment screen (no React), so the client unit tests can reach them.
import type { AssignmentScope, JudgeLoadView } from '@pingxuan/shared';
import { niceStep } from '../format';

export const SEED_MAX = 0xffffffff;

export type FieldProblem = { kind: 'required' | 'integer' | 'range'; min: number; max: number };

/** Full-width digits (typed with a Chinese input method) read as the ASCII ones. */
const asciiDigits = (s: string) => s.replace(/[０-９]/g, (c) => String(c.charCodeAt(0) - 0xff10));

/** A whole number typed in a field, within [min, max]; empty is an error only when required. */
export function readWhole(
  text: string,
  min: number,
  max: number,
  required: boolean,
): { value?: number; problem?: FieldProblem } {
  const s = asciiDigits(text.trim());
  if (s === '') return required ? { problem: { kind: 'required', min, max } } : {};
  if (!/^[-+]?\d+$/.test(s)) return { problem: { kind: 'integer', min, max } };
  const value = Number(s);
  if (value < min || value > max) return { problem: { kind: 'range', min, max } };
  return { value };
}

export type PlanForm = {
  scope: AssignmentScope;
  judgesPerEntry: string;
  calibrationEntries: string;
  seed: string;
};
export type PlanInput = {
  scope: AssignmentScope;
  judgesPerEntry: number;
  calibrationEntries: number;
  seed?: number;
};
type PlanField = 'judgesPerEntry' | 'calibrationEntries' | 'seed';

/** The plan form as the request body, or what is wrong with each field (limits as the server's). */
export function readPlanForm(form: PlanForm): {
  input: PlanInput | null;
  problems: Partial<Record<PlanField, FieldProblem>>;
} {
  const per = readWhole(form.judgesPerEntry, 1, 50, true);
  const cal = readWhole(form.calibrationEntries, 0, 20, true);
  const seed = readWhole(form.seed, 0, SEED_MAX, false);
  const problems: Partial<Record<PlanField, FieldProblem>> = {};
  if (per.problem) problems.judgesPerEntry = per.problem;
  if (cal.problem) problems.calibrationEntries = cal.problem;
  if (seed.problem) problems.seed = seed.problem;
  if (Object.keys(problems).length) return { input: null, problems };
  return {
    input: {
      scope: form.scope,
      judgesPerEntry: per.value!,
      calibrationEntries: cal.value!,
      ...(seed.value !== undefined ? { seed: seed.value } : {}),
    },
    problems,
  };
}

export const samePlanInput = (a: PlanInput, b: PlanInput) =>
  a.scope === b.scope &&
  a.judgesPerEntry === b.judgesPerEntry &&
  a.calibrationEntries === b.calibrationEntries &&
  a.seed === b.seed;

export type ExtraFlag = 'boundary' | 'disagreement';
export type ExtraForm = { boundary: boolean; disagreement: boolean; budget: string; extraPerEntry: string };
export type ExtraInput = { flags: ExtraFlag[]; budget: number; extraPerEntry: number };
type ExtraField = 'flags' | 'budget' | 'extraPerEntry';

export function readExtraForm(form: ExtraForm): {
  input: ExtraInput | null;
  problems: Partial<Record<ExtraField, FieldProblem>>;
} {
  const flags: ExtraFlag[] = [];
  if (form.boundary) flags.push('boundary');
  if (form.disagreement) flags.push('disagreement');
  const budget = readWhole(form.budget, 0, 100_000, true);
  const per = readWhole(form.extraPerEntry, 1, 10, true);
  const problems: Partial<Record<ExtraField, FieldProblem>> = {};
  if (!flags.length) problems.flags = { kind: 'required', min: 1, max: 2 };
  if (budget.problem) problems.budget = budget.problem;
  if (per.problem) problems.extraPerEntry = per.problem;
  if (Object.keys(problems).length) return { input: null, problems };
  return { input: { flags, budget: budget.value!, extraPerEntry: per.value! }, problems };
}

export const sameExtraInput = (a: ExtraInput, b: ExtraInput) =>
  a.flags.join() === b.flags.join() && a.budget === b.budget && a.extraPerEntry === b.extraPerEntry;

/** The server's field path (`body.judgesPerEntry`, `body.flags.0`) as the form field it belongs to. */
export function formField(path: string): string {
  return path.replace(/^(body|query|params)\./, '').split('.')[0] ?? path;
}

export type LoadGroup = {
  /** A panel id, `pool`, or `none` for judges without a panel. */
  id: string;
  loads: JudgeLoadView[];
  spread: number;
  min: number;
  max: number;
};

/**
 * Loads per judge in the groups the planner balances: one pool, or each panel (in the panels' order, judges
 * without a panel last); judges by name within a group. The spread is the server's where it gave one.
 */
export function groupLoads(
  loads: readonly JudgeLoadView[],
  spread: Readonly<Record<string, number>>,
  panelOrder: readonly string[],
): LoadGroup[] {
  const pool = 'pool' in spread;
  const byGroup = new Map<string, JudgeLoadView[]>();
  for (const l of loads) {
    const id = pool ? 'pool' : (l.panelId ?? 'none');
    const list = byGroup.get(id) ?? [];
    list.push(l);
    byGroup.set(id, list);
  }
  const rank = (id: string) => {
    const i = panelOrder.indexOf(id);
    return i >= 0 ? i : id === 'none' ? Number.MAX_SAFE_INTEGER : panelOrder.length;
  };
  return [...byGroup]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([id, list]) => {
      const counts = list.map((l) => l.count);
      const min = Math.min(...counts);
      const max = Math.max(...counts);
      return {
        id,
        loads: [...list].sort(
          (a, b) => a.name.localeCompare(b.name, 'zh') || a.judgeId.localeCompare(b.judgeId),
        ),
        spread: spread[id] ?? max - min,
        min,
        max,
      };
    });
}

/** The half-width of a diverging axis around 0 that holds every value, on a round step (at least 1). */
export function deviationLimit(values: readonly (number | null)[]): number {
  const extent = Math.max(1, ...values.filter((v): v is number => v !== null).map(Math.abs));
  const step = niceStep(extent, 2);
  return Math.ceil(extent / step - 1e-9) * step;
}

/** The file name of an attachment: the UTF-8 one (RFC 5987) when given, else the plain one. */
export function attachmentName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {
      // a malformed escape: fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"/i.exec(header) ?? /filename\s*=\s*([^;]+)/i.exec(header);
  return plain?.[1]?.trim() || fallback;
}

/**
 * The server's reasons name a replaced judge by id ("接替退出的评委（65f…）"): shown with the judge's name
 * where the page knows it.
 */
export function withJudgeNames(text: string, names: ReadonlyMap<string, string>): string {
  return text.replace(/\b[0-9a-f]{24}\b/g, (id) => names.get(id) ?? id);
}
