import type { Prng } from '../engine/prng.js';
import { isConflicted, type Model } from './model.js';
import {
  POOL_GROUP_ID,
  type AssignmentReason,
  type AssignmentReasonKind,
  type AssignmentScope,
  type JudgeLoad,
  type PlannedAssignment,
} from './schemas.js';

/** One assignment while planning; `j` changes when the repair pass moves it. */
export interface Rec {
  e: number;
  j: number;
  kind: AssignmentReasonKind;
  /** Only assignments made by this plan may be moved by the repair pass. */
  movable: boolean;
  loadBefore: number;
  minLoad: number;
  /** Kept order in the judge's list, -1 when the plan decides. */
  order: number;
  replaces: string | null;
}

/** The judges an entry may draw from: the whole pool, or one panel. */
export interface Group {
  key: string;
  /** Panel index, -1 for the pool. */
  panel: number;
  judges: Int32Array;
}

/** Fisher-Yates with the seeded generator. */
export function shuffleInPlace<T>(items: T[], prng: Prng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const k = prng.nextInt(i + 1);
    const t = items[i]!;
    items[i] = items[k]!;
    items[k] = t;
  }
}

/** Judges of one group in buckets by load, for picking the least loaded without scanning the group. */
class LoadBuckets {
  readonly levels: number[][] = [];
  /** No judge has a lower load (the bucket may be empty only when all are). */
  min = 0;

  constructor(private readonly pos: Int32Array) {}

  add(j: number, level: number): void {
    while (this.levels.length <= level) this.levels.push([]);
    const list = this.levels[level]!;
    this.pos[j] = list.length;
    list.push(j);
    if (level < this.min) this.min = level;
  }

  remove(j: number, level: number): void {
    const list = this.levels[level]!;
    const last = list.pop()!;
    if (last !== j) {
      const at = this.pos[j]!;
      list[at] = last;
      this.pos[last] = at;
    }
    while (this.min < this.levels.length - 1 && this.levels[this.min]!.length === 0) this.min++;
  }
}

export class Planner {
  readonly load: Int32Array;
  readonly holders: number[][];
  /** Assignments of each entry (a moved assignment stays in its entry's list). */
  private readonly entryRecs: Rec[][];
  readonly recs: Rec[] = [];
  readonly movableOf: Rec[][];
  /** Group of each entry, -1 when it has none (panel scope without a matching panel). */
  readonly entryGroup: Int32Array;
  readonly groups: Group[] = [];
  /** Per entry, for the entry's group: judges without a conflict, and judges excluded by one. */
  readonly candidates: Int32Array;
  readonly excluded: Int32Array;
  private readonly mark: Int32Array;
  /** Per group, judges by load; `pos` is each judge's place in its bucket. */
  private readonly buckets: LoadBuckets[] = [];
  private readonly pos: Int32Array;
  private markValue = 0;
  private readonly groupOfJudge: Int32Array;

  constructor(
    readonly model: Model,
    readonly scope: AssignmentScope,
  ) {
    const J = model.judgeIds.length;
    const E = model.entryIds.length;
    this.load = new Int32Array(J);
    this.holders = Array.from({ length: E }, () => []);
    this.entryRecs = Array.from({ length: E }, () => []);
    this.movableOf = Array.from({ length: J }, () => []);
    this.entryGroup = new Int32Array(E).fill(-1);
    this.candidates = new Int32Array(E);
    this.excluded = new Int32Array(E);
    this.mark = new Int32Array(J);
    this.groupOfJudge = new Int32Array(J).fill(-1);
    if (scope === 'pool') {
      const judges: number[] = [];
      for (let j = 0; j < J; j++) if (!model.closed[j]) judges.push(j);
      this.groups.push({ key: POOL_GROUP_ID, panel: -1, judges: Int32Array.from(judges) });
    } else {
      const members: number[][] = model.panelIds.map(() => []);
      for (let j = 0; j < J; j++) {
        const p = model.judgePanel[j]!;
        if (p >= 0 && !model.closed[j]) members[p]!.push(j);
      }
      model.panelIds.forEach((id, p) =>
        this.groups.push({ key: id, panel: p, judges: Int32Array.from(members[p]!) }),
      );
    }
    this.pos = new Int32Array(J);
    this.groups.forEach((g, gi) => {
      const buckets = new LoadBuckets(this.pos);
      for (const j of g.judges) {
        this.groupOfJudge[j] = gi;
        buckets.add(j, 0);
      }
      this.buckets.push(buckets);
    });
  }

