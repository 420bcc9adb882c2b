// MiniMongo: an in-process MongoDB wire-protocol server for tests, on `bson` and `mingo`.
//
// A TEST FIXTURE, never the product's database. The test harness uses it only when no mongod can be
// had (no MONGODB_URI, no cached or downloadable binary); the product's start command offers it only
// behind an explicit `--offline-demo` flag. Nothing is persisted: data lives in this process's memory.
//
// The real MongoDB driver (and mongoose on top of it) talks to it over TCP on loopback: OP_MSG, plus
// the legacy OP_QUERY handshake. It presents itself as a standalone server (wire version 21, MongoDB 7.0).
// Query, update and aggregation semantics come from mingo; BSON from `bson`.
//
// Supported commands: hello/isMaster, ping, buildInfo, hostInfo, serverStatus, getParameter,
// setParameter, getCmdLineOpts, connectionStatus, whatsmyuri, listCommands, replSetGetStatus (error 76 as
// on a standalone), saslStart (error: no auth), listDatabases, dropDatabase, dbStats, create, drop,
// renameCollection, collMod, collStats, validate, listCollections, createIndexes, listIndexes,
// dropIndexes, insert, update, delete, findAndModify, find, getMore, killCursors, count, distinct,
// aggregate (every mingo stage, with $lookup/$unionWith/$graphLookup over stored collections, plus
// $out and $merge), startTransaction (via the first command's flag) / commitTransaction /
// abortTransaction, endSessions, killAllSessions, refreshSessions.
//
// Indexes: `_id`; unique indexes (single, compound, sparse, partial, multikey = one key per array
// element, case-insensitive through a collation of strength 1 or 2) are kept as hash maps
// (index key -> _id), checked on every insert/update/upsert/replace and on index creation, with real
// E11000 errors (code 11000, keyPattern, keyValue). Non-unique indexes (including text, 2dsphere,
// hashed) are accepted and listed, but there is no query planner: a find scans the collection, except
// for equality on `_id` (or `_id: {$in}`), equality on every field of a unique index, and equality on
// every field of a plain ascending/descending non-unique index (not sparse, partial or collated; its map,
// index key -> _ids, is built at the first query that can use it), which are looked up in the maps.
// TTL indexes are accepted and listed; expired documents are removed every `ttlMonitorSeconds`
// (60 by default, as mongod's TTL monitor) and on demand with `expireTtlDocuments()`.
// Transactions: a command with `autocommit: false` joins the session's transaction; every write in it
// is recorded in an undo log; abort (or an error inside the transaction, as on a real server) replays
// it backwards; commit drops it.
//
// Known gaps (a real mongod is needed to prove these): `$text`/`$near` queries, collation in queries
// (indexes honour strength 1/2 for uniqueness, queries compare binary strings), views, capped
// collections (accepted, never capped), schema validation (validators accepted, not enforced),
// change streams, transaction isolation and write conflicts (other clients see uncommitted writes),
// `explain`, authentication, and numeric type fidelity (int64 values that fit in a double come back as
// int32/double). Never quote throughput measured on it as MongoDB's.
import * as net from 'node:net';
import { BSON, Binary, Long, ObjectId } from 'bson';
import { Aggregator, Query } from 'mingo';
import { compare as mingoCompare } from 'mingo/util';
import { update as mingoUpdate } from 'mingo/updater';

export type Doc = Record<string, any>;

export interface IndexSpec {
  v?: number;
  key: Doc;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
  collation?: Doc;
  [option: string]: any;
}

interface Index {
  spec: IndexSpec;
  /** Indexed paths, split on dots. */
  paths: string[][];
  /** Unique indexes only: index key -> key of the owning document's `_id`. */
  owners?: Map<string, string>;
  /**
   * Plain non-unique indexes: index key -> keys of the documents' `_id`, built the first time a query can use
   * it and kept up to date from then on; null when it cannot be kept (parallel arrays), so queries scan.
   */
  members?: Map<string, Set<string>> | null;
  partial?: Query;
  /** Folds strings for a case- (and accent-) insensitive collation. */
  fold?: (s: string) => string;
}

interface Collection {
  db: string;
  name: string;
  docs: Map<string, Doc>;
  /**
   * Position of each document in `docs` (natural order), so documents looked up in a non-unique index's map
   * come back in the order a scan gives, whenever they joined the key.
   */
  seq: Map<string, number>;
  indexes: Index[];
  options: Doc;
  uuid: Binary;
}

type UndoEntry =
  | { kind: 'doc'; db: string; coll: string; id: string; prev: Doc | undefined }
  | { kind: 'create'; db: string; coll: string };

interface Txn {
  txnNumber: string;
  undo: UndoEntry[];
}

interface ServerCursor {
  ns: string;
  docs: Doc[];
  pos: number;
  touched: number;
}

interface Ctx {
  db: string;
  coll: string;
  ns: string;
  connectionId: number;
}

export interface MiniMongoOptions {
  /** Seconds between TTL sweeps (mongod: 60). 0 turns the sweep off; `expireTtlDocuments()` still works. */
  ttlMonitorSeconds?: number;
}

export class CommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly extra: Doc;

  constructor(message: string, code: number, codeName: string, extra: Doc = {}) {
    super(message);
    this.code = code;
    this.codeName = codeName;
    this.extra = extra;
  }
}

const MAX_BSON_SIZE = 16 * 1024 * 1024;
/** Documents per reply batch stop before this many bytes, leaving room for the reply envelope. */
const BATCH_BYTES = MAX_BSON_SIZE - 64 * 1024;
const CURSOR_IDLE_MS = 10 * 60 * 1000;
const OP_MSG = 2013;
const OP_QUERY = 2004;
const OP_REPLY = 1;

/** Stands for an empty array in an index key (mongod indexes `[]` as `undefined`, distinct from null). */
const EMPTY_ARRAY: unique symbol = Symbol('emptyArray');
/** Returned by `equalityValue` for filters that are not a plain equality. */
const NOT_EQUALITY: unique symbol = Symbol('notEquality');

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$pop',
  '$bit',
  '$currentDate',
  '$setOnInsert',
]);

/** Pipeline stages that never change the documents they receive, so stored documents need no copy. */
const NON_MUTATING_STAGES = new Set([
  '$match',
  '$sort',
  '$skip',
  '$limit',
  '$count',
  '$group',
  '$sortByCount',
]);

const clone = (d: Doc): Doc => BSON.deserialize(BSON.serialize(d));

const isPlainObject = (v: unknown): v is Doc =>
  v !== null &&
  typeof v === 'object' &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/**
 * A string that is equal for two values exactly when MongoDB considers them equal in an index:
 * numbers of every type compare by value, null and missing are the same key.
 */
function keyOf(v: any, fold?: (s: string) => string): string {
  if (v === undefined || v === null) return 'n';
  switch (typeof v) {
    case 'number':
      return Number.isNaN(v) ? 'N' : 'd' + (v === 0 ? 0 : v);
    case 'bigint':
      return 'd' + Number(v);
    case 'string':
      return 's' + (fold ? fold(v) : v);
    case 'boolean':
      return v ? 'T' : 'F';
    case 'symbol':
      return v === EMPTY_ARRAY ? 'u' : 'n';
  }
  if (v instanceof Date) return 't' + v.getTime();
  if (Array.isArray(v)) return 'a' + JSON.stringify(v.map((x) => keyOf(x, fold)));
  if (v instanceof RegExp) return 'r' + v.source + '/' + v.flags;
  switch (v._bsontype) {
    case 'ObjectId':
      return 'o' + v.toHexString();
    case 'Long':
    case 'Int32':
    case 'Double':
      return 'd' + Number(v);
    case 'Decimal128':
      return 'd' + Number(v.toString());
    case 'Binary':
      return 'x' + v.sub_type + ':' + Buffer.from(v.buffer).toString('base64');
    case 'Timestamp':
      return 'ts' + v.toString();
    case 'MinKey':
      return 'min';
    case 'MaxKey':
      return 'max';
    case undefined:
      break;
    default:
      return v._bsontype + ':' + String(v);
  }
  return 'o' + JSON.stringify(Object.entries(v).map(([k, x]) => [k, keyOf(x, fold)]));
}

/** Collects the values an index holds for one path; true when an array was expanded (multikey). */
function collectIndexValues(v: any, parts: string[], i: number, out: any[]): boolean {
  if (i === parts.length) {
    if (Array.isArray(v)) {
      if (v.length === 0) out.push(EMPTY_ARRAY);
      else out.push(...v);
      return true;
    }
    out.push(v);
    return false;
  }
  if (Array.isArray(v)) {
    const part = parts[i]!;
    if (/^\d+$/.test(part) && Number(part) < v.length)
      return collectIndexValues(v[Number(part)], parts, i + 1, out);
    if (v.length === 0) {
      out.push(undefined);
      return true;
    }
    for (const el of v) {
      if (isPlainObject(el)) collectIndexValues(el[part], parts, i + 1, out);
      else out.push(undefined);
    }
    return true;
  }
  if (!isPlainObject(v)) {
    out.push(undefined);
    return false;
  }
  return collectIndexValues(v[parts[i]!], parts, i + 1, out);
}

