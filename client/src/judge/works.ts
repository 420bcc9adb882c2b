import { judgeTotal, type Criterion, type JudgingItem, type JudgingList } from '@pingxuan/shared';
import type { LocalScore } from './db';
import { workState, type SyncSnapshot, type WorkState } from './outbox';
import { missingCriteria, rubricValues } from './scoring';

/** One work as the judge's screens show it: the device's copy first, else the server's from the list. */
export type WorkView = {
  item: JudgingItem;
  score: LocalScore | null;
  values: Record<string, number>;
  comment: string;
  state: WorkState;
  /** Rule 1 of the engine on what is filled in; null while nothing is. */
  total: number | null;
  missing: Criterion[];
};

/**
 * The criteria a judge scores: measurement criteria (times, counts) are recorded once per entry by the
 * organizers, not by judges, and the engine's judge total leaves them out too.
 */
export function judgedCriteria(list: JudgingList): Criterion[] {
  return list.rubric.criteria.filter((c) => c.kind !== 'measurement');
}

export function workView(list: JudgingList, snap: SyncSnapshot, item: JudgingItem): WorkView {
  const criteria = judgedCriteria(list);
  const stored = snap.scores.get(item.entryId);
  const score: LocalScore | null =
    stored ??
    (item.score
      ? {
          contestId: list.contest.id,
          entryId: item.entryId,
          values: item.score.values,
          comment: item.score.comment,
          status: item.score.status,
          server: item.score,
          conflict: null,
          rejected: null,
          changedAt: 0,
        }
      : null);
  const values = rubricValues(criteria, score?.values ?? {});
  return {
    item,
    score,
    values,
    comment: score?.comment ?? '',
    state: workState(score ?? undefined, snap.pending.has(item.entryId)),
    total: Object.keys(values).length ? judgeTotal(criteria, values) : null,
    missing: missingCriteria(criteria, values),
  };
}

export function workViews(list: JudgingList, snap: SyncSnapshot): WorkView[] {
  return list.items.map((item) => workView(list, snap, item));
}

export const isSubmitted = (w: WorkView) => w.state === 'submitted' || w.state === 'submitting';

export const photoUrl = (contestId: string, entryId: string, photoId: string, size: 'thumb' | 'large') =>
  `/api/contests/${encodeURIComponent(contestId)}/entries/${encodeURIComponent(entryId)}/photos/${encodeURIComponent(photoId)}?size=${size}`;

export const formatTotal = (total: number) => total.toFixed(2);
