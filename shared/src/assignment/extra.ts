import { Planner, shuffleInPlace, type Rec } from './core.js';
import { AssignmentInputError, parseOrThrow, type AssignmentInputProblem } from './errors.js';
import { buildModel } from './model.js';
import { prngStreams } from './plan.js';
import {
  ExtraJudgesInputSchema,
  type ExtraJudgesInput,
  type ExtraJudgesPlan,
  type ExtraJudgesSkip,
  type ParsedExtraJudgesInput,
} from './schemas.js';

/**
 * Adaptive re-judging: gives the listed entries `extraPerEntry` more judges each, highest priority first, until
 * the budget runs out. A new judge is never already on the entry and never has a conflict; among the eligible
 * judges of the entry's panel (in panel scope: the panel most of its current judges sit in) the least loaded
 * win, ties broken by the seed.
 */
export function planExtraJudges(input: ExtraJudgesInput): ExtraJudgesPlan {
  const cfg: ParsedExtraJudgesInput = parseOrThrow(ExtraJudgesInputSchema, input);
  const problems: AssignmentInputProblem[] = [];
  const known = new Set(cfg.judges.map((j) => j.id));
  // Judges named only by existing work (deactivated since) keep that work but get nothing new.
  const holdOnly = cfg.existing.map((a) => a.judgeId).filter((id) => !known.has(id));
  const model = buildModel(
    cfg.entries,
    cfg.judges,
    cfg.panels,
    { checkPanels: cfg.scope === 'panel', extraClosedJudgeIds: holdOnly },
    problems,
  );
  const E = model.entryIds.length;
  const J = model.judgeIds.length;
  const planner = new Planner(model, cfg.scope);

  // Existing work: loads, who is on each listed entry, and where new work goes in each judge's list.
  const nextOrder = new Int32Array(J);
  const seen = new Set<string>();
  cfg.existing.forEach((a, i) => {
    const key = `${a.entryId}\u0000${a.judgeId}`;
    if (seen.has(key)) {
      problems.push({
        path: ['existing', i],
        message: `judge "${a.judgeId}" is assigned entry "${a.entryId}" twice`,
      });
      return;
    }
    seen.add(key);
    const j = model.judgeIndex.get(a.judgeId)!;
    const e = model.entryIndex.get(a.entryId);
    if (e === undefined) planner.addLoad(j);
    else planner.addKept(e, j, a.order ?? -1);
    nextOrder[j] = Math.max(nextOrder[j]! + 1, (a.order ?? -1) + 1);
  });
  if (problems.length > 0) throw new AssignmentInputError(problems);

  const stream = prngStreams(cfg.seed);
  const placeRng = stream();
  const orderRng = stream();
  const pickRng = stream();

  const need = new Int32Array(E).fill(cfg.extraPerEntry);
  const all = Array.from({ length: E }, (_, e) => e);
  planner.placeEntries(all, need, null, null, placeRng);

  const priority = new Float64Array(E);
  const byId = new Map(cfg.entries.map((entry) => [entry.id, entry.priority]));
  model.entryIds.forEach((id, e) => (priority[e] = byId.get(id) ?? 0));
  const queue = [...all];
  shuffleInPlace(queue, orderRng);
  queue.sort((a, b) => priority[b]! - priority[a]!);

  let left = cfg.budget ?? Infinity;
  const made: Rec[] = [];
  const skipped: ExtraJudgesSkip[] = [];
  for (const e of queue) {
    const wanted = cfg.extraPerEntry;
    const entryId = model.entryIds[e]!;
    if (planner.entryGroup[e]! < 0) {
      skipped.push({ entryId, reason: 'noPanel', wanted, got: 0, message: 'no panel for this entry' });
      continue;
    }
    const allowed = Math.min(wanted, left);
    const recs = planner.pick(e, allowed, 'extra', pickRng, null, false);
    left -= recs.length;
    for (const rec of recs) {
      rec.order = nextOrder[rec.j]!;
      nextOrder[rec.j]!++;
      made.push(rec);
    }
    if (recs.length === wanted) continue;
    if (recs.length < allowed || allowed === wanted) {
      const scope = cfg.scope === 'panel' ? `panel "${planner.panelIdOf(e)}"` : 'the pool';
      skipped.push({
        entryId,
        reason: 'noEligibleJudge',
        wanted,
        got: recs.length,
        message: `${recs.length} of ${wanted} extra judges: no other judge in ${scope} without a conflict of interest`,
      });
    } else {
      skipped.push({ entryId, reason: 'budget', wanted, got: recs.length, message: 'budget exhausted' });
    }
  }

  return {
    assignments: made.map((rec) => planner.toAssignment(rec)),
    skipped,
    loads: planner.loads(),
    budgetLeft: cfg.budget === undefined ? null : left,
  };
}
