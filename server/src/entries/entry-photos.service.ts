import mongoose, { type Types } from 'mongoose';
import type { Entry } from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import type { AuditActor } from '../audit/audit.service.js';
import type { ContestDoc } from '../contests/contests.model.js';
import { HttpError, badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import type { EntryDoc } from './entries.model.js';
import { EntriesService } from './entries.service.js';
import { PhotoStore, photoFileIds, processPhoto, type ProcessedPhoto, type StoredPhoto } from './photos.service.js';

export type Upload = { name: string; data: Buffer };
export const MAX_PHOTOS_PER_ENTRY = 20;

export type BulkPhotoReport = {
  stored: { fileName: string; entryId: string; code: string }[];
  skipped: { fileName: string; code: string; reason: 'already_uploaded' }[];
  unmatched: string[];
  rejected: { fileName: string; status: number; message: string }[];
};

type PhotoSize = 'thumb' | 'large' | 'original';

export class EntryPhotosService {
  private readonly store: PhotoStore;

  constructor(private readonly ctx: AppContext) {
    this.store = new PhotoStore(ctx);
  }

  private async editable(contestId: string): Promise<ContestDoc> {
    const contest = await this.ctx.models.Contest.findById(contestId).lean<ContestDoc>();
    if (!contest) throw notFound('Contest');
    if (contest.status === 'published') throw conflict('The contest is published; photos can no longer change', { status: contest.status });
    return contest;
  }

  /** Stores one processed photo and attaches it; the files are removed again if the entry cannot take it. */
  private async attach(
    entry: EntryDoc,
    upload: Upload,
    processed: ProcessedPhoto,
    field: string,
    replaceSameName: boolean,
  ): Promise<{ before: EntryDoc; after: EntryDoc }> {
    const stored = await this.store.save(processed, upload.name, { contestId: String(entry.contestId), entryId: String(entry._id) });
    const { Entry } = this.ctx.models;
    const sameName = (p: { fileName: string }) => p.fileName.normalize('NFC').toLowerCase() === upload.name.normalize('NFC').toLowerCase();
    try {
      // Re-read so concurrent uploads to one entry each see the other's photos.
      const before = await Entry.findById(entry._id).lean<EntryDoc>();
      if (!before) throw notFound('Entry');
      const replaced = replaceSameName ? (before.photos ?? []).filter(sameName) : [];
      const kept = (before.photos ?? []).filter((p) => !replaced.includes(p));
      if (kept.length >= MAX_PHOTOS_PER_ENTRY) throw badRequest(`${field}: an entry holds at most ${MAX_PHOTOS_PER_ENTRY} photos`, [{ path: field, message: 'too many photos' }]);
      const names = before.imageFileNames ?? [];
      const after = await Entry.findOneAndUpdate(
        { _id: before._id, version: before.version },
        {
          $set: {
            photos: [...kept, stored],
            imageFileNames: names.some((n) => sameName({ fileName: n })) ? names : [...names, upload.name],
          },
          $inc: { version: 1 },
        },
        { returnDocument: 'after' },
      ).lean<EntryDoc>();
      if (!after) throw conflict('The entry changed while the photo was uploading; upload it again');
      await this.store.remove(replaced.flatMap(photoFileIds));
      return { before, after };
    } catch (err) {
      await this.store.remove(photoFileIds(stored));
      throw err;
    }
  }

  async add(contestId: string, entryId: string, uploads: Upload[], actor: AuditActor): Promise<Entry> {
    await this.editable(contestId);
    if (!uploads.length) throw badRequest('photos: send at least one photo in the "photos" field', [{ path: 'photos', message: 'required' }]);
    const { Entry } = this.ctx.models;
    const entry = await Entry.findOne({ _id: entryId, contestId }).lean<EntryDoc>();
    if (!entry) throw notFound('Entry');
    // Check every file before storing any, so a bad file in the batch changes nothing.
    const processed: ProcessedPhoto[] = [];
    for (const [i, u] of uploads.entries()) processed.push(await processPhoto(u.data, u.name, `photos.${i}`));
    let first: EntryDoc | null = null;
    let last = entry;
    for (const [i, u] of uploads.entries()) {
      const { before, after } = await this.attach(last, u, processed[i]!, `photos.${i}`, false);
      first ??= before;
      last = after;
    }
    const [b, a] = [EntriesService.view(first ?? entry), EntriesService.view(last)];
    await this.ctx.audit.append({ actor, action: 'entry.photos.add', contestId, target: { type: 'entry', id: entryId }, before: b, after: a });
    return a;
  }

  async remove(contestId: string, entryId: string, photoId: string, actor: AuditActor): Promise<Entry> {
    await this.editable(contestId);
    const { Entry } = this.ctx.models;
    const before = await Entry.findOne({ _id: entryId, contestId }).lean<EntryDoc>();
    if (!before) throw notFound('Entry');
    const photo = (before.photos ?? []).find((p) => String(p._id) === photoId);
    if (!photo) throw notFound('Photo');
    const after = await Entry.findOneAndUpdate(
      { _id: before._id },
      { $pull: { photos: { _id: photo._id } }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    ).lean<EntryDoc>();
    await this.store.remove(photoFileIds(photo as StoredPhoto));
    const [b, a] = [EntriesService.view(before), EntriesService.view(after!)];
    await this.ctx.audit.append({ actor, action: 'entry.photos.remove', contestId, target: { type: 'entry', id: entryId }, before: b, after: a });
    return a;
  }

  /**
   * Photos dropped in bulk are matched to entries by the file names of the import (图片文件), else by entry
   * code ("BB017.jpg" → BB017). Each file stands alone: one bad photo does not hold back the others.
   */
  async bulk(contestId: string, uploads: Upload[], replace: boolean, actor: AuditActor): Promise<BulkPhotoReport> {
    await this.editable(contestId);
    if (!uploads.length) throw badRequest('photos: send at least one photo in the "photos" field', [{ path: 'photos', message: 'required' }]);
    const { Entry } = this.ctx.models;
    const report: BulkPhotoReport = { stored: [], skipped: [], unmatched: [], rejected: [] };
    for (const u of uploads) {
      const base = u.name.replace(/\.[^.]*$/, '');
      const entry =
        (await Entry.findOne({ contestId, imageFileNames: u.name }).lean<EntryDoc>()) ??
        (await Entry.findOne({ contestId, code: mongoose.trusted({ $in: [base, base.toUpperCase()] }) }).lean<EntryDoc>());
      if (!entry) {
        report.unmatched.push(u.name);
        continue;
      }
      const already = (entry.photos ?? []).some((p) => p.fileName.normalize('NFC').toLowerCase() === u.name.normalize('NFC').toLowerCase());
      if (already && !replace) {
        report.skipped.push({ fileName: u.name, code: entry.code, reason: 'already_uploaded' });
        continue;
      }
      try {
        await this.attach(entry, u, await processPhoto(u.data, u.name, 'photos'), 'photos', replace);
        report.stored.push({ fileName: u.name, entryId: String(entry._id), code: entry.code });
      } catch (err) {
        if (!(err instanceof HttpError) || err.status >= 500) throw err;
        report.rejected.push({ fileName: u.name, status: err.status, message: err.message });
      }
    }
    if (report.stored.length)
      await this.ctx.audit.append({
        actor,
        action: 'entry.photos.bulk',
        contestId,
        target: { type: 'contest', id: contestId },
        before: null,
        after: { stored: report.stored, replace },
      });
    return report;
  }

  /**
   * Organizers see every photo; a judge only the photos of active entries assigned to them, never the
   * camera original (it may carry the phone's location).
   */
  async openForMember(contestId: string, entryId: string, photoId: string, size: PhotoSize, user: { id: string }, roles: readonly string[]) {
    const entry = await this.ctx.models.Entry.findOne({ _id: entryId, contestId }).lean<EntryDoc>();
    if (!entry) throw notFound('Photo');
    if (!roles.includes('organizer')) {
      if (size === 'original') throw forbidden('Judges see the screen-sized photo');
      const judge = await this.ctx.models.Judge.findOne({ contestId, userId: user.id, active: true }, { _id: 1 }).lean();
      const assigned = judge && (await this.ctx.models.Assignment.exists({ contestId, entryId: entry._id, judgeId: judge._id }));
      // Same answer as a missing photo: a judge must not learn which entries exist.
      if (!assigned || entry.status !== 'active') throw notFound('Photo');
    }
    return this.open(entry, photoId, size);
  }

  open(entry: EntryDoc, photoId: string, size: PhotoSize) {
    const photo = (entry.photos ?? []).find((p) => String(p._id) === photoId);
    if (!photo) throw notFound('Photo');
    const fileId: Types.ObjectId = size === 'thumb' ? photo.thumbId : size === 'large' ? photo.largeId : photo.fileId;
    return {
      etag: `"${String(fileId)}"`,
      contentType: size === 'original' ? photo.contentType : 'image/webp',
      stream: () => this.store.open(fileId),
    };
  }
}