function collationFold(collation: Doc | undefined): ((s: string) => string) | undefined {
  if (!collation || collation.locale === 'simple') return undefined;
  const strength = collation.strength ?? 3;
  if (strength >= 3) return undefined;
  if (strength === 2) return (s) => s.toLocaleLowerCase(collation.locale);
  return (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase(collation.locale);
}

function formatKeyValue(v: any): string {
  if (v === undefined || v === null) return 'null';
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v?._bsontype === 'ObjectId') return `ObjectId('${v.toHexString()}')`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  try {
    return BSON.EJSON.stringify(v, { relaxed: true });
  } catch {
    return String(v);
  }
}

/** The value of a filter clause when it is a plain equality that an index can answer, else NOT_EQUALITY. */
function equalityValue(clause: any): any {
  let v = clause;
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    if (keys.length !== 1 || keys[0] !== '$eq') return NOT_EQUALITY;
    v = v.$eq;
  }
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isNaN(v) ? NOT_EQUALITY : v;
  if (v instanceof Date) return v;
  if (v?._bsontype === 'ObjectId' || v?._bsontype === 'Binary') return v;
  return NOT_EQUALITY;
}

function mingoOptions(cmd: Doc): Doc {
  const opts: Doc = {};
  if (cmd.collation && cmd.collation.locale && cmd.collation.locale !== 'simple')
    opts.collation = cmd.collation;
  if (cmd.let) opts.variables = cmd.let;
  return opts;
}

function toBadValue(e: any): CommandError {
  if (e instanceof CommandError) return e;
  const message = String(e?.message ?? e);
  if (/conflict/i.test(message)) return new CommandError(message, 40, 'ConflictingUpdateOperators');
  if (/immutable field '_id'/.test(message)) return new CommandError(message, 66, 'ImmutableField');
  return new CommandError(message, 2, 'BadValue');
}

function writeErrorOf(index: number, e: any): Doc {
  const err = toBadValue(e);
  return { index, code: err.code, errmsg: err.message, ...err.extra };
}

export class MiniMongo {
  private dbs = new Map<string, Map<string, Collection>>();
  private cursors = new Map<bigint, ServerCursor>();
  private txns = new Map<string, Txn>();
  /** The undo log of the transaction the running command belongs to. */
  private undo: UndoEntry[] | null = null;
  private nextCursorId = 1n;
  private nextConnectionId = 1;
  private server?: net.Server;
  private sockets = new Set<net.Socket>();
  private timer?: NodeJS.Timeout;
  private ttlMonitorSeconds: number;
  private startedAt = Date.now();
  private readonly handlers: Record<string, (cmd: Doc, ctx: Ctx) => Doc>;
  port = 0;
  host = '127.0.0.1';
  /** Documents tested against query filters so far: shows whether a query was answered from an index map. */
  examined = 0;
  private nextSeq = 0;

  constructor(options: MiniMongoOptions = {}) {
    this.ttlMonitorSeconds = options.ttlMonitorSeconds ?? 60;
    this.handlers = this.commandTable();
  }

  /** Listens on `host:port` (0: any free port) and returns the base URI, ending with `/`. */
  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = net.createServer((s) => this.onSocket(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.host = host;
    this.restartTimer();
    return this.uri();
  }

  uri(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `mongodb://${host}:${this.port}/`;
  }

  /** Stops listening and drops every client connection. Data is kept until the object is dropped. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Removes every document whose TTL has passed, as mongod's TTL monitor does. Returns how many. */
  expireTtlDocuments(now: Date = new Date()): number {
    let removed = 0;
    const saved = this.undo;
    this.undo = null;
    try {
      for (const colls of this.dbs.values()) {
        for (const c of colls.values()) {
          for (const ix of c.indexes) {
            const seconds = ix.spec.expireAfterSeconds;
            if (typeof seconds !== 'number' || ix.paths.length !== 1) continue;
            const limit = now.getTime() - seconds * 1000;
            for (const d of [...c.docs.values()]) {
              if (ix.partial && !ix.partial.test(d)) continue;
              const values: any[] = [];
              collectIndexValues(d, ix.paths[0]!, 0, values);
              const times = values.filter((v) => v instanceof Date).map((v: Date) => v.getTime());
              if (times.length && Math.min(...times) <= limit) {
                this.removeDoc(c, d);
                removed++;
              }
            }
          }
        }
      }
    } finally {
      this.undo = saved;
    }
    return removed;
  }

  private restartTimer() {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!this.server) return;
    const seconds = this.ttlMonitorSeconds > 0 ? this.ttlMonitorSeconds : 60;
    this.timer = setInterval(() => {
      if (this.ttlMonitorSeconds > 0) this.expireTtlDocuments();
      const idle = Date.now() - CURSOR_IDLE_MS;
      for (const [id, cur] of this.cursors) if (cur.touched < idle) this.cursors.delete(id);
    }, seconds * 1000);
    this.timer.unref();
  }

  // ------------------------------------------------------------------------------------------------
  // Wire protocol

