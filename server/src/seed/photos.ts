import mongoose from 'mongoose';
import type { AppContext } from '../context.js';
import type { EntryDoc } from '../entries/entries.model.js';
import { PhotoStore, photoFileIds, processPhoto } from '../entries/photos.service.js';
import { LESSONS, blackboardJpeg } from './blackboard.js';

/** The demo contest's id, found through its seed event in the audit log (null when none was seeded). */
export async function demoContestId(ctx: AppContext): Promise<string | null> {
  const event = await ctx.models.AuditEvent.findOne({ action: 'seed.demo' }, { contestId: 1 }).lean();
  return event?.contestId ? String(event.contestId) : null;
}

const codeSeed = (code: string) => [...code].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);

/**
 * How neat an entry's board is drawn: from its judges' mean total when it has scores, so pictures and
 * scores agree even when drawing resumes after a restart.
 */
async function qualities(ctx: AppContext, contestId: string): Promise<Map<string, number>> {
  const scores = await ctx.models.Score.find({ contestId }, { entryId: 1, values: 1 }).lean();
  const rubric = await ctx.models.Rubric.findOne({ contestId }).lean();
  const max = (rubric?.criteria ?? []).reduce((s, c) => s + c.maxScore, 0) || 100;
  const sums = new Map<string, { total: number; n: number }>();
  for (const s of scores) {
    const total = Object.values((s.values ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0);
    const acc = sums.get(String(s.entryId)) ?? { total: 0, n: 0 };
    acc.total += total / max;
    acc.n += 1;
    sums.set(String(s.entryId), acc);
  }
  // Scores cluster around 60-90 % of the maximum; stretch that to the drawing's 0-1 neatness.
  return new Map([...sums].map(([id, { total, n }]) => [id, Math.min(0.98, Math.max(0.08, (total / n - 0.45) / 0.5))]));
}

/**
 * Draws and stores a blackboard photo for every demo entry that has none yet. Runs in the background after
 * the server listens (about 0.2 s per photo); stops early when `signal` aborts. Answers how many it stored.
 */
export async function generateDemoPhotos(ctx: AppContext, opts: { signal?: AbortSignal; limit?: number } = {}): Promise<number> {
  const contestId = await demoContestId(ctx);
  if (!contestId) return 0;
  const { Entry } = ctx.models;
  const todo = await Entry.find({ contestId, photos: mongoose.trusted({ $size: 0 }) }, { code: 1, subject: 1, title: 1 })
    .sort({ code: 1 })
    .limit(opts.limit ?? 0)
    .lean<EntryDoc[]>();
  if (!todo.length) return 0;
  const quality = await qualities(ctx, contestId);
  const store = new PhotoStore(ctx);
  let stored = 0;
  for (const e of todo) {
    if (opts.signal?.aborted) break;
    const lessons = LESSONS[e.subject ?? ''] ?? LESSONS.chinese!;
    const lesson = lessons.find((l) => e.title.startsWith(l.title)) ?? lessons[0]!;
    const fileName = `${e.code}.jpg`;
    const jpeg = await blackboardJpeg(lesson, codeSeed(e.code), quality.get(String(e._id)) ?? 0.6);
    const photo = await store.save(await processPhoto(jpeg, fileName), fileName, { contestId, entryId: String(e._id) });
    // Only if still without photos: an organizer may have uploaded one meanwhile.
    const r = await Entry.updateOne({ _id: e._id, photos: mongoose.trusted({ $size: 0 }) }, { $push: { photos: photo }, $inc: { version: 1 } });
    if (r.modifiedCount) stored++;
    else await store.remove(photoFileIds(photo));
  }
  return stored;
}
