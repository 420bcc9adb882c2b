import { createPrng, type Prng } from '../engine/prng.js';
import { Planner } from './core.js';
import { AssignmentInputError, parseOrThrow, type AssignmentInputProblem } from './errors.js';
import { buildModel, isConflicted, type Model } from './model.js';
import {
  AssignmentPlanInputSchema,
  type AssignmentPlan,
  type AssignmentPlanInput,
  type AssignmentProblem,
  type ParsedAssignmentPlanInput,
} from './schemas.js';

export interface KeptIndex {
  e: number;
  j: number;
  order: number;
  /** Index in the input list. */
  at: number;
}

/**
 * Checks existing assignments against the model: known entry, known judge (or, with `closedJudges`, a judge
 * that only holds work), no duplicate, no conflict (a plan never contains a conflicted pair, kept or not), no
 * two kept positions for one judge. `staysAt(i)` false marks items being removed (not checked for conflicts). Sorted by entry then judge so the result does not depend on input order.
 */
export function indexKept(
  model: Model,
  items: readonly { entryId: string; judgeId: string; order?: number | undefined }[],
  path: string,
  problems: AssignmentInputProblem[],
  staysAt: (i: number) => boolean = () => true,
): KeptIndex[] {
  const J = model.judgeIds.length;
  const seen = new Set<number>();
  const orders = new Set<number>();
  const out: KeptIndex[] = [];
  items.forEach((item, i) => {
    const e = model.entryIndex.get(item.entryId);
    const j = model.judgeIndex.get(item.judgeId);
    if (e === undefined)
      problems.push({ path: [path, i, 'entryId'], message: `unknown entry "${item.entryId}"` });
    if (j === undefined)
      problems.push({ path: [path, i, 'judgeId'], message: `unknown judge "${item.judgeId}"` });
    if (e === undefined || j === undefined) return;
    const key = e * J + j;
    if (seen.has(key)) {
      problems.push({
        path: [path, i],
        message: `judge "${item.judgeId}" is assigned entry "${item.entryId}" twice`,
      });
      return;
    }
    seen.add(key);
    // Work that is being handed on may have a conflict (that can be why); it is not part of the plan.
    if (staysAt(i) && isConflicted(model, e, j)) {
      problems.push({
        path: [path, i],
        message: `judge "${item.judgeId}" has a conflict of interest with entry "${item.entryId}"`,
      });
      return;
    }
    const order = item.order ?? -1;
    if (order >= 0) {
      const orderKey = order * J + j;
      if (orders.has(orderKey))
        problems.push({
          path: [path, i, 'order'],
          message: `judge "${item.judgeId}" has two entries at position ${order}`,
        });
      orders.add(orderKey);
    }
    out.push({ e, j, order, at: i });
  });
  return out.sort((a, b) => a.e - b.e || a.j - b.j);
}

/** Independent generators per planning step, all from the one seed. */
export function prngStreams(seed: number): () => Prng {
  const root = createPrng(seed);
  return () => createPrng(root.nextUint32());
}

function groupName(planner: Planner, g: number): string {
  return planner.scope === 'pool' ? 'the pool' : `panel "${planner.groups[g]!.key}"`;
}

/** Message for an entry that ended with fewer judges than needed. */
export function shortfallProblem(planner: Planner, e: number, needed: number): AssignmentProblem {
  const { model } = planner;
  const entryId = model.entryIds[e]!;
  const got = planner.holders[e]!.length;
  const g = planner.entryGroup[e]!;
  if (g < 0) {
    const category = model.entryCategory[e] ?? null;
    const message =
      model.panelIds.length === 0
        ? 'no panels: create panels or plan in pool scope'
        : category === null
          ? 'no panel without a category for this entry'
          : `no panel for category "${category}" and no panel without a category`;
    return { entryId, kind: 'noPanel', needed, got, message };
  }
  const size = planner.groups[g]!.judges.length;
  const message =
    `${got} of ${needed} judges: ${groupName(planner, g)} has ${size} judge${size === 1 ? '' : 's'}, ` +
    `${planner.excluded[e]!} excluded by conflicts of interest`;
  return { entryId, kind: 'notEnoughJudges', needed, got, message };
}

/**
 * Plans which judges score which entries: every entry gets `judgesPerEntry` distinct judges without a conflict
 * of interest (or is reported in `problems`), loads per judge within the pool or each panel differ by at most
 * one whenever the conflicts allow, and the same input (seed included) always gives the same plan.
 */
export function planAssignment(input: AssignmentPlanInput): AssignmentPlan {
  const cfg: ParsedAssignmentPlanInput = parseOrThrow(AssignmentPlanInputSchema, input);
  const problems: AssignmentInputProblem[] = [];
  const model = buildModel(
    cfg.entries,
    cfg.judges,
    cfg.panels,
    { checkPanels: cfg.scope === 'panel', extraClosedJudgeIds: cfg.closedJudgeIds },
    problems,
  );
  const E = model.entryIds.length;

  const calibration = new Uint8Array(E);
  cfg.calibrationEntryIds.forEach((id, i) => {
    const e = model.entryIndex.get(id);
    if (e === undefined)
      problems.push({ path: ['calibrationEntryIds', i], message: `unknown entry "${id}"` });
    else if (calibration[e])
      problems.push({ path: ['calibrationEntryIds', i], message: `entry "${id}" is listed twice` });
    else calibration[e] = 1;
  });
  const kept = indexKept(model, cfg.keep, 'keep', problems);
  if (problems.length > 0) throw new AssignmentInputError(problems);

  const stream = prngStreams(cfg.seed);
  const placeRng = stream();
  const fillRng = stream();
  const repairRng = stream();
  const orderRng = stream();

  const planner = new Planner(model, cfg.scope);
  for (const k of kept) planner.addKept(k.e, k.j, k.order);

  const need = new Int32Array(E);
  const all: number[] = [];
  for (let e = 0; e < E; e++) {
    need[e] = Math.max(0, cfg.judgesPerEntry - planner.holders[e]!.length);
    all.push(e);
  }
  planner.placeEntries(all, need, calibration, null, placeRng);
  for (let e = 0; e < E; e++) if (calibration[e]) planner.assignAll(e, 'calibration');
  for (let e = 0; e < E; e++) if (calibration[e]) need[e] = 0;
  const kind = cfg.scope === 'panel' ? 'panel' : 'pool';
  planner.fill(need, () => kind, null, fillRng);
  planner.groups.forEach((_, g) => planner.rebalance(g, repairRng));
  planner.assignOrders(orderRng);

  const shortfalls: AssignmentProblem[] = [];
  for (let e = 0; e < E; e++)
    if (planner.holders[e]!.length < cfg.judgesPerEntry)
      shortfalls.push(shortfallProblem(planner, e, cfg.judgesPerEntry));

  return {
    assignments: planner.assignments(),
    loads: planner.loads(),
    problems: shortfalls,
    spread: planner.spread(),
  };
}
