import mongoose from 'mongoose';
import type { ContestSettings } from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import type { ContestDoc } from '../contests/contests.model.js';
import { notFound } from '../http/errors.js';
import type { EntryDoc } from '../entries/entries.model.js';
import { EntryPhotosService } from '../entries/entry-photos.service.js';
import type { ResultRowDoc } from '../results/results.model.js';

type Named = { id: string; name: { zh: string; en?: string | null } };

/** A winner as the public sees it: no score, no rank, no judge; the tier is the published fact. */
const winnerView = (r: ResultRowDoc) => ({
  entryId: String(r.entryId),
  code: r.code,
  title: r.title,
  teacherName: r.teacherName,
  school: r.school,
  category: r.category ?? null,
  subject: r.subject ?? null,
  tierId: r.tierId!,
  photos: r.photos.map((p) => ({ id: p.id!, width: p.width!, height: p.height! })),
});

/**
 * What anyone may read: published contests and their winners. Everything here answers 404 until the
 * contest is published, so nothing leaks while judging or review is under way.
 */
export class PublicService {
  private readonly photos: EntryPhotosService;

  constructor(private readonly ctx: AppContext) {
    this.photos = new EntryPhotosService(ctx);
  }

  private async publishedContest(contestId: string): Promise<ContestDoc & { publishedSnapshotId: mongoose.Types.ObjectId }> {
    const contest = await this.ctx.models.Contest.findById(contestId).lean<ContestDoc>();
    if (!contest || contest.status !== 'published' || !contest.publishedSnapshotId) throw notFound('Published contest');
    return contest as ContestDoc & { publishedSnapshotId: mongoose.Types.ObjectId };
  }

  private contestView(c: ContestDoc) {
    const settings = c.settings as ContestSettings;
    return {
      id: String(c._id),
      name: c.name,
      description: c.description ?? '',
      publishedAt: c.publishedAt ? new Date(c.publishedAt).toISOString() : null,
      categories: c.categories as Named[],
      subjects: c.subjects as Named[],
      tiers: settings.tiers.map((t) => ({ id: t.id, name: t.name })),
    };
  }

  async list() {
    const contests = await this.ctx.models.Contest.find({ status: 'published' }).sort({ publishedAt: -1 }).lean<ContestDoc[]>();
    return { contests: contests.filter((c) => c.publishedSnapshotId).map((c) => this.contestView(c)) };
  }

  async winners(contestId: string, q: { tier?: string; category?: string; school?: string }) {
    const contest = await this.publishedContest(contestId);
    const filter: Record<string, unknown> = { snapshotId: contest.publishedSnapshotId, tierId: q.tier ?? mongoose.trusted({ $ne: null }) };
    if (q.category) filter.category = q.category;
    if (q.school) filter.school = q.school;
    const rows = await this.ctx.models.ResultRow.find(filter).sort({ code: 1 }).lean<ResultRowDoc[]>();
    const order = new Map((contest.settings as ContestSettings).tiers.map((t, i) => [t.id, i]));
    rows.sort((a, b) => (order.get(a.tierId!) ?? 99) - (order.get(b.tierId!) ?? 99) || a.code.localeCompare(b.code));
    const view = this.contestView(contest);
    return {
      contest: view,
      counts: view.tiers.map((t) => ({ tierId: t.id, count: rows.filter((r) => r.tierId === t.id).length })),
      winners: rows.map(winnerView),
    };
  }

  /** The works of one tier (the first by default) in code order, for the closing event's slideshow. */
  async showcase(contestId: string, tier?: string) {
    const contest = await this.publishedContest(contestId);
    const tierId = tier ?? (contest.settings as ContestSettings).tiers[0]?.id;
    if (!tierId) return { contest: this.contestView(contest), tierId: null, works: [] };
    const rows = await this.ctx.models.ResultRow.find({ snapshotId: contest.publishedSnapshotId, tierId }).sort({ code: 1 }).lean<ResultRowDoc[]>();
    return { contest: this.contestView(contest), tierId, works: rows.filter((r) => r.photos.length).map(winnerView) };
  }

  /** Photos of published winners only, and never the camera original. */
  async photo(contestId: string, entryId: string, photoId: string, size: 'thumb' | 'large') {
    const contest = await this.publishedContest(contestId);
    const row = await this.ctx.models.ResultRow.findOne({ snapshotId: contest.publishedSnapshotId, entryId }).lean<ResultRowDoc>();
    if (!row || !row.tierId || !row.photos.some((p) => p.id === photoId)) throw notFound('Photo');
    const entry = await this.ctx.models.Entry.findOne({ _id: entryId, contestId }).lean<EntryDoc>();
    if (!entry) throw notFound('Photo');
    return this.photos.open(entry, photoId, size);
  }
}