  /** Changes a judge's load by ±1, keeping the load buckets in step. */
  private changeLoad(j: number, delta: 1 | -1): void {
    const before = this.load[j]!;
    this.load[j] = before + delta;
    const g = this.groupOfJudge[j]!;
    if (g < 0) return;
    const buckets = this.buckets[g]!;
    buckets.remove(j, before);
    buckets.add(j, before + delta);
  }

  /** An existing assignment that stays; counts toward the entry's judges and the judge's load. */
  addKept(e: number, j: number, order: number): void {
    const loadBefore = this.load[j]!;
    this.push({ e, j, kind: 'kept', movable: false, loadBefore, minLoad: loadBefore, order, replaces: null });
  }

  /** Work outside the entries being planned: counts toward the judge's load only. */
  addLoad(j: number): void {
    this.changeLoad(j, 1);
  }

  private push(rec: Rec): void {
    this.recs.push(rec);
    this.entryRecs[rec.e]!.push(rec);
    this.holders[rec.e]!.push(rec.j);
    this.changeLoad(rec.j, 1);
    if (rec.movable) this.movableOf[rec.j]!.push(rec);
  }

  /** Judges of group g in conflict with entry e. */
  private conflictsIn(e: number, g: number): number {
    const { confStart, confJudges } = this.model;
    let n = 0;
    for (let k = confStart[e]!; k < confStart[e + 1]!; k++) if (this.groupOfJudge[confJudges[k]!] === g) n++;
    return n;
  }

  private holdersIn(e: number, g: number): number {
    let n = 0;
    for (const j of this.holders[e]!) if (this.groupOfJudge[j] === g) n++;
    return n;
  }

  private setGroup(e: number, g: number): void {
    this.entryGroup[e] = g;
    if (g < 0) return;
    const excluded = this.conflictsIn(e, g);
    this.excluded[e] = excluded;
    this.candidates[e] = this.groups[g]!.judges.length - excluded;
  }

  /** Judges of the entry's group who could still take it (no conflict, not already on it). */
  openSeats(e: number): number {
    const g = this.entryGroup[e]!;
    return g < 0 ? 0 : this.candidates[e]! - this.holdersIn(e, g);
  }

  /**
   * Decides each entry's group. Pool: everything in the pool. Panel: the panel most of the entry's current
   * judges sit in; else `hint`; else panels of the entry's category, else panels without a category, choosing
   * the one whose load per judge stays lowest (panels that can seat all needed judges first).
   * `need[e]` is the number of new judges the entry needs; calibration entries take every eligible judge.
   */
  placeEntries(
    entries: readonly number[],
    need: Int32Array,
    calibration: Uint8Array | null,
    hint: Int32Array | null,
    prng: Prng,
  ): void {
    if (this.scope === 'pool') {
      for (const e of entries) this.setGroup(e, 0);
      return;
    }
    const { model } = this;
    const P = model.panelIds.length;
    const slots = new Float64Array(P);
    for (let p = 0; p < P; p++) for (const j of this.groups[p]!.judges) slots[p]! += this.load[j]!;
    const byCategory = new Map<string, number[]>();
    const uncategorized: number[] = [];
    model.panelCategory.forEach((c, p) => {
      if (c === null) uncategorized.push(p);
      else {
        const list = byCategory.get(c);
        if (list) list.push(p);
        else byCategory.set(c, [p]);
      }
    });
    const wantIn = (e: number, p: number): { want: number; feasible: boolean } => {
      const open = this.groups[p]!.judges.length - this.conflictsIn(e, p) - this.holdersIn(e, p);
      const n = need[e]!;
      return { want: calibration?.[e] ? open : Math.min(n, open), feasible: open >= n };
    };
    const flexible: { e: number; panels: number[] }[] = [];
    const votes = new Int32Array(P);
    for (const e of entries) {
      let fixed = -1;
      const holders = this.holders[e]!;
      if (holders.length > 0) {
        let best = 0;
        for (const j of holders) {
          const p = model.judgePanel[j]!;
          if (p >= 0) votes[p]!++;
        }
        for (const j of holders) {
          const p = model.judgePanel[j]!;
          if (p < 0) continue;
          if (votes[p]! > best || (votes[p] === best && p < fixed)) {
            best = votes[p]!;
            fixed = p;
          }
        }
        for (const j of holders) {
          const p = model.judgePanel[j]!;
          if (p >= 0) votes[p] = 0;
        }
      }
      if (fixed < 0 && hint) fixed = hint[e]!;
      if (fixed < 0) {
        const category = model.entryCategory[e] ?? null;
        let panels = category === null ? uncategorized : (byCategory.get(category) ?? []);
        if (panels.length === 0) panels = uncategorized;
        if (panels.length === 0) continue;
        if (panels.length > 1) {
          flexible.push({ e, panels });
          continue;
        }
        fixed = panels[0]!;
      }
      this.setGroup(e, fixed);
      slots[fixed]! += wantIn(e, fixed).want;
    }
    shuffleInPlace(flexible, prng);
    for (const { e, panels } of flexible) {
      let best = -1;
      let bestFeasible = false;
      let bestRatio = Infinity;
      let bestWant = -1;
      const offset = prng.nextInt(panels.length);
      for (let t = 0; t < panels.length; t++) {
        const p = panels[(offset + t) % panels.length]!;
        const { want, feasible } = wantIn(e, p);
        const size = this.groups[p]!.judges.length;
        const ratio = size > 0 ? (slots[p]! + want) / size : Infinity;
        const better =
          best < 0 ||
          (feasible && !bestFeasible) ||
          (feasible === bestFeasible &&
            (feasible ? ratio < bestRatio : want > bestWant || (want === bestWant && ratio < bestRatio)));
        if (better) {
          best = p;
          bestFeasible = feasible;
          bestRatio = ratio;
          bestWant = want;
        }
      }
      this.setGroup(e, best);
      slots[best]! += bestWant;
    }
  }

