import mongoose, { Types } from 'mongoose';
import sharp, { type Metadata } from 'sharp';
import type { Readable } from 'node:stream';
import type { AppContext } from '../context.js';
import { HttpError } from '../http/errors.js';

/** What an upload is turned into: the original as sent, a screen-sized copy and a thumbnail. */
export type ProcessedPhoto = {
  original: { data: Buffer; contentType: string };
  large: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
};

export type StoredPhoto = {
  _id: Types.ObjectId;
  fileId: Types.ObjectId;
  largeId: Types.ObjectId;
  thumbId: Types.ObjectId;
  fileName: string;
  contentType: string;
  width: number;
  height: number;
  size: number;
};

const ACCEPTED: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
/** Tablets show at most about 2k pixels across; judges zoom into this copy, not the camera original. */
const LARGE_EDGE = 2048;
const THUMB_EDGE = 480;
/** A decompression bomb guard: 100 megapixels is far beyond any camera photo of a blackboard. */
const MAX_PIXELS = 100_000_000;

export const unsupportedPhoto = (field: string, fileName: string, why: string) =>
  new HttpError(415, 'unsupported_media_type', `${field}: "${fileName}" ${why}; send a JPEG, PNG or WebP photo`, {
    fields: [{ path: field, message: why }],
  });

/**
 * Checks the bytes, not the name or the declared type: sharp must decode it as JPEG, PNG or WebP.
 * The copies are turned upright (EXIF orientation) and carry no metadata, so a phone's location
 * never reaches judges or the public.
 */
export async function processPhoto(data: Buffer, fileName: string, field = 'photos'): Promise<ProcessedPhoto> {
  let meta: Metadata;
  try {
    meta = await sharp(data, { limitInputPixels: MAX_PIXELS }).metadata();
  } catch {
    throw unsupportedPhoto(field, fileName, 'is not an image');
  }
  const contentType = meta.format ? ACCEPTED[meta.format] : undefined;
  if (!contentType) throw unsupportedPhoto(field, fileName, `is ${meta.format ?? 'an unknown format'}`);
  if (!meta.width || !meta.height) throw unsupportedPhoto(field, fileName, 'has no size');
  try {
    const upright = () => sharp(data, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate();
    const [large, thumb] = await Promise.all([
      upright().resize(LARGE_EDGE, LARGE_EDGE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 82 }).toBuffer({ resolveWithObject: true }),
      upright().resize(THUMB_EDGE, THUMB_EDGE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toBuffer(),
    ]);
    const turned = (meta.orientation ?? 1) >= 5;
    return {
      original: { data, contentType },
      large: large.data,
      thumb,
      width: turned ? meta.height : meta.width,
      height: turned ? meta.width : meta.height,
    };
  } catch {
    throw unsupportedPhoto(field, fileName, 'is damaged or truncated');
  }
}

/** Photo files live in the GridFS bucket `photos`, next to the entries that name them. */
export class PhotoStore {
  constructor(private readonly ctx: AppContext) {}

  private bucket() {
    const db = this.ctx.conn.db;
    if (!db) throw new Error('database not connected');
    return new mongoose.mongo.GridFSBucket(db, { bucketName: 'photos' });
  }

  private async put(data: Buffer, fileName: string, contentType: string, metadata: Record<string, unknown>): Promise<Types.ObjectId> {
    const id = new Types.ObjectId();
    await new Promise<void>((resolve, reject) => {
      const stream = this.bucket().openUploadStreamWithId(id, fileName, { metadata: { ...metadata, contentType } });
      stream.once('finish', () => resolve());
      stream.once('error', reject);
      stream.end(data);
    });
    return id;
  }

  /** Writes the three files; if one fails, the others are removed again. */
  async save(p: ProcessedPhoto, fileName: string, meta: { contestId: string; entryId: string }): Promise<StoredPhoto> {
    const written: Types.ObjectId[] = [];
    try {
      const base = fileName.replace(/\.[^.]*$/, '');
      const fileId = await this.put(p.original.data, fileName, p.original.contentType, { ...meta, kind: 'original' });
      written.push(fileId);
      const largeId = await this.put(p.large, `${base}.large.webp`, 'image/webp', { ...meta, kind: 'large' });
      written.push(largeId);
      const thumbId = await this.put(p.thumb, `${base}.thumb.webp`, 'image/webp', { ...meta, kind: 'thumb' });
      written.push(thumbId);
      return {
        _id: new Types.ObjectId(),
        fileId,
        largeId,
        thumbId,
        fileName,
        contentType: p.original.contentType,
        width: p.width,
        height: p.height,
        size: p.original.data.length,
      };
    } catch (err) {
      await this.remove(written);
      throw err;
    }
  }

  async remove(ids: readonly Types.ObjectId[]): Promise<void> {
    for (const id of ids) {
      try {
        await this.bucket().delete(id);
      } catch (err) {
        // A file already gone is fine; anything else is left for an operator, never a failed request.
        if (!/not found/i.test((err as Error).message)) this.ctx.logger.warn({ err, fileId: String(id) }, 'could not delete a photo file');
      }
    }
  }

  open(id: Types.ObjectId): Readable {
    return this.bucket().openDownloadStream(id);
  }
}

export const photoFileIds = (p: Pick<StoredPhoto, 'fileId' | 'largeId' | 'thumbId'>) => [p.fileId, p.largeId, p.thumbId];