  private onSocket(sock: net.Socket) {
    const connectionId = this.nextConnectionId++;
    this.sockets.add(sock);
    sock.setNoDelay(true);
    sock.on('error', () => {});
    sock.on('close', () => this.sockets.delete(sock));
    let chunks: Buffer[] = [];
    let total = 0;
    let need = -1;
    sock.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      for (;;) {
        if (need < 0) {
          if (total < 4) return;
          if (chunks[0]!.length < 4) chunks = [Buffer.concat(chunks, total)];
          need = chunks[0]!.readInt32LE(0);
        }
        if (total < need) return;
        const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
        const msg = all.subarray(0, need);
        const rest = all.subarray(need);
        chunks = rest.length ? [rest] : [];
        total = rest.length;
        need = -1;
        let reply: Buffer | null;
        try {
          reply = this.onMessage(msg, connectionId);
        } catch {
          sock.destroy();
          return;
        }
        if (reply) sock.write(reply);
      }
    });
  }

  private onMessage(msg: Buffer, connectionId: number): Buffer | null {
    const requestId = msg.readInt32LE(4);
    const opCode = msg.readInt32LE(12);
    if (opCode === OP_MSG) {
      const flags = msg.readUInt32LE(16);
      const end = msg.length - (flags & 1 ? 4 : 0);
      let off = 20;
      let body: Doc = {};
      const sequences: Doc = {};
      while (off < end) {
        const kind = msg[off++];
        if (kind === 0) {
          const n = msg.readInt32LE(off);
          body = BSON.deserialize(msg.subarray(off, off + n));
          off += n;
        } else {
          const size = msg.readInt32LE(off);
          const stop = off + size;
          let p = off + 4;
          const zero = msg.indexOf(0, p);
          const ident = msg.toString('utf8', p, zero);
          p = zero + 1;
          const docs: Doc[] = [];
          while (p < stop) {
            const n = msg.readInt32LE(p);
            docs.push(BSON.deserialize(msg.subarray(p, p + n)));
            p += n;
          }
          sequences[ident] = docs;
          off = stop;
        }
      }
      Object.assign(body, sequences);
      const reply = this.run(body, connectionId);
      if (flags & 2) return null; // moreToCome: an unacknowledged write wants no answer
      const payload = BSON.serialize(reply);
      const header = Buffer.alloc(21);
      header.writeInt32LE(21 + payload.length, 0);
      header.writeInt32LE(0, 4);
      header.writeInt32LE(requestId, 8);
      header.writeInt32LE(OP_MSG, 12);
      header.writeUInt32LE(0, 16);
      header[20] = 0;
      return Buffer.concat([header, payload]);
    }
    if (opCode === OP_QUERY) {
      // Legacy OP_QUERY: only the driver's first hello on a new connection uses it.
      const zero = msg.indexOf(0, 20);
      const p = zero + 1 + 8;
      const n = msg.readInt32LE(p);
      const query = BSON.deserialize(msg.subarray(p, p + n));
      const payload = BSON.serialize(this.run({ ...(query.$query ?? query), $db: 'admin' }, connectionId));
      const header = Buffer.alloc(36);
      header.writeInt32LE(36 + payload.length, 0);
      header.writeInt32LE(0, 4);
      header.writeInt32LE(requestId, 8);
      header.writeInt32LE(OP_REPLY, 12);
      header.writeInt32LE(0, 16);
      header.writeBigInt64LE(0n, 20);
      header.writeInt32LE(0, 28);
      header.writeInt32LE(1, 32);
      return Buffer.concat([header, payload]);
    }
    throw new Error(`unsupported opCode ${opCode}`);
  }

  // ------------------------------------------------------------------------------------------------
  // Command dispatch and transactions

  private run(cmd: Doc, connectionId: number): Doc {
    const name = Object.keys(cmd)[0] ?? '';
    const lower = name.toLowerCase();
    const db: string = cmd.$db ?? 'test';
    const coll = typeof cmd[name] === 'string' ? cmd[name] : '';
    const ctx: Ctx = { db, coll, ns: `${db}.${coll}`, connectionId };
    let txn: Txn | undefined;
    try {
      const inTxn =
        cmd.lsid && cmd.autocommit === false && lower !== 'committransaction' && lower !== 'aborttransaction';
      if (inTxn) {
        txn = this.joinTransaction(cmd);
        this.undo = txn.undo;
      }
      const handler = this.handlers[lower];
      if (!handler) throw new CommandError(`no such command: '${name}'`, 59, 'CommandNotFound');
      const reply = handler(cmd, ctx);
      // As on a real server, a failed write inside a transaction aborts the transaction.
      if (txn && reply.writeErrors?.length) this.abortTxnAfterError(cmd);
      return reply;
    } catch (e: any) {
      if (txn) this.abortTxnAfterError(cmd);
      const err = e instanceof CommandError ? e : toBadValue(e);
      return { ok: 0, errmsg: err.message, code: err.code, codeName: err.codeName, ...err.extra };
    } finally {
      this.undo = null;
    }
  }

  private sessionKey(cmd: Doc): string {
    return keyOf(cmd.lsid?.id ?? cmd.lsid);
  }

  private joinTransaction(cmd: Doc): Txn {
    const key = this.sessionKey(cmd);
    const txnNumber = String(cmd.txnNumber);
    const open = this.txns.get(key);
    if (cmd.startTransaction) {
      if (open) this.rollback(open.undo);
      const txn: Txn = { txnNumber, undo: [] };
      this.txns.set(key, txn);
      return txn;
    }
    if (!open || open.txnNumber !== txnNumber) {
      throw new CommandError(
        `Transaction with txnNumber ${txnNumber} has been aborted.`,
        251,
        'NoSuchTransaction',
        {
          errorLabels: ['TransientTransactionError'],
        },
      );
    }
    return open;
  }

  private abortTxnAfterError(cmd: Doc) {
    const key = this.sessionKey(cmd);
    const open = this.txns.get(key);
    if (!open || open.txnNumber !== String(cmd.txnNumber)) return;
    this.undo = null;
    this.rollback(open.undo);
    this.txns.delete(key);
  }

  private rollback(undo: UndoEntry[]) {
    const saved = this.undo;
    this.undo = null;
    try {
      for (let i = undo.length - 1; i >= 0; i--) {
        const u = undo[i]!;
        if (u.kind === 'create') {
          this.dbs.get(u.db)?.delete(u.coll);
          continue;
        }
        const c = this.ensureColl(u.db, u.coll);
        const current = c.docs.get(u.id);
        if (current) {
          this.dropKeys(c, current, u.id);
          // An updated document goes back where it was; an inserted one goes.
          if (!u.prev) {
            c.docs.delete(u.id);
            c.seq.delete(u.id);
          }
        }
        if (u.prev) {
          if (!current) c.seq.set(u.id, this.nextSeq++);
          c.docs.set(u.id, u.prev);
          for (const ix of c.indexes) {
            if (!ix.owners) continue;
            const entries = this.indexEntries(ix, u.prev);
            if (entries) for (const k of entries.keys()) ix.owners.set(k, u.id);
          }
          this.addMembers(c, u.prev, u.id);
        }
      }
    } finally {
      this.undo = saved;
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Storage

  private database(name: string): Map<string, Collection> {
    let d = this.dbs.get(name);
    if (!d) this.dbs.set(name, (d = new Map()));
    return d;
  }

  private getColl(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  private ensureColl(db: string, name: string, options: Doc = {}): Collection {
    const d = this.database(db);
    let c = d.get(name);
    if (!c) {
      if (!name || name.includes('$') || name.includes('\0')) {
        throw new CommandError(`Invalid collection name: ${name}`, 73, 'InvalidNamespace');
      }
      c = {
        db,
        name,
        docs: new Map(),
        seq: new Map(),
        indexes: [],
        options,
        uuid: new Binary(randomUuid(), 4),
      };
      this.addIndex(c, { v: 2, key: { _id: 1 }, name: '_id_' });
      d.set(name, c);
      this.undo?.push({ kind: 'create', db, coll: name });
    }
    return c;
  }

  private makeIndex(spec: IndexSpec): Index {
    const ix: Index = { spec, paths: Object.keys(spec.key).map((f) => f.split('.')) };
    if (spec.unique && spec.name !== '_id_') ix.owners = new Map();
    if (spec.partialFilterExpression) ix.partial = new Query(spec.partialFilterExpression);
    const fold = collationFold(spec.collation);
    if (fold) ix.fold = fold;
    return ix;
  }

  /** Adds an index, building its key map from the stored documents (E11000 on duplicates). */
  private addIndex(c: Collection, spec: IndexSpec): Index {
    const ix = this.makeIndex(spec);
    if (ix.owners) {
      for (const [id, d] of c.docs) {
        const entries = this.indexEntries(ix, d);
        if (!entries) continue;
        for (const [k, values] of entries) {
          const owner = ix.owners.get(k);
          if (owner !== undefined && owner !== id) throw this.duplicate(`${c.db}.${c.name}`, spec, values);
          ix.owners.set(k, id);
        }
      }
    }
    c.indexes.push(ix);
    return ix;
  }

  /** Index key -> indexed values of one document; null when the document is not in the index. */
  private indexEntries(ix: Index, doc: Doc): Map<string, any[]> | null {
    if (ix.partial && !ix.partial.test(doc)) return null;
    const perPath: any[][] = [];
    let multikeyPaths = 0;
    for (const parts of ix.paths) {
      const values: any[] = [];
      if (collectIndexValues(doc, parts, 0, values)) multikeyPaths++;
      perPath.push(values);
    }
    if (multikeyPaths > 1) {
      throw new CommandError(
        `cannot index parallel arrays (index ${ix.spec.name})`,
        171,
        'CannotIndexParallelArrays',
      );
    }
    if (ix.spec.sparse && perPath.every((values) => values.every((v) => v === undefined))) return null;
    const out = new Map<string, any[]>();
    if (perPath.length === 1) {
      for (const v of perPath[0]!) out.set(keyOf(v, ix.fold), [v]);
      return out;
    }
    let combos: any[][] = [[]];
    for (const values of perPath) {
      const next: any[][] = [];
      for (const combo of combos) for (const v of values) next.push([...combo, v]);
      combos = next;
    }
    for (const combo of combos) out.set(JSON.stringify(combo.map((v) => keyOf(v, ix.fold))), combo);
    return out;
  }

  private duplicate(ns: string, spec: IndexSpec, values: any[]): CommandError {
    const keyValue: Doc = {};
    Object.keys(spec.key).forEach((field, i) => {
      const v = values[i];
      keyValue[field] = v === undefined ? null : v === EMPTY_ARRAY ? [] : v;
    });
    const shown = Object.entries(keyValue)
      .map(([k, v]) => `${k}: ${formatKeyValue(v)}`)
      .join(', ');
    return new CommandError(
      `E11000 duplicate key error collection: ${ns} index: ${spec.name} dup key: { ${shown} }`,
      11000,
      'DuplicateKey',
      { keyPattern: spec.key, keyValue },
    );
  }

  /** Checks every unique index for `doc` (owned by `id`) and returns the keys to set. */
  private checkUnique(c: Collection, doc: Doc, id: string): Array<[Index, Map<string, any[]>]> {
    const result: Array<[Index, Map<string, any[]>]> = [];
    for (const ix of c.indexes) {
      if (!ix.owners) continue;
      const entries = this.indexEntries(ix, doc);
      if (!entries) continue;
      for (const [k, values] of entries) {
        const owner = ix.owners.get(k);
        if (owner !== undefined && owner !== id) throw this.duplicate(`${c.db}.${c.name}`, ix.spec, values);
      }
      result.push([ix, entries]);
    }
    return result;
  }

  private dropKeys(c: Collection, doc: Doc, id: string, replacement?: Doc) {
    for (const ix of c.indexes) {
      if (!ix.owners) continue;
      let entries: Map<string, any[]> | null;
      try {
        entries = this.indexEntries(ix, doc);
      } catch {
        continue;
      }
      if (!entries) continue;
      for (const k of entries.keys()) if (ix.owners.get(k) === id) ix.owners.delete(k);
    }
    this.dropMembers(c, doc, id, replacement);
  }

  /** True for an index whose map can answer equality on all its fields: plain keys, every document in it. */
  private lookupIndex(ix: Index): boolean {
    return (
      !ix.owners &&
      ix.spec.name !== '_id_' &&
      !ix.spec.unique &&
      !ix.spec.sparse &&
      !ix.partial &&
      !ix.fold &&
      Object.values(ix.spec.key).every((v) => v === 1 || v === -1)
    );
  }

  /** The index's entries for `doc`, or null after making the index unusable (it cannot hold `doc`). */
  private memberEntries(ix: Index, doc: Doc): Map<string, any[]> | null {
    try {
      return this.indexEntries(ix, doc);
    } catch {
      ix.members = null;
      return null;
    }
  }

  private addMembers(c: Collection, doc: Doc, id: string, only?: Set<string>) {
    for (const ix of c.indexes) {
      if (!ix.members) continue;
      const entries = this.memberEntries(ix, doc);
      if (!entries) continue;
      for (const k of entries.keys()) {
        if (only && !only.has(k)) continue;
        let ids = ix.members.get(k);
        if (!ids) ix.members.set(k, (ids = new Set()));
        ids.add(id);
      }
    }
  }

  private dropMembers(c: Collection, doc: Doc, id: string, keep?: Doc) {
    for (const ix of c.indexes) {
      if (!ix.members) continue;
      const entries = this.memberEntries(ix, doc);
      if (!entries || !ix.members) continue;
      // Keys the replacement keeps stay where they are, so documents keep their natural order in a key.
      const kept = keep ? this.memberEntries(ix, keep) : null;
      if (!ix.members) continue;
      for (const k of entries.keys()) {
        if (kept?.has(k)) continue;
        const ids = ix.members.get(k);
        if (!ids) continue;
        ids.delete(id);
        if (!ids.size) ix.members.delete(k);
      }
    }
  }

  /** Builds a non-unique index's map from the stored documents, the first time a query can use it. */
  private buildMembers(c: Collection, ix: Index) {
    const members = new Map<string, Set<string>>();
    ix.members = members;
    for (const [id, d] of c.docs) {
      const entries = this.memberEntries(ix, d);
      if (ix.members === null) return;
      if (!entries) continue;
      for (const k of entries.keys()) {
        let ids = members.get(k);
        if (!ids) members.set(k, (ids = new Set()));
        ids.add(id);
      }
    }
  }

  private insertDoc(c: Collection, input: Doc): Doc {
    let doc = input;
    if (doc._id === undefined) doc = { _id: new ObjectId(), ...doc };
    else if (Object.keys(doc)[0] !== '_id') doc = { _id: doc._id, ...doc };
    if (Array.isArray(doc._id) || doc._id instanceof RegExp) {
      throw new CommandError(`can't use an array or a regex for _id`, 53, 'InvalidIdField');
    }
    for (const k of Object.keys(doc)) {
      if (k.startsWith('$'))
        throw new CommandError(`Document can't have $ prefixed field names: ${k}`, 2, 'BadValue');
    }
    const id = keyOf(doc._id);
    if (c.docs.has(id)) throw this.duplicate(`${c.db}.${c.name}`, c.indexes[0]!.spec, [doc._id]);
    const keys = this.checkUnique(c, doc, id);
    c.docs.set(id, doc);
    c.seq.set(id, this.nextSeq++);
    for (const [ix, entries] of keys) for (const k of entries.keys()) ix.owners!.set(k, id);
    this.addMembers(c, doc, id);
    this.undo?.push({ kind: 'doc', db: c.db, coll: c.name, id, prev: undefined });
    return doc;
  }

  private replaceDoc(c: Collection, old: Doc, next: Doc) {
    const id = keyOf(old._id);
    if (keyOf(next._id) !== id) {
      throw new CommandError(
        `Performing an update on the path '_id' would modify the immutable field '_id'`,
        66,
        'ImmutableField',
      );
    }
    const keys = this.checkUnique(c, next, id);
    this.dropKeys(c, old, id, next);
    c.docs.set(id, next);
    for (const [ix, entries] of keys) for (const k of entries.keys()) ix.owners!.set(k, id);
    this.addMembers(c, next, id);
    this.undo?.push({ kind: 'doc', db: c.db, coll: c.name, id, prev: old });
  }

  private removeDoc(c: Collection, doc: Doc) {
    const id = keyOf(doc._id);
    this.dropKeys(c, doc, id);
    c.docs.delete(id);
    c.seq.delete(id);
    this.undo?.push({ kind: 'doc', db: c.db, coll: c.name, id, prev: doc });
  }

  private dropCollection(db: string, name: string): boolean {
    const c = this.getColl(db, name);
    if (!c) return false;
    if (this.undo) for (const d of [...c.docs.values()]) this.removeDoc(c, d);
    this.dbs.get(db)!.delete(name);
    return true;
  }

  // ------------------------------------------------------------------------------------------------
  // Queries and updates

  /** Documents that may match `filter`: an index lookup when the filter allows one, else all of them. */
  private candidates(c: Collection, filter: Doc | undefined, collated = false): Iterable<Doc> {
    if (!filter || !isPlainObject(filter)) return c.docs.values();
    if ('_id' in filter) {
      const v = equalityValue(filter._id);
      if (v !== NOT_EQUALITY) {
        const d = c.docs.get(keyOf(v));
        return d ? [d] : [];
      }
      const clause = filter._id;
      if (isPlainObject(clause) && Object.keys(clause).length === 1 && Array.isArray(clause.$in)) {
        const values = clause.$in.map(equalityValue);
        if (values.every((x: any) => x !== NOT_EQUALITY)) {
          const seen = new Set<string>();
          const out: Doc[] = [];
          for (const x of values) {
            const k = keyOf(x);
            const d = c.docs.get(k);
            if (d && !seen.has(k)) {
              seen.add(k);
              out.push(d);
            }
          }
          return out;
        }
      }
    }
    for (const ix of c.indexes) {
      if (!ix.owners || ix.partial || ix.fold) continue;
      const fields = Object.keys(ix.spec.key);
      const values: any[] = [];
      for (const f of fields) {
        const v = f in filter ? equalityValue(filter[f]) : NOT_EQUALITY;
        if (v === NOT_EQUALITY) break;
        values.push(v);
      }
      if (values.length !== fields.length) continue;
      const key = values.length === 1 ? keyOf(values[0]) : JSON.stringify(values.map((v) => keyOf(v)));
      const owner = ix.owners.get(key);
      const d = owner === undefined ? undefined : c.docs.get(owner);
      return d ? [d] : [];
    }
    // A query collation may match strings the binary keys of these maps do not.
    if (collated) return c.docs.values();
    let best: Set<string> | null = null;
    for (const ix of c.indexes) {
      if (ix.members === null || !this.lookupIndex(ix)) continue;
      const fields = Object.keys(ix.spec.key);
      const values = fields.map((f) => (f in filter ? equalityValue(filter[f]) : NOT_EQUALITY));
      if (values.some((v) => v === NOT_EQUALITY)) continue;
      if (ix.members === undefined) this.buildMembers(c, ix);
      if (!ix.members) continue;
      const key = values.length === 1 ? keyOf(values[0]) : JSON.stringify(values.map((v) => keyOf(v)));
      const ids: Set<string> = ix.members.get(key) ?? new Set<string>();
      if (!best || ids.size < best.size) best = ids;
    }
    // Most of the collection: a scan costs no more and needs no sorting.
    if (!best || best.size * 2 > c.docs.size) return c.docs.values();
    // Natural order, as a scan (or a real index, by record id within a key) gives.
    const seq = c.seq;
    const ids = [...best].sort((a, b) => seq.get(a)! - seq.get(b)!);
    return ids.map((id) => c.docs.get(id)!);
  }

  /** Stored documents matching `filter` (not copies: stored documents are never changed in place). */
  private match(
    c: Collection | undefined,
    filter: Doc | undefined,
    options: Doc = {},
    limit = Infinity,
  ): Doc[] {
    if (!c || limit <= 0) return [];
    const out: Doc[] = [];
    const empty = !filter || Object.keys(filter).length === 0;
    const query = empty ? null : new Query(filter, options);
    for (const d of this.candidates(c, filter, !!options.collation)) {
      this.examined++;
      if (query && !query.test(d)) continue;
      out.push(d);
      if (out.length >= limit) break;
    }
    return out;
  }

  private sortDocs(docs: Doc[], sort: Doc | undefined, options: Doc = {}): Doc[] {
    if (!sort || !isPlainObject(sort)) return docs;
    const { $natural, ...rest } = sort;
    let out = $natural === -1 ? [...docs].reverse() : docs;
    if (Object.keys(rest).length) out = new Aggregator([{ $sort: rest }], options).run(out) as Doc[];
    return out;
  }

  private project(
    docs: Doc[],
    projection: Doc | undefined,
    filter: Doc | undefined,
    options: Doc = {},
  ): Doc[] {
    if (!projection || !Object.keys(projection).length) return docs;
    return new Query(filter ?? {}, options).find(docs, projection).all() as Doc[];
  }

  private applyUpdate(
    input: Doc,
    u: any,
    q: Doc,
    arrayFilters: Doc[] | undefined,
    isInsert: boolean,
    options: Doc,
  ): Doc {
    let doc = input;
    let out: Doc;
    if (Array.isArray(u)) {
      out = new Aggregator(u, options).run([clone(doc)])[0] as Doc;
      if (doc._id !== undefined && out._id === undefined) out = { _id: doc._id, ...out };
    } else {
      const keys = Object.keys(u ?? {});
      const operators = keys.filter((k) => k.startsWith('$'));
      if (operators.length === 0) {
        const { _id, ...rest } = u ?? {};
        if (_id !== undefined && doc._id !== undefined && keyOf(_id) !== keyOf(doc._id)) {
          throw new CommandError(
            `Performing an update on the path '_id' would modify the immutable field '_id'`,
            66,
            'ImmutableField',
          );
        }
        const id = doc._id ?? _id;
        return id === undefined ? { ...rest } : { _id: id, ...rest };
      }
      if (operators.length !== keys.length) {
        throw new CommandError(
          `Unknown modifier: ${keys.find((k) => !k.startsWith('$'))}`,
          9,
          'FailedToParse',
        );
      }
      for (const op of operators) {
        if (!UPDATE_OPERATORS.has(op)) throw new CommandError(`Unknown modifier: ${op}`, 9, 'FailedToParse');
      }
      const { $setOnInsert: onInsert, ...mods } = u;
      let $setOnInsert = onInsert;
      // mingo refuses any `$set` of `_id`; MongoDB allows setting it to its current value (or on insert).
      if (mods.$set && '_id' in mods.$set) {
        const { _id, ...others } = mods.$set;
        if (doc._id !== undefined && keyOf(_id) !== keyOf(doc._id)) {
          throw new CommandError(
            `Performing an update on the path '_id' would modify the immutable field '_id'`,
            66,
            'ImmutableField',
          );
        }
        mods.$set = others;
        if (doc._id === undefined) doc = { _id, ...doc };
      }
      if (isInsert && $setOnInsert && '_id' in $setOnInsert) {
        const { _id, ...others } = $setOnInsert;
        if (doc._id === undefined) doc = { _id, ...doc };
        $setOnInsert = others;
      }
      if (isInsert && $setOnInsert) {
        const updated = new Set(Object.values(mods).flatMap((m: any) => Object.keys(m ?? {})));
        const clash = Object.keys($setOnInsert).find((p) => updated.has(p));
        if (clash) {
          throw new CommandError(
            `Updating the path '${clash}' would create a conflict at '${clash}'`,
            40,
            'ConflictingUpdateOperators',
          );
        }
      }
      out = clone(doc);
      try {
        if (Object.keys(mods).length) {
          // mingo applies an update only when the document matches the condition; an upsert's new
          // document need not match its filter, so it gets none (positional `$` needs a match anyway).
          mingoUpdate(out, mods, arrayFilters ?? [], isInsert ? {} : q, {
            cloneMode: 'deep',
            queryOptions: options,
          });
        }
        if (isInsert && $setOnInsert) mingoUpdate(out, { $set: $setOnInsert }, [], {}, { cloneMode: 'deep' });
      } catch (e) {
        throw toBadValue(e);
      }
    }
    if (doc._id !== undefined && keyOf(out._id) !== keyOf(doc._id)) {
      throw new CommandError(
        `Performing an update on the path '_id' would modify the immutable field '_id'`,
        66,
        'ImmutableField',
      );
    }
    if (Object.keys(out)[0] !== '_id' && out._id !== undefined) out = { _id: out._id, ...out };
    return out;
  }

  /** The document an upsert starts from: the equality clauses of the filter (also inside `$and`). */
  private upsertSeed(q: Doc | undefined): Doc {
    const seed: Doc = {};
    const visit = (filter: Doc) => {
      for (const [k, v] of Object.entries(filter ?? {})) {
        if (k === '$and' && Array.isArray(v)) {
          v.forEach(visit);
          continue;
        }
        if (k.startsWith('$')) continue;
        let value = v;
        if (isPlainObject(v) && Object.keys(v).some((x) => x.startsWith('$'))) {
          if (!('$eq' in v)) continue;
          value = v.$eq;
        }
        if (value instanceof RegExp) continue;
        if (k === '_id') seed._id = value;
        else mingoUpdate(seed, { $set: { [k]: value } }, [], {}, { cloneMode: 'deep' });
      }
    };
    visit(q ?? {});
    return seed;
  }

  private changed(a: Doc, b: Doc): boolean {
    return Buffer.compare(BSON.serialize(a), BSON.serialize(b)) !== 0;
  }

  /** The insert an upsert makes when nothing matched. */
  private upsertInsert(ctx: Ctx, q: Doc, u: any, arrayFilters: Doc[] | undefined, options: Doc): Doc {
    const seed = this.upsertSeed(q);
    const doc = this.applyUpdate(seed, u, q, arrayFilters, true, options);
    const id = seed._id ?? doc._id ?? new ObjectId();
    const { _id: _ignored, ...rest } = doc;
    return this.insertDoc(this.ensureColl(ctx.db, ctx.coll), { _id: id, ...rest });
  }

  // ------------------------------------------------------------------------------------------------
  // Cursors

  private takeBatch(cur: ServerCursor, maxDocs: number): Doc[] {
    const batch: Doc[] = [];
    let bytes = 0;
    while (cur.pos < cur.docs.length && batch.length < maxDocs) {
      const d = cur.docs[cur.pos]!;
      const size = BSON.calculateObjectSize(d);
      if (batch.length > 0 && bytes + size > BATCH_BYTES) break;
      batch.push(d);
      bytes += size;
      cur.pos++;
    }
    return batch;
  }

  private cursorReply(ns: string, docs: Doc[], batchSize?: number, singleBatch = false): Doc {
    const cur: ServerCursor = { ns, docs, pos: 0, touched: Date.now() };
    const max = typeof batchSize === 'number' && batchSize >= 0 ? batchSize : 101;
    const firstBatch = this.takeBatch(cur, max);
    let id = 0n;
    if (!singleBatch && cur.pos < docs.length) {
      id = this.nextCursorId++;
      this.cursors.set(id, cur);
    }
    return { cursor: { firstBatch, id: Long.fromBigInt(id), ns }, ok: 1 };
  }

  // ------------------------------------------------------------------------------------------------
  // Commands

  private commandTable(): Record<string, (cmd: Doc, ctx: Ctx) => Doc> {
    const ok = () => ({ ok: 1 });
    const hello = (cmd: Doc, ctx: Ctx) => ({
      helloOk: true,
      ismaster: true,
      isWritablePrimary: true,
      maxBsonObjectSize: MAX_BSON_SIZE,
      maxMessageSizeBytes: 48_000_000,
      maxWriteBatchSize: 100_000,
      localTime: new Date(),
      logicalSessionTimeoutMinutes: 30,
      connectionId: ctx.connectionId,
      minWireVersion: 0,
      maxWireVersion: 21,
      readOnly: false,
      ...(cmd.saslSupportedMechs ? { saslSupportedMechs: [] } : {}),
      ok: 1,
    });
    return {
      hello,
      ismaster: hello,
      ping: ok,
      endsessions: (cmd) => {
        for (const s of cmd.endSessions ?? []) {
          const key = keyOf(s?.id ?? s);
          const open = this.txns.get(key);
          if (open) {
            this.rollback(open.undo);
            this.txns.delete(key);
          }
        }
        return { ok: 1 };
      },
      killallsessions: ok,
      refreshsessions: ok,
      buildinfo: () => ({
        version: '7.0.0',
        gitVersion: 'minimongo',
        versionArray: [7, 0, 0, 0],
        bits: 64,
        maxBsonObjectSize: MAX_BSON_SIZE,
        storageEngines: ['minimongo'],
        ok: 1,
      }),
      hostinfo: () => ({
        system: { hostname: this.host, numCores: 1 },
        os: { type: process.platform },
        ok: 1,
      }),
      serverstatus: () => ({
        host: `${this.host}:${this.port}`,
        version: '7.0.0',
        process: 'minimongo',
        uptime: Math.floor((Date.now() - this.startedAt) / 1000),
        localTime: new Date(),
        connections: { current: this.sockets.size },
        ok: 1,
      }),
      getparameter: (cmd) => {
        const out: Doc = { ok: 1 };
        if (cmd.ttlMonitorSleepSecs !== undefined || cmd.getParameter === '*')
          out.ttlMonitorSleepSecs = this.ttlMonitorSeconds;
        if (cmd.featureCompatibilityVersion !== undefined || cmd.getParameter === '*') {
          out.featureCompatibilityVersion = { version: '7.0' };
        }
        return out;
      },
      setparameter: (cmd) => {
        const was = this.ttlMonitorSeconds;
        if (typeof cmd.ttlMonitorSleepSecs === 'number') {
          this.ttlMonitorSeconds = cmd.ttlMonitorSleepSecs;
          this.restartTimer();
        }
        return { was, ok: 1 };
      },
      getcmdlineopts: () => ({ argv: ['minimongo'], parsed: {}, ok: 1 }),
      connectionstatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
      whatsmyuri: () => ({ you: '127.0.0.1:0', ok: 1 }),
      listcommands: () => ({
        commands: Object.fromEntries(Object.keys(this.handlers).map((k) => [k, { help: '' }])),
        ok: 1,
      }),
      replsetgetstatus: () => {
        throw new CommandError('not running with --replSet', 76, 'NoReplicationEnabled');
      },
      saslstart: () => {
        throw new CommandError(
          'Authentication is not supported by the in-process test server',
          18,
          'AuthenticationFailed',
        );
      },
      committransaction: (cmd) => {
        const key = this.sessionKey(cmd);
        const open = this.txns.get(key);
        if (open && open.txnNumber === String(cmd.txnNumber)) this.txns.delete(key);
        return { ok: 1 };
      },
      aborttransaction: (cmd) => {
        const key = this.sessionKey(cmd);
        const open = this.txns.get(key);
        if (!open || open.txnNumber !== String(cmd.txnNumber)) {
          throw new CommandError('No transaction started', 251, 'NoSuchTransaction');
        }
        this.rollback(open.undo);
        this.txns.delete(key);
        return { ok: 1 };
      },
      listdatabases: (cmd) => {
        const all = [...this.dbs.entries()].map(([name, colls]) => ({
          name,
          sizeOnDisk: [...colls.values()].reduce((n, c) => n + c.docs.size * 256, 0),
          empty: colls.size === 0,
        }));
        const filtered = cmd.filter ? (new Aggregator([{ $match: cmd.filter }]).run(all) as Doc[]) : all;
        if (cmd.nameOnly) return { databases: filtered.map((d) => ({ name: d.name })), ok: 1 };
        return { databases: filtered, totalSize: filtered.reduce((n, d) => n + d.sizeOnDisk, 0), ok: 1 };
      },
      dropdatabase: (_cmd, ctx) => {
        if (this.undo)
          for (const name of [...(this.dbs.get(ctx.db)?.keys() ?? [])]) this.dropCollection(ctx.db, name);
        this.dbs.delete(ctx.db);
        return { dropped: ctx.db, ok: 1 };
      },
      dbstats: (_cmd, ctx) => {
        const colls = [...(this.dbs.get(ctx.db)?.values() ?? [])];
        const objects = colls.reduce((n, c) => n + c.docs.size, 0);
        return {
          db: ctx.db,
          collections: colls.length,
          views: 0,
          objects,
          avgObjSize: 0,
          dataSize: 0,
          storageSize: 0,
          indexes: colls.reduce((n, c) => n + c.indexes.length, 0),
          indexSize: 0,
          ok: 1,
        };
      },
      create: (cmd, ctx) => {
        if (this.getColl(ctx.db, ctx.coll)) {
          throw new CommandError(`Collection ${ctx.ns} already exists.`, 48, 'NamespaceExists');
        }
        if (cmd.viewOn)
          throw new CommandError(
            'views are not supported by the in-process test server',
            115,
            'CommandNotSupported',
          );
        const options: Doc = {};
        for (const [k, v] of Object.entries(cmd)) {
          if (
            k === 'create' ||
            k.startsWith('$') ||
            ['lsid', 'txnNumber', 'autocommit', 'startTransaction', 'writeConcern'].includes(k)
          )
            continue;
          options[k] = v;
        }
        this.ensureColl(ctx.db, ctx.coll, options);
        return { ok: 1 };
      },
      drop: (_cmd, ctx) => {
        const c = this.getColl(ctx.db, ctx.coll);
        if (!c) throw new CommandError('ns not found', 26, 'NamespaceNotFound');
        const nIndexesWas = c.indexes.length;
        this.dropCollection(ctx.db, ctx.coll);
        return { nIndexesWas, ns: ctx.ns, ok: 1 };
      },
      renamecollection: (cmd) => {
        const [fromDb, ...fromRest] = String(cmd.renameCollection).split('.');
        const [toDb, ...toRest] = String(cmd.to).split('.');
        const fromName = fromRest.join('.');
        const toName = toRest.join('.');
        const source = this.getColl(fromDb!, fromName);
        if (!source) throw new CommandError('source namespace does not exist', 26, 'NamespaceNotFound');
        if (this.getColl(toDb!, toName)) {
          if (!cmd.dropTarget) throw new CommandError('target namespace exists', 48, 'NamespaceExists');
          this.dropCollection(toDb!, toName);
        }
        this.dbs.get(fromDb!)!.delete(fromName);
        source.db = toDb!;
        source.name = toName;
        this.database(toDb!).set(toName, source);
        return { ok: 1 };
      },
      collmod: (cmd, ctx) => {
        const c = this.getColl(ctx.db, ctx.coll);
        if (!c) throw new CommandError(`ns does not exist: ${ctx.ns}`, 26, 'NamespaceNotFound');
        const reply: Doc = { ok: 1 };
        for (const k of [
          'validator',
          'validationLevel',
          'validationAction',
          'expireAfterSeconds',
          'changeStreamPreAndPostImages',
        ]) {
          if (cmd[k] !== undefined) c.options[k] = cmd[k];
        }
        if (cmd.index) {
          const want = cmd.index;
          const ix = c.indexes.find((i) =>
            want.name ? i.spec.name === want.name : keyOf(i.spec.key) === keyOf(want.keyPattern),
          );
          if (!ix)
            throw new CommandError(
              `cannot find index ${want.name ?? JSON.stringify(want.keyPattern)}`,
              27,
              'IndexNotFound',
            );
          if (want.expireAfterSeconds !== undefined) {
            reply.expireAfterSeconds_old = ix.spec.expireAfterSeconds;
            reply.expireAfterSeconds_new = want.expireAfterSeconds;
            ix.spec.expireAfterSeconds = want.expireAfterSeconds;
          }
          if (want.hidden !== undefined) {
            reply.hidden_old = !!ix.spec.hidden;
            reply.hidden_new = !!want.hidden;
            if (want.hidden) ix.spec.hidden = true;
            else delete ix.spec.hidden;
          }
          if (want.prepareUnique !== undefined) ix.spec.prepareUnique = !!want.prepareUnique;
          if (want.unique === true && !ix.spec.unique) {
            // Build the unique key map aside (E11000 leaves the index as it was), then swap it in.
            const { prepareUnique: _prepared, ...spec } = ix.spec;
            const built = this.addIndex({ ...c, indexes: [] }, { ...spec, unique: true });
            c.indexes[c.indexes.indexOf(ix)] = built;
            reply.unique_new = true;
          }
        }
        return reply;
      },
      collstats: (_cmd, ctx) => {
        const c = this.getColl(ctx.db, ctx.coll);
        if (!c) throw new CommandError(`ns does not exist: ${ctx.ns}`, 26, 'NamespaceNotFound');
        return { ns: ctx.ns, count: c.docs.size, size: 0, storageSize: 0, nindexes: c.indexes.length, ok: 1 };
      },
      validate: (_cmd, ctx) => {
        const c = this.getColl(ctx.db, ctx.coll);
        if (!c) throw new CommandError(`ns does not exist: ${ctx.ns}`, 26, 'NamespaceNotFound');
        return {
          ns: ctx.ns,
          nrecords: c.docs.size,
          nIndexes: c.indexes.length,
          valid: true,
          errors: [],
          ok: 1,
        };
      },
      listcollections: (cmd, ctx) => {
        const items = [...(this.dbs.get(ctx.db)?.values() ?? [])].map((c) =>
          cmd.nameOnly
            ? { name: c.name, type: 'collection' }
            : {
                name: c.name,
                type: 'collection',
                options: { ...c.options },
                info: { readOnly: false, uuid: c.uuid },
                idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
              },
        );
        const matched =
          cmd.filter && Object.keys(cmd.filter).length
            ? (new Aggregator([{ $match: cmd.filter }]).run(items) as Doc[])
            : items;
        return this.cursorReply(`${ctx.db}.$cmd.listCollections`, matched, cmd.cursor?.batchSize);
      },
      createindexes: (cmd, ctx) => {
        const existed = !!this.getColl(ctx.db, ctx.coll);
        const c = this.ensureColl(ctx.db, ctx.coll);
        const before = c.indexes.length;
        for (const raw of (cmd.indexes ?? []) as IndexSpec[]) {
          const { ns: _ns, background: _bg, key, name, ...rest } = raw;
          const spec: IndexSpec = { v: 2, key, name, ...rest };
          if (!spec.key || !Object.keys(spec.key).length)
            throw new CommandError('index key pattern is empty', 67, 'CannotCreateIndex');
          if (!spec.name)
            spec.name = Object.entries(spec.key)
              .map(([k, v]) => `${k}_${v}`)
              .join('_');
          const sameName = c.indexes.find((i) => i.spec.name === spec.name);
          const sameKey = c.indexes.find(
            (i) => keyOf(i.spec.key) === keyOf(spec.key) && keyOf(i.spec.collation) === keyOf(spec.collation),
          );
          if (sameName) {
            if (keyOf(sameName.spec.key) !== keyOf(spec.key)) {
              throw new CommandError(
                `An existing index has the same name as the requested index: ${spec.name}`,
                86,
                'IndexKeySpecsConflict',
              );
            }
            if (!sameIndexOptions(sameName.spec, spec)) {
              throw new CommandError(
                `An equivalent index already exists with different options: ${spec.name}`,
                85,
                'IndexOptionsConflict',
              );
            }
            continue;
          }
          if (
            sameKey &&
            keyOf(sameKey.spec.partialFilterExpression) === keyOf(spec.partialFilterExpression)
          ) {
            if (sameIndexOptions(sameKey.spec, spec)) {
              throw new CommandError(
                `Index already exists with a different name: ${sameKey.spec.name}`,
                85,
                'IndexOptionsConflict',
              );
            }
            throw new CommandError(
              `An equivalent index already exists with a different name and options: ${sameKey.spec.name}`,
              85,
              'IndexOptionsConflict',
            );
          }
          this.addIndex(c, spec);
        }
        const reply: Doc = {
          numIndexesBefore: before,
          numIndexesAfter: c.indexes.length,
          createdCollectionAutomatically: !existed,
          ok: 1,
        };
        if (before === c.indexes.length) reply.note = 'all indexes already exist';
        return reply;
      },
      listindexes: (cmd, ctx) => {
        const c = this.getColl(ctx.db, ctx.coll);
        if (!c) throw new CommandError(`ns does not exist: ${ctx.ns}`, 26, 'NamespaceNotFound');
        return this.cursorReply(
          ctx.ns,
          c.indexes.map((i) => ({ ...i.spec })),
          cmd.cursor?.batchSize,
        );
      },
      dropindexes: (cmd, ctx) => {
        const c = this.getColl(ctx.db, ctx.coll);
        if (!c) throw new CommandError(`ns not found ${ctx.ns}`, 26, 'NamespaceNotFound');
        const nIndexesWas = c.indexes.length;
        const wanted = cmd.index;
        if (wanted === '*') {
          c.indexes = c.indexes.filter((i) => i.spec.name === '_id_');
          return { nIndexesWas, msg: 'non-_id indexes dropped for collection', ok: 1 };
        }
        const names: string[] = [];
        for (const w of Array.isArray(wanted) ? wanted : [wanted]) {
          const ix = c.indexes.find((i) =>
            typeof w === 'string' ? i.spec.name === w : keyOf(i.spec.key) === keyOf(w),
          );
          if (!ix)
            throw new CommandError(
              `index not found with name [${typeof w === 'string' ? w : JSON.stringify(w)}]`,
              27,
              'IndexNotFound',
            );
          if (ix.spec.name === '_id_') throw new CommandError('cannot drop _id index', 72, 'InvalidOptions');
          names.push(ix.spec.name);
        }
        c.indexes = c.indexes.filter((i) => !names.includes(i.spec.name));
        return { nIndexesWas, ok: 1 };
      },
      insert: (cmd, ctx) => {
        const c = this.ensureColl(ctx.db, ctx.coll);
        const writeErrors: Doc[] = [];
        let n = 0;
        const docs = (cmd.documents ?? []) as Doc[];
        for (let i = 0; i < docs.length; i++) {
          try {
            this.insertDoc(c, docs[i]!);
            n++;
          } catch (e) {
            writeErrors.push(writeErrorOf(i, e));
            if (cmd.ordered !== false) break;
          }
        }
        return { n, ...(writeErrors.length ? { writeErrors } : {}), ok: 1 };
      },
      update: (cmd, ctx) => {
        const writeErrors: Doc[] = [];
        const upserted: Doc[] = [];
        let n = 0;
        let nModified = 0;
        const statements = (cmd.updates ?? []) as Doc[];
        for (let i = 0; i < statements.length; i++) {
          const s = statements[i]!;
          const options = mingoOptions({ ...s, let: cmd.let });
          try {
            const c = this.getColl(ctx.db, ctx.coll);
            const one = !s.multi;
            let matches = this.match(c, s.q, options, one && !s.sort ? 1 : Infinity);
            if (one && s.sort) matches = this.sortDocs(matches, s.sort, options).slice(0, 1);
            if (matches.length === 0 && s.upsert) {
              const doc = this.upsertInsert(ctx, s.q, s.u, s.arrayFilters, options);
              upserted.push({ index: i, _id: doc._id });
              n++;
              continue;
            }
            for (const d of matches) {
              const next = this.applyUpdate(d, s.u, s.q, s.arrayFilters, false, options);
              n++;
              if (this.changed(d, next)) {
                this.replaceDoc(c!, d, next);
                nModified++;
              }
            }
          } catch (e) {
            writeErrors.push(writeErrorOf(i, e));
            if (cmd.ordered !== false) break;
          }
        }
        return {
          n,
          nModified,
          ...(upserted.length ? { upserted } : {}),
          ...(writeErrors.length ? { writeErrors } : {}),
          ok: 1,
        };
      },
      delete: (cmd, ctx) => {
        const writeErrors: Doc[] = [];
        let n = 0;
        const statements = (cmd.deletes ?? []) as Doc[];
        for (let i = 0; i < statements.length; i++) {
          const s = statements[i]!;
          try {
            const c = this.getColl(ctx.db, ctx.coll);
            const options = mingoOptions({ ...s, let: cmd.let });
            const one = s.limit === 1;
            for (const d of this.match(c, s.q, options, one ? 1 : Infinity)) {
              this.removeDoc(c!, d);
              n++;
            }
          } catch (e) {
            writeErrors.push(writeErrorOf(i, e));
            if (cmd.ordered !== false) break;
          }
        }
        return { n, ...(writeErrors.length ? { writeErrors } : {}), ok: 1 };
      },
      findandmodify: (cmd, ctx) => {
        const options = mingoOptions(cmd);
        const c = this.getColl(ctx.db, ctx.coll);
        const query = cmd.query ?? {};
        let matches = this.match(c, query, options, cmd.sort ? Infinity : 1);
        if (cmd.sort) matches = this.sortDocs(matches, cmd.sort, options);
        const old = matches[0];
        // Projects the document returned, never filters it: the post-image of a guarded update (say
        // `version: 0` with `$inc: { version: 1 }`) no longer matches the query, yet mongod returns it.
        // The query is kept only where it still matches, for positional (`$`) projections.
        const shape = (d: Doc | null | undefined) => {
          if (!d) return null;
          const stillMatches = new Query(query, options).test(d);
          return this.project([d], cmd.fields, stillMatches ? query : {}, options)[0] ?? null;
        };
        if (cmd.remove) {
          if (old) this.removeDoc(c!, old);
          return { lastErrorObject: { n: old ? 1 : 0 }, value: shape(old), ok: 1 };
        }
        if (!old) {
          if (!cmd.upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
          const doc = this.upsertInsert(ctx, query, cmd.update, cmd.arrayFilters, options);
          return {
            lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
            value: cmd.new ? shape(doc) : null,
            ok: 1,
          };
        }
        const next = this.applyUpdate(old, cmd.update, query, cmd.arrayFilters, false, options);
        if (this.changed(old, next)) this.replaceDoc(c!, old, next);
        return {
          lastErrorObject: { n: 1, updatedExisting: true },
          value: shape(cmd.new ? next : old),
          ok: 1,
        };
      },
      find: (cmd, ctx) => {
        const options = mingoOptions(cmd);
        const c = this.getColl(ctx.db, ctx.coll);
        const skip = Math.max(0, Number(cmd.skip ?? 0));
        const limit = Math.abs(Number(cmd.limit ?? 0)) || Infinity;
        const hasSort = cmd.sort && Object.keys(cmd.sort).length > 0;
        let docs = this.match(c, cmd.filter, options, hasSort ? Infinity : skip + limit);
        if (hasSort) docs = this.sortDocs(docs, cmd.sort, options);
        if (skip || limit !== Infinity) docs = docs.slice(skip, skip + limit);
        docs = this.project(docs, cmd.projection, cmd.filter, options);
        const single = !!cmd.singleBatch || Number(cmd.limit ?? 0) < 0;
        return this.cursorReply(ctx.ns, docs, single ? docs.length : cmd.batchSize, single);
      },
      getmore: (cmd) => {
        const id = BigInt(cmd.getMore.toString());
        const cur = this.cursors.get(id);
        if (!cur) throw new CommandError(`cursor id ${id} not found`, 43, 'CursorNotFound');
        cur.touched = Date.now();
        const max = typeof cmd.batchSize === 'number' && cmd.batchSize > 0 ? cmd.batchSize : Infinity;
        const nextBatch = this.takeBatch(cur, max);
        let replyId = id;
        if (cur.pos >= cur.docs.length) {
          this.cursors.delete(id);
          replyId = 0n;
        }
        return { cursor: { nextBatch, id: Long.fromBigInt(replyId), ns: cur.ns }, ok: 1 };
      },
      killcursors: (cmd) => {
        const killed: any[] = [];
        const notFound: any[] = [];
        for (const id of cmd.cursors ?? []) {
          if (this.cursors.delete(BigInt(id.toString()))) killed.push(id);
          else notFound.push(id);
        }
        return {
          cursorsKilled: killed,
          cursorsNotFound: notFound,
          cursorsAlive: [],
          cursorsUnknown: [],
          ok: 1,
        };
      },
      count: (cmd, ctx) => {
        const c = this.getColl(ctx.db, ctx.coll);
        const query = cmd.query ?? {};
        let n = !c
          ? 0
          : Object.keys(query).length === 0
            ? c.docs.size
            : this.match(c, query, mingoOptions(cmd)).length;
        n = Math.max(0, n - Number(cmd.skip ?? 0));
        if (cmd.limit) n = Math.min(n, Math.abs(Number(cmd.limit)));
        return { n, ok: 1 };
      },
      distinct: (cmd, ctx) => {
        const values = new Map<string, any>();
        const parts = String(cmd.key).split('.');
        for (const d of this.match(this.getColl(ctx.db, ctx.coll), cmd.query, mingoOptions(cmd))) {
          const found: any[] = [];
          collectIndexValues(d, parts, 0, found);
          for (const v of found) {
            if (v === undefined || v === EMPTY_ARRAY) continue;
            const k = keyOf(v);
            if (!values.has(k)) values.set(k, v);
          }
        }
        return { values: [...values.values()].sort(mingoCompare), ok: 1 };
      },
      aggregate: (cmd, ctx) => this.aggregate(cmd, ctx),
    };
  }

  private aggregate(cmd: Doc, ctx: Ctx): Doc {
    const options = mingoOptions(cmd);
    let pipeline: Doc[] = Array.isArray(cmd.pipeline) ? cmd.pipeline : [];
    if (cmd.explain)
      throw new CommandError(
        'explain is not supported by the in-process test server',
        115,
        'CommandNotSupported',
      );
    const last = pipeline[pipeline.length - 1];
    const output = last && ('$out' in last || '$merge' in last) ? last : undefined;
    if (output) pipeline = pipeline.slice(0, -1);
    for (const stage of pipeline) {
      const op = Object.keys(stage)[0];
      if (op === '$out' || op === '$merge')
        throw new CommandError(`${op} can only be the final stage in the pipeline`, 40601, 'Location40601');
      if (
        op === '$collStats' ||
        op === '$indexStats' ||
        op === '$changeStream' ||
        op === '$currentOp' ||
        op === '$search'
      ) {
        throw new CommandError(
          `${op} is not supported by the in-process test server`,
          115,
          'CommandNotSupported',
        );
      }
    }
    pipeline = rewriteCount(pipeline);
    let source: Doc[] = [];
    let rest = pipeline;
    if (ctx.coll) {
      const c = this.getColl(ctx.db, ctx.coll);
      if (pipeline[0] && '$match' in pipeline[0]) {
        source = this.match(c, pipeline[0].$match, options);
        rest = pipeline.slice(1);
      } else {
        source = c ? [...c.docs.values()] : [];
      }
    }
    if (rest.some((stage) => !NON_MUTATING_STAGES.has(Object.keys(stage)[0]!))) source = source.map(clone);
    const resolved = new Map<string, Doc[]>();
    const collectionResolver = (name: string) => {
      let docs = resolved.get(name);
      if (!docs) {
        docs = [...(this.getColl(ctx.db, name)?.docs.values() ?? [])].map(clone);
        resolved.set(name, docs);
      }
      return docs;
    };
    const ns = ctx.coll ? ctx.ns : `${ctx.db}.$cmd.aggregate`;
    let docs: Doc[];
    try {
      docs = rest.length
        ? (new Aggregator(rest, { ...options, collectionResolver }).run(source) as Doc[])
        : source;
    } catch (e) {
      throw toBadValue(e);
    }
    if (output) {
      this.writeAggregateOutput(ctx, output, docs, options);
      return this.cursorReply(ns, []);
    }
    return this.cursorReply(ns, docs, cmd.cursor?.batchSize);
  }

  private writeAggregateOutput(ctx: Ctx, stage: Doc, docs: Doc[], options: Doc) {
    const target = (spec: any): [string, string] =>
      typeof spec === 'string' ? [ctx.db, spec] : [spec?.db ?? ctx.db, spec?.coll ?? String(spec)];
    if ('$out' in stage) {
      const [db, name] = target(stage.$out);
      const c = this.ensureColl(db, name);
      for (const d of [...c.docs.values()]) this.removeDoc(c, d);
      for (const d of docs) this.insertDoc(c, d);
      return;
    }
    const spec = typeof stage.$merge === 'string' ? { into: stage.$merge } : stage.$merge;
    const [db, name] = target(spec.into);
    const c = this.ensureColl(db, name);
    const on: string[] = spec.on === undefined ? ['_id'] : Array.isArray(spec.on) ? spec.on : [spec.on];
    const whenMatched = spec.whenMatched ?? 'merge';
    const whenNotMatched = spec.whenNotMatched ?? 'insert';
    if (Array.isArray(whenMatched))
      throw new CommandError(
        '$merge with a pipeline is not supported by the in-process test server',
        115,
        'CommandNotSupported',
      );
    for (const d of docs) {
      const filter: Doc = {};
      for (const f of on) filter[f] = d[f] ?? null;
      const existing = this.match(c, filter, options, 1)[0];
      if (!existing) {
        if (whenNotMatched === 'insert') this.insertDoc(c, d);
        else if (whenNotMatched === 'fail')
          throw new CommandError(
            '$merge could not find a matching document',
            13113,
            'MergeStageNoMatchingDocument',
          );
        continue;
      }
      if (whenMatched === 'keepExisting') continue;
      if (whenMatched === 'fail')
        throw this.duplicate(`${db}.${name}`, { name: '_id_', key: { _id: 1 } }, [existing._id]);
      const { _id: _ignored, ...fields } = d;
      const next = whenMatched === 'replace' ? { _id: existing._id, ...fields } : { ...existing, ...fields };
      this.replaceDoc(c, existing, next);
    }
  }
}

/**
 * `$count` as `$group` + `$project`: MongoDB's `$count` of no documents outputs no document, mingo's
 * outputs `{ n: 0 }`. Applied inside `$facet`, `$lookup` and `$unionWith` pipelines too.
 */
function rewriteCount(pipeline: Doc[]): Doc[] {
  return pipeline.flatMap((stage): Doc[] => {
    const op = Object.keys(stage)[0];
    const arg = stage[op!];
    if (op === '$count' && typeof arg === 'string') {
      return [{ $group: { _id: null, [arg]: { $sum: 1 } } }, { $project: { _id: 0 } }];
    }
    if (op === '$facet' && isPlainObject(arg)) {
      return [
        {
          $facet: Object.fromEntries(
            Object.entries(arg).map(([k, p]) => [k, Array.isArray(p) ? rewriteCount(p) : p]),
          ),
        },
      ];
    }
    if ((op === '$lookup' || op === '$unionWith') && isPlainObject(arg) && Array.isArray(arg.pipeline)) {
      return [{ [op]: { ...arg, pipeline: rewriteCount(arg.pipeline) } }];
    }
    return [stage];
  });
}

function sameIndexOptions(a: IndexSpec, b: IndexSpec): boolean {
  for (const k of ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'collation']) {
    const x = k === 'unique' || k === 'sparse' ? !!a[k] : a[k];
    const y = k === 'unique' || k === 'sparse' ? !!b[k] : b[k];
    if (keyOf(x) !== keyOf(y)) return false;
  }
  return true;
}

function randomUuid(): Buffer {
  return Buffer.from(globalThis.crypto.randomUUID().replace(/-/g, ''), 'hex');
}
