import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';

export type DatabaseHandle = { uri: string; kind: 'uri' | 'embedded'; stop: () => Promise<void> };

export class NoDatabaseError extends Error {}

/**
 * MONGODB_URI when set (a replica set in production); otherwise an embedded mongod from
 * mongodb-memory-server whose data stays in DATA_DIR between restarts.
 */
export async function openDatabase(config: AppConfig, logger: Logger): Promise<DatabaseHandle> {
  if (config.mongodbUri) return { uri: config.mongodbUri, kind: 'uri', stop: async () => {} };
  const dbPath = path.resolve(config.dataDir, 'mongodb');
  mkdirSync(dbPath, { recursive: true });
  logger.info({ dbPath }, 'MONGODB_URI not set: starting an embedded mongod (downloads it once if needed)');
  try {
    const { MongoMemoryServer } = await import('mongodb-memory-server-core');
    const server = await MongoMemoryServer.create({ instance: { dbPath, storageEngine: 'wiredTiger' } });
    return {
      uri: server.getUri('pingxuan'),
      kind: 'embedded',
      stop: async () => {
        await server.stop({ doCleanup: false });
      },
    };
  } catch (err) {
    throw new NoDatabaseError(
      [
        `No MongoDB could be started: ${(err as Error).message}`,
        'Do one of these:',
        '  - set MONGODB_URI to a MongoDB server, e.g. MONGODB_URI=mongodb://localhost:27017/pingxuan npm start',
        '  - run npm start once on a machine with internet access, so mongod is downloaded into the cache',
        '  - set MONGOMS_SYSTEM_BINARY to a mongod binary on this machine',
        '  - for an offline demo only: npm start -- --offline-demo (an in-memory test server; nothing is kept)',
      ].join('\n'),
    );
  }
}

export const databaseName = (uri: string) => {
  const m = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]*)/.exec(uri);
  return m?.[1] || 'pingxuan';
};
