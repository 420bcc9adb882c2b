// Picks the MongoDB the tests run against, in this order:
//   1. MONGODB_URI (a real server; the harness appends a database name to it);
//   2. mongodb-memory-server, when a mongod binary can be had: MONGOMS_SYSTEM_BINARY, its download
//      cache, or a download (tried only after a 3-second reachability check, so it cannot hang offline;
//      MONGOMS_RUNTIME_DOWNLOAD=false skips it). Started as a one-member replica set so transactions work;
//   3. the in-process wire-protocol test server in ./miniMongo.ts (a test fixture, not MongoDB).
// TEST_MONGO=wire forces 3; TEST_MONGO=memory-server forces 2 (and fails if no mongod can be had).
// Prints one line saying which one it used.
import mongoose from 'mongoose';
import { MiniMongo } from './miniMongo.ts';

export type TestMongoKind = 'uri' | 'memory-server' | 'wire';

export interface TestMongo {
  /** Base URI ending with `/`: append a database name. */
  uri: string;
  kind: TestMongoKind;
  stop(): Promise<void>;
}

const PREFLIGHT_MS = 3_000;
const DOWNLOAD_MS = 10 * 60_000;

/** `scheme://[user:pass@]hosts/` from a MongoDB URI; refuses options, which `uri + dbName` would break. */
export function baseUri(uri: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?(\?.*)?$/.exec(uri.trim());
  if (!m) throw new Error(`MONGODB_URI is not a MongoDB connection string: ${uri}`);
  if (m[3] && m[3] !== '?') {
    throw new Error(
      `MONGODB_URI must not carry options (${m[3]}): the tests append a database name to it. ` +
        'Use mongodb://host:port/ (a replica set is discovered without ?replicaSet=).',
    );
  }
  return `${m[1]}/`;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A mongod path, or the reason there is none. Never waits on the network for more than a few seconds. */
async function findMongod(): Promise<{ path?: string; reason: string }> {
  const ms = await import('mongodb-memory-server-core');
  const { resolveConfig, envToBool, ResolveConfigVariables } =
    await import('mongodb-memory-server-core/lib/util/resolveConfig.js');
  const { MongoBinaryDownloadUrl } =
    await import('mongodb-memory-server-core/lib/util/MongoBinaryDownloadUrl.js');
  const dry = ms.DryMongoBinary;
  const opts = dry.getEnsuredOptions();
  // Throws when MONGOMS_SYSTEM_BINARY points nowhere: an explicit setting should fail loudly.
  const cached = await dry.locateBinary(opts);
  if (cached) return { path: cached, reason: 'found' };
  if (!envToBool(resolveConfig(ResolveConfigVariables.RUNTIME_DOWNLOAD) ?? 'true')) {
    return { reason: 'no mongod in the cache, downloads disabled' };
  }
  const full = await dry.generateOptions(opts);
  const url = await new MongoBinaryDownloadUrl(full).getDownloadUrl();
  try {
    const res = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(PREFLIGHT_MS) });
    if (!res.ok) return { reason: `no mongod in the cache, download answered ${res.status}` };
  } catch (e: any) {
    return { reason: `no mongod found, download unreachable (${e?.cause?.code ?? e?.name ?? e})` };
  }
  const path = await withTimeout(ms.MongoBinary.getPath(opts), DOWNLOAD_MS, 'mongod download');
  return { path, reason: 'downloaded' };
}

async function startMemoryServer(): Promise<TestMongo> {
  const { MongoMemoryReplSet } = await import('mongodb-memory-server-core');
  const rs = await MongoMemoryReplSet.create({ replSet: { count: 1, storageEngine: 'wiredTiger' } });
  return {
    uri: baseUri(rs.getUri().replace(/\?.*$/, '')),
    kind: 'memory-server',
    stop: async () => {
      await rs.stop();
    },
  };
}

async function startWire(): Promise<TestMongo> {
  const server = new MiniMongo();
  const uri = await server.start();
  return { uri, kind: 'wire', stop: () => server.stop() };
}

export async function startTestMongo(
  log: (line: string) => void = (l) => console.log(l),
): Promise<TestMongo> {
  const forced = process.env.TEST_MONGO;
  if (process.env.MONGODB_URI && !forced) {
    const uri = baseUri(process.env.MONGODB_URI);
    log(`[mongo] using MONGODB_URI (${uri.replace(/\/\/[^@/]*@/, '//***@')})`);
    return { uri, kind: 'uri', stop: async () => {} };
  }
  let reason = 'forced by TEST_MONGO=wire';
  if (forced !== 'wire') {
    try {
      const found = await findMongod();
      reason = found.reason;
      if (found.path) {
        const m = await startMemoryServer();
        log(`[mongo] using mongodb-memory-server (one-member replica set, ${found.path})`);
        return m;
      }
    } catch (e: any) {
      reason = `mongodb-memory-server failed: ${e?.message ?? e}`;
      if (forced === 'memory-server' || process.env.MONGOMS_SYSTEM_BINARY) throw e;
    }
    if (forced === 'memory-server') throw new Error(`TEST_MONGO=memory-server, but ${reason}`);
  }
  const wire = await startWire();
  log(`[mongo] using in-process wire-protocol test server (${reason})`);
  return wire;
}

/** A database name unique to this test file: `<name>_<time>_<random>`, within MongoDB's 63 characters. */
export function uniqueDbName(name = 't'): string {
  const clean = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 't';
  return `${clean}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** A mongoose connection to a fresh database on the MongoDB the global setup picked (`inject('mongoUri')`). */
export async function connectTestDb(name?: string): Promise<mongoose.Connection> {
  const { inject } = await import('vitest');
  const uri = inject('mongoUri');
  if (!uri)
    throw new Error(
      'mongoUri was not provided: run under the vitest "api" project (tests/support/globalSetup.ts)',
    );
  return mongoose.createConnection(uri + uniqueDbName(name)).asPromise();
}

/** Drops the connection's database and closes it. */
export async function dropAndClose(conn: mongoose.Connection): Promise<void> {
  try {
    if (conn.readyState === 1) await conn.dropDatabase();
  } finally {
    await conn.close();
  }
}
