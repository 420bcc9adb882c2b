import { rankBand, type ContestSettings, type Distribution, type RankBand } from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import type { ContestDoc } from '../contests/contests.model.js';
import { hashSecret } from '../accounts/tokens.js';
import { notFound } from '../http/errors.js';
import type { EntryDoc } from '../entries/entries.model.js';
import { EntryPhotosService } from '../entries/entry-photos.service.js';

export type FeedbackView = {
  contest: { id: string; name: string; status: string };
  entry: {
    code: string;
    title: string;
    teacherName: string;
    school: string;
    category: string | null;
    subject: string | null;
    photos: { id: string; width: number; height: number }[];
  };
  /** Scores, rank and tier appear only once the contest is published. */
  published: boolean;
  results?: FeedbackResults;
};

export type FeedbackResults = {
  /** Null when too few judges scored the entry to rank it. */
  score: number | null;
  tier: { id: string; name: { zh: string; en?: string | null } } | null;
  rankBand: RankBand | null;
  ranked: number;
  incomplete: boolean;
  criteria: { id: string; name: { zh: string; en?: string | null }; maxScore: number; mean: number | null; cohort: Distribution }[];
  cohort: Distribution;
  /** The judges' comments, without names. */
  comments: string[];
};

/** What a teacher sees through the private link of their entry, and nothing about any other entry. */
export class FeedbackService {
  private readonly photos: EntryPhotosService;

  constructor(private readonly ctx: AppContext) {
    this.photos = new EntryPhotosService(ctx);
  }

  async resolve(token: string): Promise<{ entry: EntryDoc; contest: ContestDoc }> {
    const entry = await this.ctx.models.Entry.findOne({ feedbackTokenHash: hashSecret(token) }).lean<EntryDoc>();
    if (!entry) throw notFound('Feedback link');
    const contest = await this.ctx.models.Contest.findById(entry.contestId).lean<ContestDoc>();
    if (!contest) throw notFound('Feedback link');
    return { entry, contest };
  }

  async view(token: string): Promise<FeedbackView> {
    const { entry, contest } = await this.resolve(token);
    return {
      contest: { id: String(contest._id), name: contest.name, status: contest.status },
      entry: {
        code: entry.code,
        title: entry.title,
        teacherName: entry.teacherName,
        school: entry.school,
        category: entry.category ?? null,
        subject: entry.subject ?? null,
        photos: (entry.photos ?? []).map((p) => ({ id: String(p._id), width: p.width, height: p.height })),
      },
      published: contest.status === 'published',
      ...(contest.status === 'published' ? { results: await this.results(contest, entry) } : {}),
    };
  }

  /** Only the published snapshot is read: the teacher sees exactly what was announced. */
  private async results(contest: ContestDoc, entry: EntryDoc): Promise<FeedbackResults | undefined> {
    if (!contest.publishedSnapshotId) return undefined;
    const { ResultSnapshot, ResultRow } = this.ctx.models;
    const [snapshot, row] = await Promise.all([
      ResultSnapshot.findById(contest.publishedSnapshotId).lean(),
      ResultRow.findOne({ snapshotId: contest.publishedSnapshotId, entryId: entry._id }).lean(),
    ]);
    if (!snapshot || !row) return undefined;
    const summary = snapshot.summary as { counts: { ranked: number }; distributions: { score: Distribution; criteria: Record<string, Distribution> } };
    const criteria = snapshot.criteria as { id: string; name: { zh: string; en?: string | null }; maxScore: number }[];
    const tier = row.tierId ? (contest.settings as ContestSettings).tiers.find((t) => t.id === row.tierId) : undefined;
    const means = row.criteria as Record<string, number | null>;
    return {
      score: row.rank === null ? null : row.score ?? null,
      tier: tier ? { id: tier.id, name: tier.name } : null,
      rankBand: rankBand(row.rank, summary.counts.ranked),
      ranked: summary.counts.ranked,
      incomplete: row.flags.includes('incomplete'),
      criteria: criteria.map((c) => ({ id: c.id, name: c.name, maxScore: c.maxScore, mean: means[c.id] ?? null, cohort: summary.distributions.criteria[c.id]! })),
      cohort: summary.distributions.score,
      comments: row.comments,
    };
  }

  async photo(token: string, photoId: string, size: 'thumb' | 'large') {
    const { entry } = await this.resolve(token);
    return this.photos.open(entry, photoId, size);
  }
}
