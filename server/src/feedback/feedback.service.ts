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
    };
  }

  async photo(token: string, photoId: string, size: 'thumb' | 'large') {
    const { entry } = await this.resolve(token);
    return this.photos.open(entry, photoId, size);
  }
}
