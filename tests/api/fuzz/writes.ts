// Notices every driver call that could change the database (mongoose's and GridFS's alike), so a request
// that made none needs no before/after snapshot. Reads are listed; anything else counts as a write.
import mongoose from 'mongoose';

const COLLECTION_READS = new Set([
  'find',
  'findOne',
  'countDocuments',
  'count',
  'estimatedDocumentCount',
  'distinct',
  'indexes',
  'indexExists',
  'indexInformation',
  'listIndexes',
  'listSearchIndexes',
  'options',
  'isCapped',
  'watch',
]);
const DB_READS = new Set([
  'collection',
  'collections',
  'listCollections',
  'stats',
  'admin',
  'indexInformation',
  'profilingLevel',
  'watch',
]);
const READ_COMMANDS = new Set([
  'ping',
  'hello',
  'isMaster',
  'ismaster',
  'buildInfo',
  'buildinfo',
  'dbStats',
  'listCollections',
  'find',
  'count',
  'aggregate',
  'serverStatus',
]);

export const writes = { count: 0, names: [] as string[], enabled: false };

const writesInPipeline = (pipeline: unknown) =>
  Array.isArray(pipeline) &&
  pipeline.some((s) => s && typeof s === 'object' && ('$out' in s || '$merge' in s));

function wrap(proto: any, name: string, isWrite: (args: unknown[]) => boolean) {
  const original = proto[name];
  if (typeof original !== 'function' || original.__fuzzWrapped) return;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    if (writes.enabled && isWrite(args)) {
      writes.count++;
      writes.names.push(`${(this as any)?.collectionName ?? (this as any)?.databaseName ?? '?'}.${name}`);
    }
    return original.apply(this, args);
  };
  wrapped.__fuzzWrapped = true;
  proto[name] = wrapped;
}

/** Installs the watch once per process; `writes.enabled` turns the counting on and off. */
export function watchWrites(): void {
  const { Collection, Db } = mongoose.mongo as any;
  for (const name of Object.getOwnPropertyNames(Collection.prototype)) {
    const d = Object.getOwnPropertyDescriptor(Collection.prototype, name);
    if (!d || typeof d.value !== 'function' || name === 'constructor' || COLLECTION_READS.has(name)) continue;
    wrap(Collection.prototype, name, name === 'aggregate' ? (args) => writesInPipeline(args[0]) : () => true);
  }
  for (const name of Object.getOwnPropertyNames(Db.prototype)) {
    const d = Object.getOwnPropertyDescriptor(Db.prototype, name);
    if (!d || typeof d.value !== 'function' || name === 'constructor' || DB_READS.has(name)) continue;
    const isWrite =
      name === 'command' || name === 'runCursorCommand'
        ? (args: unknown[]) =>
            !READ_COMMANDS.has(Object.keys((args[0] as object) ?? {})[0] ?? '') ||
            writesInPipeline((args[0] as any)?.pipeline)
        : name === 'aggregate'
          ? (args: unknown[]) => writesInPipeline(args[0])
          : () => true;
    wrap(Db.prototype, name, isWrite);
  }
  const client = (mongoose.mongo as any).MongoClient.prototype;
  wrap(client, 'bulkWrite', () => true);
}
