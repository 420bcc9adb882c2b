// Smoke test of the load proof (load.ts) at a tiny size: the product's saves and the floor's inserts must be
// answered and stored, and a second run on the same database must reuse the contest and go on from the versions
// stored. Times are printed by the proof and never asserted.
import { afterAll, describe, expect, it, inject } from 'vitest';
import mongoose from 'mongoose';
import { uniqueDbName, type TestMongoKind } from '../support/mongo.ts';
import { parseLoadArgs, runLoad } from './load.ts';

const mongo = { uri: inject('mongoUri'), kind: inject('mongoKind') as TestMongoKind };
const db = uniqueDbName('proof_load_smoke');

afterAll(async () => {
  const conn = await mongoose.createConnection(mongo.uri + db).asPromise();
  await conn.dropDatabase();
  await conn.close();
});

describe('load proof', () => {
  it('drives the product and the floor, and reuses a seeded contest', { timeout: 180_000 }, async () => {
    const lines: string[] = [];
    const options = {
      entries: 300,
      judges: 12,
      connections: 6,
      duration: 1,
      build: 'src' as const,
      db,
      mongo,
      log: (l: string) => lines.push(l),
    };
    const first = await runLoad(options);
    const out = lines.join('\n');

    expect(first.seeded).toBe('seeded');
    expect(first.counts).toMatchObject({ entries: 300, judges: 12 });
    expect(first.counts.tasks).toBeGreaterThan(0);
    expect(first.product.ok, out).toBeGreaterThan(0);
    expect(first.product.errors).toBe(0);
    expect(first.product.non2xx, out).toBe(0);
    expect(first.floor.ok, out).toBeGreaterThan(0);
    expect(first.floor.errors).toBe(0);
    expect(first.floor.non2xx).toBe(0);
    // Inserts still in flight when the load tool stopped may be stored unanswered: at most one per connection.
    expect(first.floorStored).toBeGreaterThanOrEqual(first.floor.ok);
    expect(first.floorStored).toBeLessThanOrEqual(first.floor.ok + 6 + first.floor.timeouts);
    expect(Number.isFinite(first.ratio.throughput)).toBe(true);
    expect(out).toMatch(/product {2}PUT score: \d+ req\/s \(2xx\), p50 [\d.]+ ms, p99 [\d.]+ ms/);
    expect(out).toMatch(/floor {4}POST \/insert: \d+ req\/s \(2xx\), p50 [\d.]+ ms, p99 [\d.]+ ms/);
    expect(out).toMatch(/product \/ floor: throughput [\d.]+, p50 [\d.]+x, p99 [\d.]+x/);
    if (mongo.kind === 'wire') expect(out).toContain('NOT production figures');

    // Drafts saved by the first run are saved again from their stored version: no conflicts.
    const second = await runLoad({ ...options, commands: true });
    expect(second.seeded).toBe('reused');
    expect(second.counts).toEqual(first.counts);
    expect(second.product.ok).toBeGreaterThan(0);
    expect(second.product.non2xx, JSON.stringify(second.product.failures)).toBe(0);
    expect(second.commandsPerRequest?.findAndModify?.perRequest).toBeGreaterThan(0);
  });

  it('refuses bad flags, naming the flag', () => {
    expect(parseLoadArgs(['--entries', '1000', '--connections', '20', '--db', 'load_100k', '--src'])).toEqual(
      {
        entries: 1000,
        connections: 20,
        db: 'load_100k',
        build: 'src',
      },
    );
    expect(() => parseLoadArgs(['--duration', '0'])).toThrow(
      /--duration must be a whole number of at least 1/,
    );
    expect(() => parseLoadArgs(['--db', 'a/b'])).toThrow(/--db must be/);
    expect(() => parseLoadArgs(['--conections', '5'])).toThrow(/conections/);
  });
});
