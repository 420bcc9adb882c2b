import { formatPath, type ScoringProblem } from '../engine/errors.js';
import { assignTiers, rankScope, tierQuota } from '../engine/ranking.js';
import { SCORE_EPSILON } from '../engine/stats.js';
import {
  AdvancementInputSchema,
  type AdvancementGroup,
  type AdvancementInput,
  type AdvancementLimit,
  type AdvancementPlan,
  type AdvancementReason,
  type AdvancementScope,
} from './schemas.js';

export type AdvancementInputProblem = ScoringProblem;

const SHOWN_IN_MESSAGE = 20;

/** Thrown instead of a partial plan; `problems` lists every problem found. */
export class AdvancementInputError extends Error {
  readonly problems: AdvancementInputProblem[];

  constructor(problems: AdvancementInputProblem[]) {
    const lines = problems.slice(0, SHOWN_IN_MESSAGE).map((p) => `  ${formatPath(p.path)}: ${p.message}`);
    if (problems.length > SHOWN_IN_MESSAGE)
      lines.push(`  ... and ${problems.length - SHOWN_IN_MESSAGE} more`);
    super(
      `Invalid advancement input (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.name = 'AdvancementInputError';
    this.problems = problems;
  }
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const STAGES: { scope: AdvancementScope; rule: 'perSchool' | 'perCategory' | 'overall' }[] = [
  { scope: 'school', rule: 'perSchool' },
  { scope: 'category', rule: 'perCategory' },
  { scope: 'overall', rule: 'overall' },
];

/**
 * Which entries of a round go on to the next one. Pure and deterministic (nothing depends on input
 * order), so the organizer's preview and the confirmation compute the same plan from the same input.
 * Rules apply in turn (minScore, perSchool, perCategory, overall), each to the entries still in the
 * running; a cut inside a tie follows tiePolicy exactly like tier quotas. Throws AdvancementInputError.
 */
export function planAdvancement(input: AdvancementInput): AdvancementPlan {
  const parsed = AdvancementInputSchema.safeParse(input);
  if (!parsed.success)
    throw new AdvancementInputError(
      parsed.error.issues.map((issue) => ({
        path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
        message: issue.message,
      })),
    );
  const { entries: rawEntries, rules } = parsed.data;

  const problems: AdvancementInputProblem[] = [];
  const seen = new Map<string, number>();
  rawEntries.forEach((e, i) => {
    const first = seen.get(e.id);
    if (first !== undefined)
      problems.push({
        path: ['entries', i, 'id'],
        message: `duplicate entry id "${e.id}" (entries[${first}])`,
      });
    else seen.set(e.id, i);
    if (e.incomplete) return;
    if (e.score === null)
      problems.push({ path: ['entries', i, 'score'], message: 'a complete entry needs a score' });
    if (e.rank === null)
      problems.push({ path: ['entries', i, 'rank'], message: 'a complete entry needs a rank' });
    if (rules.perSchool && e.school == null)
      problems.push({ path: ['entries', i, 'school'], message: 'required when rules.perSchool is set' });
    if (rules.perCategory && e.category == null)
      problems.push({ path: ['entries', i, 'category'], message: 'required when rules.perCategory is set' });
  });
  if (problems.length > 0) throw new AdvancementInputError(problems);

  // Entry index = id order, so ties broken by index are broken by id whatever the input order.
  const entries = [...rawEntries].sort((a, b) => compareIds(a.id, b.id));
  const E = entries.length;
  const score = new Float64Array(E).fill(NaN);
  const lowerRank = new Float64Array(E); // rankScope breaks ties on the higher key
  const ranked: number[] = [];
  entries.forEach((e, i) => {
    if (e.incomplete) return;
    score[i] = e.score!;
    lowerRank[i] = -e.rank!;
    ranked.push(i);
  });

  // One order for everything: the order of any group is this order restricted to it, and equal
  // `position` (a competition rank over all ranked entries) marks a tie.
  const order = Int32Array.from(ranked);
  const position = new Int32Array(E);
  rankScope(order, order.length, score, [lowerRank], position);

  const reasons = new Map<number, AdvancementReason>();
  const alive = new Uint8Array(E);
  let belowMinScore = 0;
  for (const e of order) {
    if (rules.minScore !== undefined && score[e]! < rules.minScore - SCORE_EPSILON) {
      reasons.set(e, { entryId: entries[e]!.id, reason: 'belowMinScore', minScore: rules.minScore });
      belowMinScore++;
    } else alive[e] = 1;
  }

  const include = rules.tiePolicy === 'include';
  const kept = new Int32Array(E);
  const groups: (AdvancementGroup & { members: number[] })[] = [];
  for (const { scope, rule } of STAGES) {
    const limit: AdvancementLimit | undefined = rules[rule];
    if (!limit) continue;
    const keyOf = (e: number): string =>
      scope === 'school' ? entries[e]!.school! : scope === 'category' ? entries[e]!.category! : '';
    const rankedIn = new Map<string, number>();
    const members = new Map<string, number[]>();
    for (const e of order) {
      const key = keyOf(e);
      rankedIn.set(key, (rankedIn.get(key) ?? 0) + 1);
      if (!members.has(key)) members.set(key, []);
      if (alive[e]) members.get(key)!.push(e);
    }
    for (const key of [...rankedIn.keys()].sort(compareIds)) {
      const list = Int32Array.from(members.get(key)!);
      const n = list.length;
      const quota = tierQuota({ quota: limit.top, share: limit.share }, rankedIn.get(key)!)!;
      assignTiers(list, n, position, score, [quota], [-Infinity], include, kept);
      // The selected entries are a prefix of the list; the first tie group left out straddles the
      // cut (and was dropped by `exclude`) when fewer than `quota` were taken.
      let selected = 0;
      while (selected < n && kept[list[selected]!] === 0) selected++;
      const straddling = !include && selected < n && selected < quota ? position[list[selected]!]! : -1;
      const group = scope === 'overall' ? null : key;
      for (let i = selected; i < n; i++) {
        const e = list[i]!;
        alive[e] = 0;
        reasons.set(e, {
          entryId: entries[e]!.id,
          reason: position[e] === straddling ? 'tieExcluded' : 'outsideTop',
          scope,
          group,
          limit: quota,
        });
      }
      groups.push({
        scope,
        group,
        ranked: rankedIn.get(key)!,
        limit: quota,
        considered: n,
        selected,
        advancing: 0,
        cutoffScore: selected > 0 ? score[list[selected - 1]!]! : null,
        members: Array.from(list.subarray(0, selected)),
      });
    }
  }

  const advancing: string[] = [];
  const notAdvancing: AdvancementReason[] = [];
  for (const e of order) {
    if (alive[e]) advancing.push(entries[e]!.id);
    else notAdvancing.push(reasons.get(e)!);
  }
  let incomplete = 0;
  entries.forEach((e, i) => {
    if (!e.incomplete) return;
    incomplete++;
    notAdvancing.push({ entryId: entries[i]!.id, reason: 'incomplete' });
  });

  return {
    advancing,
    notAdvancing,
    groups: groups.map(({ members, ...g }) => ({ ...g, advancing: members.filter((e) => alive[e]).length })),
    counts: { entries: E, incomplete, belowMinScore, advancing: advancing.length },
  };
}
