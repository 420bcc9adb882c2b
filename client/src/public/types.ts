import type { Distribution, RankBand } from '@pingxuan/shared';
import { seg } from '../api';
import type { Language } from '../i18n';

/** Names as contests store them: Chinese always, English when the organizer gave one. */
export type Named = { id: string; name: { zh: string; en?: string | null } };
export type PhotoRef = { id: string; width: number; height: number };

/** A published contest as GET /api/public/contests lists it. */
export type PublicContest = {
  id: string;
  name: string;
  description: string;
  publishedAt: string | null;
  categories: Named[];
  subjects: Named[];
  tiers: Named[];
};

/** A winner as the public sees it: the tier is the published fact, no score and no rank. */
export type Winner = {
  entryId: string;
  code: string;
  title: string;
  teacherName: string;
  school: string;
  category: string | null;
  subject: string | null;
  tierId: string;
  photos: PhotoRef[];
};

export type WinnersView = {
  contest: PublicContest;
  counts: { tierId: string; count: number }[];
  winners: Winner[];
};

export type ShowcaseView = { contest: PublicContest; tierId: string | null; works: Winner[] };

/** GET /api/feedback/:token, with `results` once the contest is published. */
export type FeedbackView = {
  contest: { id: string; name: string; status: string };
  entry: {
    code: string;
    title: string;
    teacherName: string;
    school: string;
    category: string | null;
    subject: string | null;
    photos: PhotoRef[];
  };
  published: boolean;
  results?: FeedbackResults;
};

export type FeedbackResults = {
  score: number | null;
  tier: Named | null;
  rankBand: RankBand | null;
  ranked: number;
  incomplete: boolean;
  criteria: (Named & { maxScore: number; mean: number | null; cohort: Distribution })[];
  cohort: Distribution;
  comments: string[];
};

export function publicPhotoUrl(contestId: string, entryId: string, photoId: string, size: 'thumb' | 'large') {
  return `/api/public/contests/${seg(contestId)}/entries/${seg(entryId)}/photos/${seg(photoId)}?size=${size}`;
}

/** Like `localized`, for names read from the database, where a missing English name may be null. */
export function nameIn(name: Named['name'], lng: Language): string {
  return lng === 'en' && name.en ? name.en : name.zh;
}
