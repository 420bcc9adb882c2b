import type { Model } from 'mongoose';
import { conflict, notFound } from '../http/errors.js';

/**
 * Applies `$set` only if the document still has the version the client read (no lost updates).
 * A stale version answers 409 with the current document, so the client can show both.
 */
export async function updateVersioned<T extends { version: number }>(
  model: Model<T>,
  filter: Record<string, unknown>,
  version: number,
  set: Record<string, unknown>,
  what: string,
  view: (doc: T & { _id: unknown }) => unknown = (d) => d,
): Promise<T & { _id: unknown }> {
  const updated = await model
    .findOneAndUpdate({ ...filter, version } as never, { $set: set, $inc: { version: 1 } } as never, { returnDocument: 'after' })
    .lean<T & { _id: unknown }>();
  if (updated) return updated;
  const current = await model.findOne(filter as never).lean<T & { _id: unknown }>();
  if (!current) throw notFound(what);
  throw conflict(`${what} was changed by someone else (version ${current.version}, you sent ${version})`, {
    current: view(current),
  });
}