  /** Gives entry e to every judge of its group without a conflict who does not have it yet. */
  assignAll(e: number, kind: AssignmentReasonKind): void {
    const g = this.entryGroup[e]!;
    if (g < 0) return;
    const stamp = this.markIneligible(e);
    let minLoad = Infinity;
    const chosen: number[] = [];
    for (const j of this.groups[g]!.judges) {
      if (this.mark[j] === stamp) continue;
      chosen.push(j);
      minLoad = Math.min(minLoad, this.load[j]!);
    }
    for (const j of chosen)
      this.push({
        e,
        j,
        kind,
        movable: false,
        loadBefore: this.load[j]!,
        minLoad,
        order: -1,
        replaces: null,
      });
  }

  private markIneligible(e: number): number {
    const stamp = ++this.markValue;
    const { confStart, confJudges } = this.model;
    for (let k = confStart[e]!; k < confStart[e + 1]!; k++) this.mark[confJudges[k]!] = stamp;
    for (const j of this.holders[e]!) this.mark[j] = stamp;
    return stamp;
  }

  /**
   * Picks up to `count` least-loaded eligible judges of the entry's group and assigns them. Judges wait in
   * buckets by load; within a bucket the order is a seeded partial shuffle, so ties are broken at random and
   * a pick costs about `count` steps plus the conflicts it meets, not the size of the group.
   */
  pick(
    e: number,
    count: number,
    kind: AssignmentReasonKind,
    prng: Prng,
    replaces: string | null,
    movable: boolean,
  ): Rec[] {
    const g = this.entryGroup[e]!;
    if (g < 0 || count <= 0) return [];
    const stamp = this.markIneligible(e);
    const { mark, pos } = this;
    const buckets = this.buckets[g]!;
    const chosen: number[] = [];
    let minLoad = -1;
    for (let level = buckets.min; level < buckets.levels.length && chosen.length < count; level++) {
      const list = buckets.levels[level]!;
      for (let t = 0; t < list.length && chosen.length < count; t++) {
        const r = t + prng.nextInt(list.length - t);
        const j = list[r]!;
        list[r] = list[t]!;
        pos[list[r]!] = r;
        list[t] = j;
        pos[j] = t;
        if (mark[j] === stamp) continue;
        mark[j] = stamp;
        chosen.push(j);
        if (minLoad < 0) minLoad = level;
      }
    }
    const made: Rec[] = [];
    for (const j of chosen) {
      const rec: Rec = { e, j, kind, movable, loadBefore: this.load[j]!, minLoad, order: -1, replaces };
      this.push(rec);
      made.push(rec);
    }
    return made;
  }

