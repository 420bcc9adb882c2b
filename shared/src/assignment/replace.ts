import { Planner } from './core.js';
import { AssignmentInputError, parseOrThrow, type AssignmentInputProblem } from './errors.js';
import { buildModel } from './model.js';
import { indexKept, prngStreams, shortfallProblem } from './plan.js';
import {
  ReplaceJudgeInputSchema,
  type AssignmentProblem,
  type ParsedReplaceJudgeInput,
  type ReplaceJudgeInput,
  type ReplaceJudgePlan,
} from './schemas.js';

/**
 * A judge drops out: their scored work stays (kept), every unscored assignment goes to an eligible,
 * least-loaded judge who is not yet on the entry (in panel scope from the entry's panel). Everyone else's
 * work stays as it is, positions included; new work goes to the end of each judge's list.
 */
export function replaceJudge(input: ReplaceJudgeInput): ReplaceJudgePlan {
  const cfg: ParsedReplaceJudgeInput = parseOrThrow(ReplaceJudgeInputSchema, input);
  const problems: AssignmentInputProblem[] = [];
  const known = new Set(cfg.judges.map((j) => j.id));
  const holdOnly = [
    cfg.droppedJudgeId,
    ...cfg.assignments.map((a) => a.judgeId).filter((id) => !known.has(id)),
  ];
  const model = buildModel(
    cfg.entries,
    cfg.judges,
    cfg.panels,
    { checkPanels: cfg.scope === 'panel', extraClosedJudgeIds: holdOnly },
    problems,
  );
  const dropped = model.judgeIndex.get(cfg.droppedJudgeId)!;
  model.closed[dropped] = 1;
  const handedOn = (i: number): boolean => {
    const a = cfg.assignments[i]!;
    return a.judgeId === cfg.droppedJudgeId && !a.scored;
  };
  const items = indexKept(model, cfg.assignments, 'assignments', problems, (i) => !handedOn(i));
  const panelIndex = new Map(model.panelIds.map((id, p) => [id, p]));
  if (cfg.scope === 'panel')
    cfg.assignments.forEach((a, i) => {
      if (a.panelId != null && !panelIndex.has(a.panelId))
        problems.push({ path: ['assignments', i, 'panelId'], message: `unknown panel "${a.panelId}"` });
    });
  if (problems.length > 0) throw new AssignmentInputError(problems);

  const stream = prngStreams(cfg.seed);
  const placeRng = stream();
  const fillRng = stream();
  const repairRng = stream();
  const orderRng = stream();

  const E = model.entryIds.length;
  const planner = new Planner(model, cfg.scope);
  const need = new Int32Array(E);
  const removed: { entryId: string; judgeId: string }[] = [];
  // In panel scope an entry stays with its panel: that of its remaining judges, else the one the handed-on
  // work was planned in, else the dropped judge's.
  const hint = new Int32Array(E).fill(-1);
  const droppedPanel = model.judgePanel[dropped]!;
  for (const k of items) {
    if (handedOn(k.at)) {
      const planned = cfg.assignments[k.at]!.panelId;
      hint[k.e] = planned != null ? panelIndex.get(planned)! : droppedPanel;
      need[k.e]!++;
      removed.push({ entryId: model.entryIds[k.e]!, judgeId: cfg.droppedJudgeId });
    } else planner.addKept(k.e, k.j, k.order);
  }

  const all = Array.from({ length: E }, (_, e) => e);
  planner.placeEntries(all, need, null, hint, placeRng);
  const before = Int32Array.from(planner.holders, (h) => h.length);
  const kind = cfg.scope === 'panel' ? 'panel' : 'pool';
  planner.fill(need, () => kind, cfg.droppedJudgeId, fillRng);
  planner.groups.forEach((_, g) => planner.rebalance(g, repairRng));
  planner.assignOrders(orderRng);

  const shortfalls: AssignmentProblem[] = [];
  for (let e = 0; e < E; e++) {
    if (need[e] === 0) continue;
    const needed = before[e]! + need[e]!;
    if (planner.holders[e]!.length < needed) shortfalls.push(shortfallProblem(planner, e, needed));
  }

  return {
    assignments: planner.assignments(),
    loads: planner.loads(),
    problems: shortfalls,
    spread: planner.spread(),
    removed,
  };
}
