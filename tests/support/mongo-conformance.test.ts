// Conformance tests of the MongoDB the test run uses (whatever tests/support/mongo.ts picked: MONGODB_URI,
// mongodb-memory-server or the in-process wire-protocol test server). They assert MongoDB's semantics,
// never the test server's quirks, so they must pass unchanged against a real mongod.
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MiniMongo } from './miniMongo.ts';
import { connectTestDb, dropAndClose, uniqueDbName } from './mongo.ts';

const { Schema } = mongoose;
const kind = inject('mongoKind');

let conn: mongoose.Connection;
beforeAll(async () => {
  conn = await connectTestDb('conformance');
});
afterAll(async () => {
  if (conn) await dropAndClose(conn);
});

/** The error a promise rejects with; fails when it resolves. */
async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

function rawDb() {
  return conn.db!;
}

describe('mongoose smoke checks (ported from the wire-protocol sketch)', () => {
  const authorSchema = new Schema(
    {
      name: { type: String, required: true },
      email: { type: String, unique: true, required: true },
      country: String,
    },
    { timestamps: true },
  );
  const bookSchema = new Schema({
    title: String,
    author: { type: Schema.Types.ObjectId, ref: 'Author' },
    price: Number,
    tags: [String],
    sku: { type: String, index: { unique: true, sparse: true } },
    publishedAt: Date,
  });
  bookSchema.index({ author: 1, price: -1 });
  const counterSchema = new Schema({ key: { type: String, unique: true }, n: Number });

  let Author: mongoose.Model<any>;
  let Book: mongoose.Model<any>;
  let Counter: mongoose.Model<any>;
  let a1: any;
  let a2: any;

  beforeAll(async () => {
    Author = conn.model('Author', authorSchema);
    Book = conn.model('Book', bookSchema);
    Counter = conn.model('Counter', counterSchema);
  });

  it('connects', () => {
    expect(conn.readyState).toBe(1);
  });

  it('drops the database and builds indexes (init, syncIndexes)', async () => {
    await conn.dropDatabase();
    await Author.init();
    await Book.init();
    await Counter.init();
    await Author.syncIndexes();
    await Book.syncIndexes();
  });

  it('lists indexes', async () => {
    const names = (await Book.listIndexes()).map((i: any) => i.name);
    expect(names).toEqual(expect.arrayContaining(['_id_', 'sku_1', 'author_1_price_-1']));
    const sku = (await Book.listIndexes()).find((i: any) => i.name === 'sku_1');
    expect(sku).toMatchObject({ key: { sku: 1 }, unique: true, sparse: true });
  });

  it('creates documents with timestamps', async () => {
    a1 = await Author.create({ name: 'Ann', email: 'ann@x.io', country: 'DE' });
    a2 = await Author.create({ name: 'Bob', email: 'bob@x.io', country: 'FR' });
    expect(a1.createdAt).toBeInstanceOf(Date);
    expect(a1._id).toBeInstanceOf(mongoose.Types.ObjectId);
  });

  it('rejects a duplicate on a unique index with E11000, keyPattern and keyValue', async () => {
    const e = await rejection(Author.create({ name: 'Ann2', email: 'ann@x.io' }));
    expect(e.code).toBe(11000);
    expect(e.keyPattern).toEqual({ email: 1 });
    expect(e.keyValue).toEqual({ email: 'ann@x.io' });
    expect(e.message).toMatch(/E11000 duplicate key error/);
    expect(e.message).toMatch(/email_1/);
  });

  it('sparse unique index allows many documents without the field', async () => {
    await Book.create({ title: 'nosku1', price: 1, author: a2._id });
    await Book.create({ title: 'nosku2', price: 2, author: a2._id });
  });

  it('insertMany of 250', async () => {
    const docs = [];
    for (let i = 0; i < 250; i++) {
      docs.push({
        title: 'B' + i,
        author: i % 2 ? a1._id : a2._id,
        price: i % 10,
        tags: ['t' + (i % 3)],
        sku: 'S' + i,
        publishedAt: new Date(2020, 0, 1 + i),
      });
    }
    expect(await Book.insertMany(docs)).toHaveLength(250);
  });

  it('find with sort, skip and limit', async () => {
    const r = await Book.find({ price: { $gte: 5 } })
      .sort({ price: -1, title: 1 })
      .skip(2)
      .limit(5)
      .lean();
    expect(r.map((x: any) => x.price)).toEqual([9, 9, 9, 9, 9]);
    const titles = (await Book.find({ price: 9 }).sort({ title: 1 }).lean()).map((x: any) => x.title);
    expect(r.map((x: any) => x.title)).toEqual(titles.slice(2, 7));
  });

  it('find with a small batch size (getMore)', async () => {
    expect(await Book.find({}).batchSize(20).lean()).toHaveLength(252);
  });

  it('iterates a cursor', async () => {
    let n = 0;
    for await (const _doc of Book.find({ price: 3 }).cursor({ batchSize: 7 })) n++;
    expect(n).toBe(25);
  });

  it('findById and Date round trip', async () => {
    const b = await Book.findOne({ sku: 'S5' });
    const b2 = await Book.findById(b._id);
    expect(b2.publishedAt).toBeInstanceOf(Date);
    expect(b2.publishedAt.getTime()).toBe(new Date(2020, 0, 6).getTime());
  });

  it('countDocuments, estimatedDocumentCount and distinct', async () => {
    expect(await Book.countDocuments({ tags: 't1' })).toBe(83);
    expect(await Book.estimatedDocumentCount()).toBe(252);
    expect((await Book.distinct('price')).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('populate', async () => {
    const b = await Book.findOne({ sku: 'S1' }).populate('author');
    expect(b.author.name).toBe('Ann');
  });

  it('aggregate $match/$group($avg,$sum,$push)/$sort', async () => {
    const r = await Book.aggregate([
      { $match: { sku: { $exists: true } } },
      {
        $group: {
          _id: '$author',
          avg: { $avg: '$price' },
          total: { $sum: '$price' },
          n: { $sum: 1 },
          titles: { $push: '$title' },
        },
      },
      { $sort: { total: -1 } },
    ]);
    expect(r).toHaveLength(2);
    expect(r[0].n).toBe(125);
    expect(r[0].titles).toHaveLength(125);
    expect(r[0].total).toBeGreaterThanOrEqual(r[1].total);
    expect(typeof r[0].avg).toBe('number');
  });

  it('aggregate $lookup/$project/$sort', async () => {
    const r = await Author.aggregate([
      { $lookup: { from: 'books', localField: '_id', foreignField: 'author', as: 'books' } },
      { $project: { name: 1, nBooks: { $size: '$books' }, maxPrice: { $max: '$books.price' } } },
      { $sort: { name: 1 } },
    ]);
    expect(r.map((x: any) => [x.name, x.nBooks, x.maxPrice])).toEqual([
      ['Ann', 125, 9],
      ['Bob', 127, 8],
    ]);
  });

  it('aggregate $facet/$count/$addFields', async () => {
    const r = await Book.aggregate([
      { $match: { price: { $lt: 3 } } },
      { $addFields: { p2: { $multiply: ['$price', 2] } } },
      { $facet: { c: [{ $count: 'n' }], top: [{ $sort: { p2: -1 } }, { $limit: 1 }] } },
    ]);
    expect(r[0].c).toEqual([{ n: 77 }]);
    expect(r[0].top[0].p2).toBe(4);
  });

  it('aggregate cursor with getMore', async () => {
    let n = 0;
    for await (const _doc of Book.aggregate([{ $match: {} }, { $project: { title: 1 } }]).cursor({
      batchSize: 10,
    }))
      n++;
    expect(n).toBe(252);
  });

  it('findOneAndUpdate with upsert inserts, then updates, then returns the old document', async () => {
    const r1 = await Counter.findOneAndUpdate(
      { key: 'c1' },
      { $inc: { n: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(r1.toObject()).toMatchObject({ key: 'c1', n: 1 });
    const r2 = await Counter.findOneAndUpdate(
      { key: 'c1' },
      { $inc: { n: 5 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(r2.n).toBe(6);
    const r3 = await Counter.findOneAndUpdate(
      { key: 'c1' },
      { $set: { n: 100 } },
      { returnDocument: 'before' },
    );
    expect(r3.n).toBe(6);
  });

  it('findOneAndUpdate includeResultMetadata reports the upsert', async () => {
    const r: any = await Counter.findOneAndUpdate(
      { key: 'c9' },
      { $setOnInsert: { n: 9 } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(r.lastErrorObject.updatedExisting).toBe(false);
    expect(r.lastErrorObject.upserted).toBeDefined();
    expect(r.value.n).toBe(9);
  });

  it('updateOne/updateMany with $set, $push, $pull, $addToSet', async () => {
    const u1 = await Book.updateMany({ price: 0 }, { $push: { tags: 'cheap' } });
    const u2 = await Book.updateOne({ sku: 'S0' }, { $pull: { tags: 't0' } });
    await Book.updateOne({ sku: 'S0' }, { $addToSet: { tags: 'x' } });
    await Book.updateOne({ sku: 'S0' }, { $addToSet: { tags: 'x' } });
    const b = await Book.findOne({ sku: 'S0' }).lean<any>();
    expect([u1.matchedCount, u1.modifiedCount, u2.modifiedCount]).toEqual([25, 25, 1]);
    expect(b.tags).toEqual(['cheap', 'x']);
  });

  it('rejects two operators on one path (code 40)', async () => {
    const e = await rejection(
      Book.updateOne({ sku: 'S0' }, { $pull: { tags: 'x' }, $addToSet: { tags: 'y' } }),
    );
    expect(e.code).toBe(40);
  });

  it('positional $ and arrayFilters', async () => {
    await Book.updateOne({ sku: 'S3', tags: 't0' }, { $set: { 'tags.$': 'T0' } });
    await Book.updateOne({ sku: 'S6' }, { $set: { 'tags.$[el]': 'Z' } }, { arrayFilters: [{ el: 't0' }] });
    expect((await Book.findOne({ sku: 'S3' }).lean<any>()).tags[0]).toBe('T0');
    expect((await Book.findOne({ sku: 'S6' }).lean<any>()).tags[0]).toBe('Z');
  });

  it('doc.save() after a change', async () => {
    const b = await Book.findOne({ sku: 'S7' });
    b.price = 77;
    await b.save();
    expect((await Book.findOne({ sku: 'S7' }).lean<any>()).price).toBe(77);
  });

  it('bulkWrite with every kind of operation', async () => {
    const r = await Counter.bulkWrite([
      { insertOne: { document: { key: 'b1', n: 1 } } },
      { updateOne: { filter: { key: 'b1' }, update: { $inc: { n: 10 } } } },
      { updateOne: { filter: { key: 'b2' }, update: { $set: { n: 2 } }, upsert: true } },
      { updateMany: { filter: { n: { $gte: 0 } }, update: { $inc: { n: 1 } } } },
      { replaceOne: { filter: { key: 'c9' }, replacement: { key: 'c9', n: 99 } } },
      { deleteOne: { filter: { key: 'c1' } } },
    ]);
    const docs = await Counter.find().sort({ key: 1 }).lean();
    expect(docs.map((d: any) => `${d.key}:${d.n}`).join(',')).toBe('b1:12,b2:3,c9:99');
    expect([r.insertedCount, r.upsertedCount, r.deletedCount]).toEqual([1, 1, 1]);
  });

  it('bulkWrite rejects a duplicate with E11000', async () => {
    const e = await rejection(Counter.bulkWrite([{ insertOne: { document: { key: 'b1', n: 0 } } }]));
    expect(e.code).toBe(11000);
    expect(e.writeErrors[0].code).toBe(11000);
  });

  it('deleteMany/deleteOne', async () => {
    const r = await Book.deleteMany({ price: 9 });
    const r2 = await Book.deleteOne({ sku: 'S0' });
    expect([r.deletedCount, r2.deletedCount]).toEqual([25, 1]);
  });

  it('an update that breaks a unique index fails with E11000 and changes nothing', async () => {
    const e = await rejection(Author.updateOne({ email: 'bob@x.io' }, { $set: { email: 'ann@x.io' } }));
    expect(e.code).toBe(11000);
    expect(e.keyValue).toEqual({ email: 'ann@x.io' });
    expect(await Author.countDocuments({ email: 'bob@x.io' })).toBe(1);
  });

  it('string _id', async () => {
    const Tag = conn.model('Tag', new Schema({ _id: String, label: String }));
    await Tag.create({ _id: 'abc', label: 'A' });
    await Tag.create({ _id: '0123456789abcdef01234567', label: 'hexlike' });
    expect((await Tag.findById('abc').lean<any>()).label).toBe('A');
    const b = await Tag.findById('0123456789abcdef01234567').lean<any>();
    expect(typeof b._id).toBe('string');
    await Tag.updateOne({ _id: 'abc' }, { $set: { label: 'AA' } });
    expect((await Tag.findById('abc').lean<any>()).label).toBe('AA');
    const e = await rejection(Tag.create({ _id: 'abc' }));
    expect(e.code).toBe(11000);
    expect(e.keyPattern).toEqual({ _id: 1 });
  });

  it('partial unique index', async () => {
    const schema = new Schema({ u: String, active: Boolean });
    schema.index({ u: 1 }, { unique: true, partialFilterExpression: { active: true } });
    const P = conn.model('P', schema);
    await P.init();
    await P.create({ u: 'x', active: false });
    await P.create({ u: 'x', active: false });
    await P.create({ u: 'x', active: true });
    const e = await rejection(P.create({ u: 'x', active: true }));
    expect(e.code).toBe(11000);
  });

  it('mongoose validation errors stay mongoose-side', async () => {
    const e = await rejection(Author.create({ email: 'z@x.io' }));
    expect(e.name).toBe('ValidationError');
  });

  it('transaction commit', async () => {
    const s = await conn.startSession();
    try {
      await s.withTransaction(async () => {
        await Counter.create([{ key: 't1', n: 1 }], { session: s });
        await Counter.updateOne({ key: 'b1' }, { $inc: { n: 1 } }, { session: s });
      });
    } finally {
      await s.endSession();
    }
    expect(await Counter.findOne({ key: 't1' })).not.toBeNull();
    expect((await Counter.findOne({ key: 'b1' }).lean<any>()).n).toBe(13);
  });

  it('transaction abort rolls back', async () => {
    const s = await conn.startSession();
    try {
      s.startTransaction();
      await Counter.create([{ key: 't2', n: 1 }], { session: s });
      await Counter.updateOne({ key: 'b1' }, { $set: { n: -1 } }, { session: s });
      await Counter.deleteOne({ key: 'b2' }, { session: s });
      await s.abortTransaction();
    } finally {
      await s.endSession();
    }
    expect(await Counter.findOne({ key: 't2' })).toBeNull();
    expect((await Counter.findOne({ key: 'b1' }).lean<any>()).n).toBe(13);
    expect(await Counter.findOne({ key: 'b2' })).not.toBeNull();
  });

  it('connection.transaction() helper', async () => {
    await conn.transaction(async (session) => {
      await Counter.create([{ key: 't3', n: 3 }], { session });
    });
    expect(await Counter.findOne({ key: 't3' })).not.toBeNull();
  });

  it('drops a collection', async () => {
    await conn.dropCollection('counters');
    const names = (await rawDb().listCollections().toArray()).map((c) => c.name);
    expect(names).not.toContain('counters');
    expect(names).toEqual(expect.arrayContaining(['authors', 'books']));
  });
});

describe('unique indexes', () => {
  it('compound unique index: only the full combination must be unique', async () => {
    const schema = new Schema({ contestId: String, code: String });
    schema.index({ contestId: 1, code: 1 }, { unique: true });
    const M = conn.model('UqCompound', schema);
    await M.init();
    await M.create([
      { contestId: 'a', code: '1' },
      { contestId: 'a', code: '2' },
      { contestId: 'b', code: '1' },
    ]);
    const e = await rejection(M.create({ contestId: 'a', code: '1' }));
    expect(e.code).toBe(11000);
    expect(e.keyPattern).toEqual({ contestId: 1, code: 1 });
    expect(e.keyValue).toEqual({ contestId: 'a', code: '1' });
    expect(await M.countDocuments()).toBe(3);
  });

  it('missing and null are the same key in a non-sparse unique index', async () => {
    const schema = new Schema({ k: String, other: String });
    schema.index({ k: 1 }, { unique: true });
    const M = conn.model('UqNull', schema);
    await M.init();
    await M.create({ other: 'first' });
    const e = await rejection(M.create({ other: 'second' }));
    expect(e.code).toBe(11000);
    expect(e.keyValue).toEqual({ k: null });
  });

  it('sparse unique index skips missing fields but indexes null', async () => {
    const schema = new Schema({ sku: { type: String, default: undefined }, title: String });
    schema.index({ sku: 1 }, { unique: true, sparse: true });
    const M = conn.model('UqSparse', schema);
    await M.init();
    await M.collection.insertMany([{ title: 'a' }, { title: 'b' }, { title: 'c', sku: null }]);
    const e = await rejection(M.collection.insertOne({ title: 'd', sku: null }));
    expect(e.code).toBe(11000);
  });

  it('partial unique index on $type: string (as the entries model uses)', async () => {
    const schema = new Schema({ token: Schema.Types.Mixed });
    schema.index({ token: 1 }, { unique: true, partialFilterExpression: { token: { $type: 'string' } } });
    const M = conn.model('UqPartialType', schema) as mongoose.Model<any>;
    await M.init();
    await M.create([{ token: null }, { token: null }, {}, { token: 'abc' }]);
    const e = await rejection(M.create({ token: 'abc' }));
    expect(e.code).toBe(11000);
    // Leaving the filter (string -> null) frees the key.
    await M.updateOne({ token: 'abc' }, { $set: { token: null } });
    await M.create({ token: 'abc' });
  });

  it('multikey unique index: one key per array element', async () => {
    const schema = new Schema({ tags: [String] });
    schema.index({ tags: 1 }, { unique: true });
    const M = conn.model('UqMultikey', schema);
    await M.init();
    await M.create({ tags: ['a', 'b', 'b'] }); // repeats within one document are fine
    await M.create({ tags: ['c'] });
    const e = await rejection(M.create({ tags: ['x', 'b'] }));
    expect(e.code).toBe(11000);
    expect(e.keyValue).toEqual({ tags: 'b' });
    const e2 = await rejection(M.updateOne({ tags: 'c' }, { $push: { tags: 'a' } }));
    expect(e2.code).toBe(11000);
    expect(await M.findOne({ tags: 'a' }).lean()).toMatchObject({ tags: ['a', 'b', 'b'] });
  });

  it('case-insensitive unique index through a collation of strength 2', async () => {
    const schema = new Schema({ username: String });
    schema.index({ username: 1 }, { unique: true, collation: { locale: 'en', strength: 2 } });
    const M = conn.model('UqCollation', schema);
    await M.init();
    await M.create({ username: 'Alice' });
    const e = await rejection(M.create({ username: 'alice' }));
    expect(e.code).toBe(11000);
    await M.create({ username: 'Bob' });
  });

  it('creating a unique index over duplicates fails with E11000 and leaves no index', async () => {
    const coll = rawDb().collection('uq_build');
    await coll.insertMany([{ e: 1 }, { e: 1 }]);
    const e = await rejection(coll.createIndex({ e: 1 }, { unique: true }));
    expect(e.code).toBe(11000);
    const names = (await coll.listIndexes().toArray()).map((i) => i.name);
    expect(names).toEqual(['_id_']);
  });

  it('the raw insert reply carries keyPattern and keyValue in writeErrors', async () => {
    const coll = rawDb().collection('uq_raw');
    await coll.createIndex({ a: 1, b: 1 }, { unique: true, name: 'a_b' });
    await coll.insertOne({ a: 1, b: 'x' });
    const reply = await rawDb().command({
      insert: 'uq_raw',
      documents: [
        { a: 2, b: 'x' },
        { a: 1, b: 'x' },
      ],
      ordered: false,
    });
    expect(reply.n).toBe(1);
    expect(reply.writeErrors).toHaveLength(1);
    expect(reply.writeErrors[0]).toMatchObject({
      index: 1,
      code: 11000,
      keyPattern: { a: 1, b: 1 },
      keyValue: { a: 1, b: 'x' },
    });
    expect(reply.writeErrors[0].errmsg).toMatch(/index: a_b dup key/);
  });

  it('bulkWrite: ordered stops at the duplicate, unordered goes on', async () => {
    const M = conn.model('UqBulk', new Schema({ key: { type: String, unique: true } }));
    await M.init();
    await M.create({ key: 'k1' });
    const ordered = await rejection(
      M.bulkWrite([
        { insertOne: { document: { key: 'k2' } } },
        { insertOne: { document: { key: 'k1' } } },
        { insertOne: { document: { key: 'k3' } } },
      ]),
    );
    expect(ordered.code).toBe(11000);
    expect(ordered.writeErrors).toHaveLength(1);
    expect(ordered.writeErrors[0].index).toBe(1);
    expect(ordered.writeErrors[0].errmsg).toMatch(/E11000/);
    expect(ordered.result.insertedCount).toBe(1);
    const unordered = await rejection(
      M.bulkWrite(
        [
          { insertOne: { document: { key: 'k4' } } },
          { insertOne: { document: { key: 'k1' } } },
          { insertOne: { document: { key: 'k5' } } },
        ],
        { ordered: false },
      ),
    );
    expect(unordered.code).toBe(11000);
    expect(unordered.result.insertedCount).toBe(2);
    expect((await M.find().sort({ key: 1 }).lean()).map((d: any) => d.key)).toEqual(['k1', 'k2', 'k4', 'k5']);
  });

  it('50 concurrent identical unique inserts leave one document and 49 E11000', async () => {
    const M = conn.model('UqRace', new Schema({ key: { type: String, unique: true }, i: Number }));
    await M.init();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => M.create({ key: 'same', i })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(49);
    expect(failed.every((r) => r.reason.code === 11000)).toBe(true);
    expect(await M.countDocuments({ key: 'same' })).toBe(1);
  });

  it('insertMany of 20,000 into a collection with a compound unique index', async () => {
    const schema = new Schema({ contestId: String, code: String, n: Number });
    schema.index({ contestId: 1, code: 1 }, { unique: true });
    schema.index({ n: 1 }, { unique: true });
    const M = conn.model('UqBig', schema);
    await M.init();
    const docs = Array.from({ length: 20_000 }, (_, i) => ({ contestId: `c${i % 20}`, code: `E${i}`, n: i }));
    const t0 = performance.now();
    await M.insertMany(docs, { lean: true });
    const ms = performance.now() - t0;
    console.log(`[mongo:${kind}] insertMany of 20,000 documents with 2 unique indexes: ${ms.toFixed(0)} ms`);
    expect(await M.estimatedDocumentCount()).toBe(20_000);
    expect(await M.findOne({ contestId: 'c7', code: 'E19987' }).lean()).toMatchObject({ n: 19_987 });
    const e = await rejection(M.create({ contestId: 'c3', code: 'E3', n: -1 }));
    expect(e.code).toBe(11000);
    const dup = await rejection(
      M.insertMany(
        [
          { contestId: 'x', code: 'y', n: 5 },
          { contestId: 'x', code: 'z', n: 20_001 },
        ],
        { ordered: false },
      ),
    );
    expect(dup.code).toBe(11000);
    expect(await M.countDocuments({ contestId: 'x' })).toBe(1);
  });
});

describe('updates and upserts', () => {
  let C: mongoose.mongo.Collection;
  beforeAll(async () => {
    C = rawDb().collection('upd');
    await C.createIndex({ key: 1 }, { unique: true });
  });

  it('$inc with $setOnInsert: inserts with both, then only increments', async () => {
    const opts = { upsert: true, returnDocument: 'after' as const };
    const first = await C.findOneAndUpdate(
      { key: 'k' },
      { $inc: { hits: 1 }, $setOnInsert: { createdBy: 'first' } },
      opts,
    );
    expect(first).toMatchObject({ key: 'k', hits: 1, createdBy: 'first' });
    const second = await C.findOneAndUpdate(
      { key: 'k' },
      { $inc: { hits: 1 }, $setOnInsert: { createdBy: 'second' } },
      opts,
    );
    expect(second).toMatchObject({ key: 'k', hits: 2, createdBy: 'first' });
  });

  it('upsert seeds the new document from equality clauses of the filter', async () => {
    const r = await C.updateOne(
      { key: 'seed', 'nested.a': 1, $and: [{ b: 2 }], c: { $gt: 5 } },
      { $set: { d: 4 } },
      { upsert: true },
    );
    expect(r.upsertedCount).toBe(1);
    const doc = await C.findOne({ _id: r.upsertedId! });
    expect(doc).toMatchObject({ key: 'seed', nested: { a: 1 }, b: 2, d: 4 });
    expect(doc).not.toHaveProperty('c');
  });

  it('upsert with a replacement document keeps only the _id of the filter', async () => {
    const r = await C.replaceOne({ key: 'repl', _id: 'r1' as any }, { key: 'repl', v: 1 }, { upsert: true });
    expect(r.upsertedId).toBe('r1');
    expect(await C.findOne({ _id: 'r1' as any })).toEqual({ _id: 'r1', key: 'repl', v: 1 });
  });

  it('upsert that collides with a unique index fails with E11000', async () => {
    const e = await rejection(C.updateOne({ key: 'k', other: 1 }, { $set: { x: 1 } }, { upsert: true }));
    expect(e.code).toBe(11000);
  });

  it('modifiedCount is 0 when nothing changes', async () => {
    await C.insertOne({ key: 'same', v: 1 });
    const r = await C.updateOne({ key: 'same' }, { $set: { v: 1 } });
    expect([r.matchedCount, r.modifiedCount]).toEqual([1, 0]);
  });

  it('$unset, $rename, $min, $max, $mul, $currentDate, $push with $each/$slice, $pop', async () => {
    await C.insertOne({ key: 'ops', a: 1, b: 2, lo: 5, hi: 5, m: 3, list: [1, 2] });
    await C.updateOne(
      { key: 'ops' },
      {
        $unset: { a: '' },
        $rename: { b: 'bee' },
        $min: { lo: 2 },
        $max: { hi: 9 },
        $mul: { m: 2 },
        $currentDate: { at: true },
        $push: { list: { $each: [3, 4, 5], $slice: -4 } } as any,
      },
    );
    await C.updateOne({ key: 'ops' }, { $pop: { list: -1 } });
    const d = await C.findOne({ key: 'ops' });
    expect(d).toMatchObject({ key: 'ops', bee: 2, lo: 2, hi: 9, m: 6, list: [3, 4, 5] });
    expect(d).not.toHaveProperty('a');
    expect(d!.at).toBeInstanceOf(Date);
  });

  it('refuses to change _id (code 66) and unknown update operators', async () => {
    await C.insertOne({ key: 'immutable' });
    const e = await rejection(C.updateOne({ key: 'immutable' }, { $set: { _id: 'other' } }));
    expect(e.code).toBe(66);
    const e2 = await rejection(C.updateOne({ key: 'immutable' }, { $frobnicate: { a: 1 } } as any));
    expect(e2).toBeInstanceOf(mongoose.mongo.MongoServerError);
  });

  it('findOneAndUpdate with sort picks the first in that order; findOneAndDelete returns the document', async () => {
    await C.insertMany([
      { key: 'q1', queue: true, prio: 2 },
      { key: 'q2', queue: true, prio: 1 },
      { key: 'q3', queue: true, prio: 3 },
    ]);
    const taken = await C.findOneAndUpdate(
      { queue: true },
      { $set: { queue: false } },
      { sort: { prio: 1 }, returnDocument: 'before' },
    );
    expect(taken!.key).toBe('q2');
    const removed = await C.findOneAndDelete(
      { queue: true },
      { sort: { prio: -1 }, projection: { key: 1, _id: 0 } },
    );
    expect(removed).toEqual({ key: 'q3' });
  });

  it('findOneAndUpdate with a projection returns the new document even when it no longer matches the filter', async () => {
    const opts = { returnDocument: 'after' as const, projection: { secret: 0 } };
    // A version guard: the filter stops matching once the update is applied.
    const up = await C.findOneAndUpdate(
      { key: 'guard', version: 0, 'keys.k': { $ne: 'a' } },
      {
        $inc: { version: 1 },
        $push: { keys: { $each: [{ k: 'a' }], $slice: -2 } } as any,
        $setOnInsert: { secret: 's' },
      },
      { ...opts, upsert: true, writeConcern: { w: 'majority' } },
    );
    expect(up).toMatchObject({ key: 'guard', version: 1, keys: [{ k: 'a' }] });
    expect(up).not.toHaveProperty('secret');
    const next = await C.findOneAndUpdate({ key: 'guard', version: 1 }, { $inc: { version: 1 } }, opts);
    expect(next).toMatchObject({ key: 'guard', version: 2 });
    expect(next).not.toHaveProperty('secret');
    const before = await C.findOneAndUpdate(
      { key: 'guard', version: 2 },
      { $set: { version: 3 } },
      { returnDocument: 'before', projection: { version: 1 } },
    );
    expect(before).toMatchObject({ version: 2 });
  });

  it('update with an aggregation pipeline', async () => {
    await C.insertOne({ key: 'pipe', a: 2, b: 3 });
    await C.updateOne({ key: 'pipe' }, [{ $set: { sum: { $add: ['$a', '$b'] } } }, { $unset: 'b' }]);
    const d = await C.findOne({ key: 'pipe' }, { projection: { _id: 0 } });
    expect(d).toEqual({ key: 'pipe', a: 2, sum: 5 });
  });

  it('accepts writeConcern and readConcern options', async () => {
    await C.insertOne({ key: 'wc' }, { writeConcern: { w: 'majority', wtimeoutMS: 5000 } });
    const found = await C.find({ key: 'wc' }, { readConcern: { level: 'majority' } }).toArray();
    expect(found).toHaveLength(1);
    const local = await C.findOne({ key: 'wc' }, { readConcern: { level: 'local' } });
    expect(local).not.toBeNull();
  });
});

describe('queries, counts and cursors', () => {
  let C: mongoose.mongo.Collection;
  beforeAll(async () => {
    C = rawDb().collection('q');
    await C.insertMany(
      Array.from({ length: 1000 }, (_, i) => ({
        _id: i as any,
        n: i,
        group: `g${i % 7}`,
        tags: i % 2 ? ['odd', `t${i % 5}`] : ['even'],
        nested: { even: i % 2 === 0, deep: { v: i % 3 } },
        items: [{ sku: `s${i % 4}`, qty: i % 10 }],
      })),
    );
  });

  it('getMore walks a cursor over 1,000 documents in batches', async () => {
    const cursor = C.find({}, { batchSize: 100 }).sort({ n: 1 });
    let expected = 0;
    for await (const d of cursor) {
      expect(d.n).toBe(expected);
      expected++;
    }
    expect(expected).toBe(1000);
  });

  it('an abandoned cursor can be closed (killCursors)', async () => {
    const cursor = C.find({}, { batchSize: 10 });
    expect(await cursor.next()).not.toBeNull();
    await cursor.close();
    expect(await C.countDocuments()).toBe(1000);
  });

  it('finds by _id, _id $in, dotted paths, $elemMatch, $regex, $exists, $or and $nin', async () => {
    expect(await C.findOne({ _id: 42 as any })).toMatchObject({ n: 42 });
    expect(
      (await C.find({ _id: { $in: [1, 2, 3, 5000] as any[] } }).toArray()).map((d) => d.n).sort(),
    ).toEqual([1, 2, 3]);
    expect(await C.countDocuments({ 'nested.deep.v': 0, 'nested.even': true })).toBe(167);
    expect(await C.countDocuments({ items: { $elemMatch: { sku: 's1', qty: { $gte: 5 } } } })).toBe(150);
    expect(await C.countDocuments({ group: { $regex: /^g[12]$/ } })).toBe(286);
    expect(await C.countDocuments({ missing: { $exists: false } })).toBe(1000);
    expect(await C.countDocuments({ $or: [{ n: { $lt: 10 } }, { n: { $gte: 995 } }] })).toBe(15);
    expect(await C.countDocuments({ tags: { $nin: ['even', 't1'] } })).toBe(400);
  });

  it('projection (inclusion, exclusion, $slice, positional)', async () => {
    expect(await C.findOne({ _id: 3 as any }, { projection: { n: 1, 'nested.deep': 1 } })).toEqual({
      _id: 3,
      n: 3,
      nested: { deep: { v: 0 } },
    });
    const excl = await C.findOne({ _id: 3 as any }, { projection: { items: 0, nested: 0, tags: 0 } });
    expect(excl).toEqual({ _id: 3, n: 3, group: 'g3' });
    expect(await C.findOne({ _id: 3 as any }, { projection: { tags: { $slice: 1 }, _id: 0, n: 1 } })).toEqual(
      { n: 3, tags: ['odd'] },
    );
    expect(await C.findOne({ _id: 3 as any, tags: 't3' }, { projection: { 'tags.$': 1 } })).toEqual({
      _id: 3,
      tags: ['t3'],
    });
  });

  it('sort on several keys with skip and limit', async () => {
    const r = await C.find({ n: { $lt: 50 } })
      .sort({ group: -1, n: 1 })
      .skip(3)
      .limit(4)
      .toArray();
    expect(r.map((d) => d.n)).toEqual([27, 34, 41, 48]);
  });

  it('countDocuments with skip/limit, estimatedDocumentCount (count command), distinct', async () => {
    expect(await C.countDocuments({ group: 'g0' })).toBe(143);
    expect(await C.countDocuments({ group: 'g0' }, { skip: 140 })).toBe(3);
    expect(await C.countDocuments({}, { limit: 10 })).toBe(10);
    expect(await C.estimatedDocumentCount()).toBe(1000);
    const raw = await rawDb().command({ count: 'q' });
    expect(raw.n).toBe(1000);
    expect((await C.distinct('tags')).sort()).toEqual(['even', 'odd', 't0', 't1', 't2', 't3', 't4']);
    expect((await C.distinct('items.sku', { n: { $lt: 3 } })).sort()).toEqual(['s0', 's1', 's2']);
    expect(await rawDb().collection('does_not_exist').estimatedDocumentCount()).toBe(0);
  });
});

describe('aggregation', () => {
  beforeAll(async () => {
    await rawDb()
      .collection('customers')
      .insertMany([
        { _id: 'c1' as any, name: 'Ann', city: 'Rome' },
        { _id: 'c2' as any, name: 'Bob', city: 'Oslo' },
        { _id: 'c3' as any, name: 'Cid', city: 'Rome' },
      ]);
    await rawDb()
      .collection('orders')
      .insertMany([
        { customer: 'c1', total: 10, items: ['a', 'b'] },
        { customer: 'c1', total: 20, items: ['b'] },
        { customer: 'c2', total: 5, items: ['c', 'a'] },
        { customer: 'c3', total: 50, items: [] },
        { customer: 'c3', total: 1, items: ['a'] },
      ]);
  });

  it('$match/$group/$sort/$project', async () => {
    const r = await rawDb()
      .collection('orders')
      .aggregate([
        { $match: { total: { $gte: 5 } } },
        { $group: { _id: '$customer', sum: { $sum: '$total' }, n: { $sum: 1 } } },
        { $sort: { sum: -1 } },
        { $project: { _id: 0, customer: '$_id', sum: 1, n: 1 } },
      ])
      .toArray();
    expect(r).toEqual([
      { sum: 50, n: 1, customer: 'c3' },
      { sum: 30, n: 2, customer: 'c1' },
      { sum: 5, n: 1, customer: 'c2' },
    ]);
  });

  it('$lookup (localField/foreignField and pipeline form) with $unwind', async () => {
    const r = await rawDb()
      .collection('customers')
      .aggregate([
        { $lookup: { from: 'orders', localField: '_id', foreignField: 'customer', as: 'orders' } },
        { $unwind: '$orders' },
        { $group: { _id: '$city', revenue: { $sum: '$orders.total' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(r).toEqual([
      { _id: 'Oslo', revenue: 5 },
      { _id: 'Rome', revenue: 81 },
    ]);
    const big = await rawDb()
      .collection('customers')
      .aggregate([
        {
          $lookup: {
            from: 'orders',
            let: { id: '$_id' },
            pipeline: [
              { $match: { $expr: { $and: [{ $eq: ['$customer', '$$id'] }, { $gte: ['$total', 10] }] } } },
              { $project: { _id: 0, total: 1 } },
            ],
            as: 'big',
          },
        },
        { $project: { big: 1 } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(big).toEqual([
      { _id: 'c1', big: [{ total: 10 }, { total: 20 }] },
      { _id: 'c2', big: [] },
      { _id: 'c3', big: [{ total: 50 }] },
    ]);
  });

  it('$unwind of arrays (empty arrays dropped unless preserved), $count, $skip, $limit', async () => {
    const orders = rawDb().collection('orders');
    expect(await orders.aggregate([{ $unwind: '$items' }, { $count: 'n' }]).toArray()).toEqual([{ n: 6 }]);
    expect(
      await orders
        .aggregate([{ $unwind: { path: '$items', preserveNullAndEmptyArrays: true } }, { $count: 'n' }])
        .toArray(),
    ).toEqual([{ n: 7 }]);
    const page = await orders
      .aggregate([{ $sort: { total: 1 } }, { $skip: 1 }, { $limit: 2 }, { $project: { _id: 0, total: 1 } }])
      .toArray();
    expect(page).toEqual([{ total: 5 }, { total: 10 }]);
    expect(await orders.aggregate([{ $match: { total: { $gt: 1000 } } }, { $count: 'n' }]).toArray()).toEqual(
      [],
    );
  });

  it('$facet with counts and pages', async () => {
    const [r] = await rawDb()
      .collection('orders')
      .aggregate([
        { $match: { total: { $gt: 1 } } },
        {
          $facet: {
            total: [{ $count: 'n' }],
            page: [{ $sort: { total: -1 } }, { $limit: 2 }, { $project: { _id: 0, total: 1 } }],
            byItem: [{ $unwind: '$items' }, { $sortByCount: '$items' }, { $sort: { count: -1, _id: 1 } }],
          },
        },
      ])
      .toArray();
    expect(r).toEqual({
      total: [{ n: 4 }],
      page: [{ total: 50 }, { total: 20 }],
      byItem: [
        { _id: 'a', count: 2 },
        { _id: 'b', count: 2 },
        { _id: 'c', count: 1 },
      ],
    });
  });

  it('does not change stored documents', async () => {
    await rawDb()
      .collection('orders')
      .aggregate([{ $addFields: { total: 0, 'meta.x': 1 } }, { $unwind: '$items' }])
      .toArray();
    expect(await rawDb().collection('orders').countDocuments({ total: 0 })).toBe(0);
    expect(
      await rawDb()
        .collection('orders')
        .countDocuments({ meta: { $exists: true } }),
    ).toBe(0);
  });

  it('$out and $merge write into collections', async () => {
    await rawDb()
      .collection('orders')
      .aggregate([{ $group: { _id: '$customer', sum: { $sum: '$total' } } }, { $out: 'order_totals' }])
      .toArray();
    expect(await rawDb().collection('order_totals').find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'c1', sum: 30 },
      { _id: 'c2', sum: 5 },
      { _id: 'c3', sum: 51 },
    ]);
    await rawDb()
      .collection('customers')
      .aggregate([
        { $project: { name: 1 } },
        { $merge: { into: 'order_totals', whenMatched: 'merge', whenNotMatched: 'discard' } },
      ])
      .toArray();
    expect(
      await rawDb()
        .collection('order_totals')
        .findOne({ _id: 'c2' as any }),
    ).toEqual({ _id: 'c2', sum: 5, name: 'Bob' });
  });
});

describe('collections and indexes', () => {
  it('TTL indexes are created and listed; collMod changes expireAfterSeconds', async () => {
    const schema = new Schema({ tokenHash: String, expiresAt: Date });
    schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    const S = conn.model('TtlSession', schema);
    await S.init();
    const ttl = (await S.listIndexes()).find((i: any) => i.name === 'expiresAt_1');
    expect(ttl).toMatchObject({ key: { expiresAt: 1 }, expireAfterSeconds: 0 });
    const r = await rawDb().command({
      collMod: S.collection.collectionName,
      index: { keyPattern: { expiresAt: 1 }, expireAfterSeconds: 3600 },
    });
    expect(r).toMatchObject({ ok: 1, expireAfterSeconds_old: 0, expireAfterSeconds_new: 3600 });
    const after = (await S.listIndexes()).find((i: any) => i.name === 'expiresAt_1');
    expect(after.expireAfterSeconds).toBe(3600);
  });

  it('collMod on a missing collection fails with NamespaceNotFound', async () => {
    const e = await rejection(rawDb().command({ collMod: 'nope_not_here', validator: {} }));
    expect(e.code).toBe(26);
  });

  it('createCollection, listCollections with a filter, rename and drop', async () => {
    await rawDb().createCollection('lc_a');
    const again = await rejection(rawDb().command({ create: 'lc_a' }));
    expect(again.code).toBe(48);
    const found = await rawDb().listCollections({ name: 'lc_a' }).toArray();
    expect(found.map((c) => c.name)).toEqual(['lc_a']);
    await rawDb().collection('lc_a').insertOne({ v: 1 });
    await rawDb().renameCollection('lc_a', 'lc_b');
    expect(await rawDb().collection('lc_b').countDocuments()).toBe(1);
    expect(await rawDb().listCollections({ name: 'lc_a' }).toArray()).toEqual([]);
    expect(await rawDb().collection('lc_b').drop()).toBe(true);
  });

  it('createIndex is idempotent; a different definition under the same name is refused; dropIndex', async () => {
    const coll = rawDb().collection('ix');
    await coll.createIndex({ a: 1 }, { name: 'a_idx' });
    await coll.createIndex({ a: 1 }, { name: 'a_idx' });
    const conflict = await rejection(coll.createIndex({ b: 1 }, { name: 'a_idx' }));
    expect(conflict.code).toBe(86);
    const options = await rejection(coll.createIndex({ a: 1 }, { name: 'a_idx', unique: true }));
    expect([85, 86]).toContain(options.code);
    await coll.createIndex({ a: 1, b: -1 });
    expect((await coll.listIndexes().toArray()).map((i) => i.name).sort()).toEqual([
      '_id_',
      'a_1_b_-1',
      'a_idx',
    ]);
    await coll.dropIndex('a_idx');
    const missing = await rejection(coll.dropIndex('a_idx'));
    expect(missing.code).toBe(27);
    await coll.dropIndexes();
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('listIndexes on a missing collection fails with NamespaceNotFound', async () => {
    const e = await rejection(rawDb().collection('nothing_here').listIndexes().toArray());
    expect(e.code).toBe(26);
  });
});

describe('GridFS (driver GridFSBucket)', () => {
  const chunkSizeBytes = 255 * 1024;
  let bucket: mongoose.mongo.GridFSBucket;
  beforeAll(() => {
    bucket = new mongoose.mongo.GridFSBucket(rawDb(), { chunkSizeBytes });
  });

  async function upload(name: string, data: Buffer, metadata?: any): Promise<mongoose.mongo.ObjectId> {
    const stream = bucket.openUploadStream(name, { metadata });
    await new Promise<void>((resolve, reject) => {
      Readable.from([data.subarray(0, 300_000), data.subarray(300_000)])
        .pipe(stream)
        .on('finish', resolve)
        .on('error', reject);
    });
    return stream.id;
  }

  async function download(stream: NodeJS.ReadableStream): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const p of stream) parts.push(p as Buffer);
    return Buffer.concat(parts);
  }

  it('round-trips a 1 MB file in 255 KB chunks, finds it and deletes it', async () => {
    const data = randomBytes(1024 * 1024);
    const id = await upload('photo.jpg', data, { kind: 'original' });
    const chunks = rawDb().collection('fs.chunks');
    expect(await chunks.countDocuments({ files_id: id })).toBe(5);
    const chunkIndex = (await chunks.listIndexes().toArray()).find(
      (i) => i.key.files_id === 1 && i.key.n === 1,
    );
    expect(chunkIndex?.unique).toBe(true);

    const [file] = await bucket.find({ _id: id }).toArray();
    expect(file).toMatchObject({
      filename: 'photo.jpg',
      length: data.length,
      chunkSize: chunkSizeBytes,
      metadata: { kind: 'original' },
    });
    expect(file!.uploadDate).toBeInstanceOf(Date);

    expect((await download(bucket.openDownloadStream(id))).equals(data)).toBe(true);
    expect((await download(bucket.openDownloadStreamByName('photo.jpg'))).equals(data)).toBe(true);
    const ranged = await download(bucket.openDownloadStream(id, { start: 261_000, end: 262_000 }));
    expect(ranged.equals(data.subarray(261_000, 262_000))).toBe(true);

    await bucket.delete(id);
    expect(await chunks.countDocuments({ files_id: id })).toBe(0);
    expect(await bucket.find({ _id: id }).toArray()).toEqual([]);
    const gone = await rejection(download(bucket.openDownloadStream(id)));
    expect(String(gone.message)).toMatch(/FileNotFound|not found/i);
  });

  it('find sorts by uploadDate and filters by metadata', async () => {
    const a = await upload('a.txt', Buffer.from('first'.repeat(100_000)), { owner: 'x' });
    await new Promise((r) => setTimeout(r, 5));
    const b = await upload('b.txt', Buffer.from('second'.repeat(100_000)), { owner: 'x' });
    const newestFirst = await bucket.find({ 'metadata.owner': 'x' }, { sort: { uploadDate: -1 } }).toArray();
    expect(newestFirst.map((f) => f._id.toHexString())).toEqual([b.toHexString(), a.toHexString()]);
    await bucket.delete(a);
    await bucket.delete(b);
  });
});

describe('equality on non-unique indexes', () => {
  let C: mongoose.mongo.Collection;
  /** The documents' `n` found by `filter`, and those a predicate over every document picks, both sorted. */
  async function same(filter: Record<string, unknown>, pick: (d: any) => boolean) {
    const found = (await C.find(filter).toArray()).map((d) => d.n).sort((a, b) => a - b);
    const all = await C.find({}).toArray();
    const expected = all
      .filter(pick)
      .map((d) => d.n)
      .sort((a, b) => a - b);
    expect(found).toEqual(expected);
    return found;
  }
  const keys = (d: any) => (d.applied ?? []).map((a: any) => a.key);

  beforeAll(async () => {
    C = rawDb().collection('nonunique');
    await C.createIndex({ contestId: 1, judgeId: 1, 'applied.key': 1 });
    await C.createIndex({ group: -1 });
    await C.insertMany(
      Array.from({ length: 300 }, (_, i) => ({
        n: i,
        contestId: `c${i % 3}`,
        judgeId: i % 10,
        applied: i % 4 ? [{ key: `k${i}` }, { key: `k${i + 1}` }] : [],
        group: `g${i % 5}`,
      })),
    );
  });

  it('finds what a scan finds, on compound, multikey and single-field indexes', async () => {
    expect(
      await same(
        { contestId: 'c1', judgeId: 3, 'applied.key': 'k13' },
        (d) => d.contestId === 'c1' && d.judgeId === 3 && keys(d).includes('k13'),
      ),
    ).toEqual([13]);
    // The same key held by two documents (k14 is the second key of 13 and the first of 14).
    await same(
      { contestId: 'c2', judgeId: 4, 'applied.key': { $eq: 'k14' } },
      (d) => d.contestId === 'c2' && d.judgeId === 4 && keys(d).includes('k14'),
    );
    // Numbers compare by value whatever their BSON type.
    await same(
      { contestId: 'c0', judgeId: 3.0, 'applied.key': 'k93' },
      (d) => d.contestId === 'c0' && d.judgeId === 3 && keys(d).includes('k93'),
    );
    expect(await same({ group: 'g2' }, (d) => d.group === 'g2')).toHaveLength(60);
    expect(await same({ group: 'none' }, () => false)).toEqual([]);
    // Other conditions next to the indexed ones still apply.
    await same({ group: 'g3', n: { $gt: 200 } }, (d) => d.group === 'g3' && d.n > 200);
  });

  it('keeps finding the right documents after updates, deletes and an aborted transaction', async () => {
    await C.updateMany({ group: 'g2' }, { $set: { group: 'g9' } });
    expect(await same({ group: 'g2' }, () => false)).toEqual([]);
    expect(await same({ group: 'g9' }, (d) => d.group === 'g9')).toHaveLength(60);
    await C.updateOne({ n: 5 }, { $push: { applied: { key: 'pushed' } } } as any);
    expect(
      await same({ contestId: 'c2', judgeId: 5, 'applied.key': 'pushed' }, (d) => keys(d).includes('pushed')),
    ).toEqual([5]);
    await C.updateOne({ n: 5 }, { $set: { applied: [] } });
    expect(await same({ contestId: 'c2', judgeId: 5, 'applied.key': 'pushed' }, () => false)).toEqual([]);
    await C.replaceOne(
      { n: 7 },
      { n: 7, contestId: 'c1', judgeId: 7, applied: [{ key: 'replaced' }], group: 'g9' },
    );
    await same({ contestId: 'c1', judgeId: 7, 'applied.key': 'replaced' }, (d) =>
      keys(d).includes('replaced'),
    );
    await C.deleteMany({ group: 'g9' });
    expect(await same({ group: 'g9' }, () => false)).toEqual([]);

    const session = conn.getClient().startSession();
    try {
      await rejection(
        session.withTransaction(async () => {
          await C.insertOne({ n: 1000, contestId: 'c0', judgeId: 0, applied: [], group: 'tx' }, { session });
          await C.updateOne({ n: 1 }, { $set: { group: 'tx' } }, { session });
          throw new Error('abort');
        }),
      );
    } finally {
      await session.endSession();
    }
    expect(await same({ group: 'tx' }, () => false)).toEqual([]);
    expect(await same({ group: 'g1' }, (d) => d.group === 'g1')).toContain(1);

    // An aborted delete and an aborted replacement leave the documents findable under their old keys.
    const again = conn.getClient().startSession();
    try {
      await rejection(
        again.withTransaction(async () => {
          await C.deleteOne({ n: 6 }, { session: again });
          await C.replaceOne({ n: 11 }, { n: 11, group: 'tx' }, { session: again });
          throw new Error('abort');
        }),
      );
    } finally {
      await again.endSession();
    }
    expect(await same({ group: 'g1' }, (d) => d.group === 'g1')).toEqual(expect.arrayContaining([6, 11]));
    expect(await same({ group: 'tx' }, () => false)).toEqual([]);
    await same({ contestId: 'c2', judgeId: 1, 'applied.key': 'k11' }, (d) => d.n === 11);
  });

  it('leaves null, missing, arrays and other operators to the query, and survives an index drop', async () => {
    await C.insertMany([
      { n: 2000, contestId: 'c0', judgeId: 0 },
      { n: 2001, contestId: 'c0', judgeId: 0, group: null },
      { n: 2002, contestId: 'c0', judgeId: 0, group: ['g0', 'g4'] },
      { n: 2003, contestId: 'c0', judgeId: 0, group: [['g0']] },
    ]);
    expect(await same({ group: null }, (d) => d.group == null)).toEqual([2000, 2001]);
    // An element of an array matches; an array inside an array does not (a whole-array value does).
    expect(
      await same(
        { group: 'g0' },
        (d) => d.group === 'g0' || (Array.isArray(d.group) && d.group.includes('g0')),
      ),
    ).toContain(2002);
    expect(await same({ group: ['g0'] }, (d) => d.n === 2003)).toEqual([2003]);
    expect(await same({ group: ['g0', 'g4'] }, (d) => d.n === 2002)).toEqual([2002]);
    await same({ group: { $in: ['g0', 'g4'] } }, (d) =>
      [d.group].flat().some((g: unknown) => g === 'g0' || g === 'g4'),
    );
    await same({ group: /^g4/ }, (d) =>
      [d.group].flat().some((g: unknown) => typeof g === 'string' && g.startsWith('g4')),
    );
    await C.dropIndex('group_-1');
    await C.updateMany({ group: 'g4' }, { $set: { group: 'g8' } });
    // 60 of g4, and 2002, whose array held g4.
    expect(await same({ group: 'g8' }, (d) => d.group === 'g8')).toHaveLength(61);
    await C.createIndex({ group: 1 });
    await C.updateOne({ n: 2000 }, { $set: { group: 'g8' } });
    expect(await same({ group: 'g8' }, (d) => d.group === 'g8')).toHaveLength(62);
    expect(await same({ group: 'g4' }, () => false)).toEqual([]);
  });
});

describe('transactions', () => {
  let Account: mongoose.Model<any>;
  beforeAll(async () => {
    Account = conn.model('TxAccount', new Schema({ name: { type: String, unique: true }, balance: Number }));
    await Account.init();
    await Account.create([
      { name: 'a', balance: 100 },
      { name: 'b', balance: 0 },
    ]);
  });

  it('commits every write together and reads its own writes inside the transaction', async () => {
    await conn.transaction(async (session) => {
      await Account.updateOne({ name: 'a' }, { $inc: { balance: -30 } }, { session });
      await Account.updateOne({ name: 'b' }, { $inc: { balance: 30 } }, { session });
      expect((await Account.findOne({ name: 'b' }).session(session).lean<any>()).balance).toBe(30);
    });
    const all = await Account.find().sort({ name: 1 }).lean();
    expect(all.map((d: any) => d.balance)).toEqual([70, 30]);
  });

  it('a throw inside withTransaction rolls every write back', async () => {
    const session = await conn.startSession();
    try {
      const e = await rejection(
        session.withTransaction(async () => {
          await Account.updateOne({ name: 'a' }, { $inc: { balance: -70 } }, { session });
          await Account.create([{ name: 'c', balance: 70 }], { session });
          throw new Error('changed my mind');
        }),
      );
      expect(e.message).toBe('changed my mind');
    } finally {
      await session.endSession();
    }
    expect(await Account.findOne({ name: 'c' })).toBeNull();
    expect((await Account.findOne({ name: 'a' }).lean<any>()).balance).toBe(70);
  });

  it('a duplicate key inside a transaction aborts the whole transaction', async () => {
    const session = await conn.startSession();
    try {
      const e = await rejection(
        session.withTransaction(async () => {
          await Account.updateOne({ name: 'a' }, { $set: { balance: 0 } }, { session });
          await Account.create([{ name: 'b', balance: 1 }], { session });
        }),
      );
      expect(e.code).toBe(11000);
    } finally {
      await session.endSession();
    }
    expect((await Account.findOne({ name: 'a' }).lean<any>()).balance).toBe(70);
    expect(await Account.countDocuments({ name: 'b' })).toBe(1);
  });

  it('explicit abort restores updated, inserted and deleted documents', async () => {
    const session = await conn.startSession();
    try {
      session.startTransaction();
      await Account.deleteOne({ name: 'b' }, { session });
      await Account.create([{ name: 'd', balance: 1 }], { session });
      await Account.updateOne({ name: 'a' }, { $set: { balance: 1 } }, { session });
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    const all = await Account.find().sort({ name: 1 }).lean();
    expect(all.map((d: any) => `${d.name}:${d.balance}`)).toEqual(['a:70', 'b:30']);
    // The unique index still knows about 'b' (restored) and not about 'd' (rolled back).
    expect((await rejection(Account.create({ name: 'b' }))).code).toBe(11000);
    await Account.create({ name: 'd', balance: 0 });
  });
});

describe('connections', () => {
  it('mongoose.connect(uri + dbName) works besides createConnection', async () => {
    const m = new mongoose.Mongoose();
    const name = uniqueDbName('connect');
    await m.connect(inject('mongoUri') + name);
    try {
      const T = m.model('T', new m.Schema({ v: Number }));
      await T.create({ v: 1 });
      expect(await T.countDocuments()).toBe(1);
      const dbs = await m.connection.db!.admin().listDatabases();
      expect(dbs.databases.map((d) => d.name)).toContain(name);
      await m.connection.dropDatabase();
    } finally {
      await m.disconnect();
    }
  });
});

describe('MiniMongo standalone (the in-process test server itself)', () => {
  it('starts on a free port, serves mongoose, expires TTL documents and stops with clients still connected', async () => {
    const server = new MiniMongo({ ttlMonitorSeconds: 0 });
    const uri = await server.start();
    expect(uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    const c = await mongoose.createConnection(uri + 'standalone').asPromise();
    const schema = new Schema({ expiresAt: Date, name: String });
    schema.index({ expiresAt: 1 }, { expireAfterSeconds: 60 });
    const S = c.model('S', schema);
    await S.init();
    const now = Date.now();
    await S.create([
      { name: 'old', expiresAt: new Date(now - 120_000) },
      { name: 'new', expiresAt: new Date(now) },
      { name: 'none' },
    ]);
    expect(server.expireTtlDocuments(new Date(now))).toBe(1);
    expect((await S.find().sort({ name: 1 }).lean()).map((d: any) => d.name)).toEqual(['new', 'none']);
    await server.stop();
    await c.close(true);
  });

  it('answers equality on every field of a non-unique index from its map, built at the first such query', async () => {
    const server = new MiniMongo();
    const uri = await server.start();
    const client = new mongoose.mongo.MongoClient(uri);
    try {
      const coll = client.db('lookup').collection('p');
      await coll.createIndex({ a: 1, b: 1 });
      await coll.insertMany(Array.from({ length: 10_000 }, (_, i) => ({ n: i, a: i % 100, b: `b${i % 7}` })));
      const expected = (a: number, b: string) =>
        Array.from({ length: 10_000 }, (_, i) => i).filter((i) => i % 100 === a && `b${i % 7}` === b);

      let before = server.examined;
      const found = await coll.find({ a: 42, b: 'b0' }).toArray();
      expect(found.map((d) => d.n)).toEqual(expected(42, 'b0'));
      expect(server.examined - before).toBe(found.length);

      // Not every field of the index, or a field outside it: a scan.
      before = server.examined;
      await coll.find({ a: 42 }).toArray();
      expect(server.examined - before).toBe(10_000);

      // Kept up to date after the map was built.
      await coll.updateOne({ n: expected(42, 'b0')[0] }, { $set: { a: 43 } });
      await coll.insertOne({ n: 10_000, a: 42, b: 'b0' });
      before = server.examined;
      const again = await coll.find({ a: 42, b: 'b0' }).toArray();
      expect(again.map((d) => d.n)).toEqual([...expected(42, 'b0').slice(1), 10_000]);
      expect(server.examined - before).toBe(again.length);

      const t0 = performance.now();
      for (let i = 0; i < 200; i++) await coll.findOne({ a: i % 100, b: `b${i % 7}` });
      console.log(
        `[minimongo] 200 findOne by a non-unique compound index over 10,000 documents: ${(performance.now() - t0).toFixed(0)} ms`,
      );
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it('returns what a non-unique index map finds in natural order, and scans when it cannot be kept', async () => {
    const server = new MiniMongo();
    const uri = await server.start();
    const client = new mongoose.mongo.MongoClient(uri);
    try {
      const coll = client.db('lookup').collection('order');
      await coll.createIndex({ status: 1 });
      await coll.insertMany(
        Array.from({ length: 100 }, (_, i) => ({ n: i, status: i < 10 ? 'draft' : 'other' })),
      );
      expect((await coll.find({ status: 'draft' }).toArray()).map((d) => d.n)).toEqual([...Array(10).keys()]);
      // Earlier documents join a key after later ones: still natural order, as a scan gives.
      await coll.updateOne({ n: 5 }, { $set: { status: 'submitted' } });
      await coll.updateOne({ n: 3 }, { $set: { status: 'submitted' } });
      await coll.updateOne({ n: 1 }, { $set: { status: 'submitted' } });
      expect((await coll.find({ status: 'submitted' }).toArray()).map((d) => d.n)).toEqual([1, 3, 5]);
      // A single-document update takes the first in natural order too.
      await coll.updateOne({ status: 'submitted' }, { $set: { picked: true } });
      expect((await coll.findOne({ picked: true }))?.n).toBe(1);

      // An aborted update leaves the document where it was.
      const session = client.startSession();
      try {
        await rejection(
          session.withTransaction(async () => {
            await coll.updateOne({ n: 3 }, { $set: { status: 'draft' } }, { session });
            throw new Error('abort');
          }),
        );
      } finally {
        await session.endSession();
      }
      expect((await coll.find({ status: 'submitted' }).toArray()).map((d) => d.n)).toEqual([1, 3, 5]);
      expect((await coll.find({}).limit(5).toArray()).map((d) => d.n)).toEqual([0, 1, 2, 3, 4]);

      // A collated query is not answered from binary keys.
      let before = server.examined;
      await coll.find({ status: 'draft' }, { collation: { locale: 'en', strength: 2 } }).toArray();
      expect(server.examined - before).toBe(100);

      // Parallel arrays cannot be kept in a compound map: that index falls back to scanning, still right.
      await coll.createIndex({ a: 1, b: 1 });
      await coll.insertOne({ n: 100, a: [1, 2], b: [3, 4] });
      await coll.insertOne({ n: 101, a: 1, b: 3 });
      before = server.examined;
      expect((await coll.find({ a: 1, b: 3 }).toArray()).map((d) => d.n)).toEqual([100, 101]);
      expect(server.examined - before).toBe(102);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it('inserts 100,000 documents with three unique indexes quickly', async () => {
    const server = new MiniMongo();
    const uri = await server.start();
    const client = new mongoose.mongo.MongoClient(uri);
    try {
      const coll = client.db('perf').collection('p');
      await coll.createIndex({ a: 1 }, { unique: true });
      await coll.createIndex({ b: 1, c: 1 }, { unique: true });
      await coll.createIndex({ d: 1 }, { unique: true, sparse: true });
      const docs = Array.from({ length: 100_000 }, (_, i) => ({ a: i, b: `b${i % 100}`, c: i, d: `d${i}` }));
      const t0 = performance.now();
      await coll.insertMany(docs);
      const ms = performance.now() - t0;
      console.log(`[minimongo] insertMany of 100,000 documents with 3 unique indexes: ${ms.toFixed(0)} ms`);
      expect(await coll.countDocuments()).toBe(100_000);
      const t1 = performance.now();
      for (let i = 0; i < 200; i++) await coll.findOne({ d: `d${i * 499}` });
      console.log(
        `[minimongo] 200 findOne by unique key over 100,000 documents: ${(performance.now() - t1).toFixed(0)} ms`,
      );
    } finally {
      await client.close();
      await server.stop();
    }
  });
});