  /**
   * Greedy fill: entries with the fewest open seats first (seeded order among equals), each taking its
   * least-loaded eligible judges.
   */
  fill(
    need: Int32Array,
    kind: (e: number) => AssignmentReasonKind,
    replaces: string | null,
    prng: Prng,
  ): void {
    const todo: number[] = [];
    for (let e = 0; e < need.length; e++) if (need[e]! > 0 && this.entryGroup[e]! >= 0) todo.push(e);
    shuffleInPlace(todo, prng);
    // Stable counting sort by open seats keeps the shuffled order among equals.
    const seats = todo.map((e) => Math.max(0, this.openSeats(e)));
    const maxSeats = seats.reduce((m, s) => Math.max(m, s), 0);
    const start = new Int32Array(maxSeats + 2);
    for (const s of seats) start[s + 1]!++;
    for (let s = 0; s <= maxSeats; s++) start[s + 1]! += start[s]!;
    const ordered = new Int32Array(todo.length);
    todo.forEach((e, i) => (ordered[start[seats[i]!]!++] = e));
    for (const e of ordered) this.pick(e, need[e]!, kind(e), prng, replaces, true);
  }

  /**
   * Repair pass: while some judge of the group carries at least two more than another, moves planned
   * assignments along a chain of judges (A gives an entry to B, B gives another to C, ...) found by
   * breadth-first search, never onto a conflict or a judge already on the entry. Each move lowers the sum of
   * squared loads, so the pass ends; when no chain exists the spread is as low as the conflicts allow.
   */
  rebalance(g: number, prng: Prng): void {
    const judges = this.groups[g]!.judges;
    if (judges.length < 2) return;
    let movable = 0;
    for (const j of judges) movable += this.movableOf[j]!.length;
    let rounds = 4 * movable + 16;
    while (rounds-- > 0) {
      let max = -Infinity;
      let min = Infinity;
      for (const j of judges) {
        const l = this.load[j]!;
        if (l > max) max = l;
        if (l < min) min = l;
      }
      if (max - min <= 1) return;
      if (
        this.augment(
          g,
          (l) => l === max,
          (l) => l <= max - 2,
          prng,
        )
      )
        continue;
      if (
        this.augment(
          g,
          (l) => l >= min + 2,
          (l) => l === min,
          prng,
        )
      )
        continue;
      return;
    }
  }

  private visitStamp: Int32Array | null = null;
  private visitValue = 0;

  private augment(
    g: number,
    isSource: (load: number) => boolean,
    isTarget: (load: number) => boolean,
    prng: Prng,
  ): boolean {
    const judges = this.groups[g]!.judges;
    const J = this.load.length;
    const visited = (this.visitStamp ??= new Int32Array(J));
    const v = ++this.visitValue;
    const parent = new Map<number, { from: number; rec: Rec }>();
    const queue: number[] = [];
    for (const j of judges)
      if (isSource(this.load[j]!)) {
        visited[j] = v;
        queue.push(j);
      }
    const size = judges.length;
    const offset = prng.nextInt(size);
    for (let qi = 0; qi < queue.length; qi++) {
      const from = queue[qi]!;
      const mine = this.movableOf[from]!;
      if (mine.length === 0) continue;
      for (let t = 0; t < size; t++) {
        const to = judges[(offset + t) % size]!;
        if (visited[to] === v) continue;
        const rec = this.findMovable(mine, to);
        if (!rec) continue;
        visited[to] = v;
        parent.set(to, { from, rec });
        if (isTarget(this.load[to]!)) {
          // Apply from the end of the chain back to its start; every step was checked against the state
          // before any move and the judges on the chain are distinct, so each step stays valid.
          let cur = to;
          for (let step = parent.get(cur); step; step = parent.get(cur)) {
            this.move(step.rec, cur);
            cur = step.from;
          }
          return true;
        }
        queue.push(to);
      }
    }
    return false;
  }

  private findMovable(mine: readonly Rec[], to: number): Rec | null {
    for (const rec of mine) {
      if (this.holders[rec.e]!.includes(to)) continue;
      if (isConflicted(this.model, rec.e, to)) continue;
      return rec;
    }
    return null;
  }

  private move(rec: Rec, to: number): void {
    const from = rec.j;
    const holders = this.holders[rec.e]!;
    holders[holders.indexOf(from)] = to;
    const list = this.movableOf[from]!;
    const at = list.indexOf(rec);
    list[at] = list[list.length - 1]!;
    list.pop();
    this.movableOf[to]!.push(rec);
    this.changeLoad(from, -1);
    // Reason numbers as if the receiver had been chosen now.
    const stamp = this.markIneligible(rec.e);
    let minLoad = Infinity;
    for (const j of this.groups[this.entryGroup[rec.e]!]!.judges)
      if ((j === to || this.mark[j] !== stamp) && this.load[j]! < minLoad) minLoad = this.load[j]!;
    rec.loadBefore = this.load[to]!;
    rec.minLoad = Math.min(minLoad, rec.loadBefore);
    rec.j = to;
    this.changeLoad(to, 1);
  }

  /**
   * Positions in each judge's list: kept orders stay; the rest follow, calibration entries first, each part in
   * a seeded shuffle of the entries in id order (so the result depends only on the set of entries, not on
   * the planning steps that produced it).
   */
  assignOrders(prng: Prng): void {
    const J = this.load.length;
    const byJudge: Rec[][] = Array.from({ length: J }, () => []);
    for (const rec of this.sortedRecs()) byJudge[rec.j]!.push(rec);
    for (const list of byJudge) {
      let next = 0;
      const calibration: Rec[] = [];
      const rest: Rec[] = [];
      for (const rec of list) {
        if (rec.order >= 0) next = Math.max(next, rec.order + 1);
        else if (rec.kind === 'calibration') calibration.push(rec);
        else rest.push(rec);
      }
      for (const part of [calibration, rest]) {
        shuffleInPlace(part, prng);
        for (const rec of part) rec.order = next++;
      }
    }
  }

  panelIdOf(e: number): string | undefined {
    const g = this.entryGroup[e]!;
    return this.scope === 'panel' && g >= 0 ? this.groups[g]!.key : undefined;
  }

  toAssignment(rec: Rec): PlannedAssignment {
    const { model } = this;
    const panelId = this.panelIdOf(rec.e);
    const reason: AssignmentReason = {
      kind: rec.kind,
      ...(panelId !== undefined ? { panelId } : {}),
      loadBefore: rec.loadBefore,
      minLoad: rec.minLoad,
      candidates: this.candidates[rec.e]!,
      excludedByConflict: this.excluded[rec.e]!,
      ...(rec.replaces !== null ? { replacesJudgeId: rec.replaces } : {}),
    };
    const judgePanel = model.judgePanel[rec.j]!;
    return {
      entryId: model.entryIds[rec.e]!,
      judgeId: model.judgeIds[rec.j]!,
      panelId: this.scope === 'panel' && judgePanel >= 0 ? model.panelIds[judgePanel]! : null,
      order: rec.order,
      reason,
    };
  }

  /** Every assignment, by entry id then judge id (indices are in id order, except closed judges). */
  assignments(): PlannedAssignment[] {
    return this.sortedRecs().map((rec) => this.toAssignment(rec));
  }

  /** All assignments by entry id, then judge id (entries are indexed in id order; judges nearly so). */
  private sortedRecs(): Rec[] {
    const { judgeIds } = this.model;
    const rank = new Int32Array(judgeIds.length);
    judgeIds
      .map((id, j) => ({ id, j }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .forEach(({ j }, r) => (rank[j] = r));
    const out: Rec[] = [];
    for (const list of this.entryRecs) {
      if (list.length > 1) list.sort((a, b) => rank[a.j]! - rank[b.j]!);
      for (const rec of list) out.push(rec);
    }
    return out;
  }

  loads(): JudgeLoad[] {
    const ids = this.model.judgeIds;
    return ids
      .map((judgeId, j) => ({ judgeId, count: this.load[j]! }))
      .sort((a, b) => (a.judgeId < b.judgeId ? -1 : a.judgeId > b.judgeId ? 1 : 0));
  }

  spread(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const g of this.groups) {
      let max = 0;
      let min = Infinity;
      for (const j of g.judges) {
        max = Math.max(max, this.load[j]!);
        min = Math.min(min, this.load[j]!);
      }
      out[g.key] = g.judges.length === 0 ? 0 : max - min;
    }
    return out;
  }
}
