// The fuzzer's own parts: schema-derived values mostly pass their schema, mutations mostly do not, the
// leak detector tells request operators from the server's, and prototype keys survive into the JSON sent.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { z } from 'zod';
import * as shared from '@pingxuan/shared';
import { arbitraryFor, toQueryPairs, validFor, type Dictionary } from './zod-arbitrary.js';
import {
  DOTTED_KEY,
  POLLUTERS,
  SENTINEL,
  SENTINEL_NUMBER,
  findLeaks,
  hostileQueryPairs,
  mutated,
  queryString,
} from './hostile.js';

const dict: Dictionary = {
  ids: ['0123456789abcdef01234567'],
  codes: ['main', 'first', 'content'],
  strings: ['fz-admin'],
  numbers: [0, 1, 2],
};

/** Every zod schema shared exports for requests: strict objects, which are what routes parse input with. */
const requestSchemas = Object.entries(shared).filter(
  ([name, s]) =>
    name.endsWith('Schema') &&
    (s as any)?._zod?.def?.type === 'object' &&
    (s as any)._zod.def.catchall?._zod?.def?.type === 'never',
) as [string, z.ZodType][];

const rate = (arb: fc.Arbitrary<unknown>, schema: z.ZodType, n = 100) =>
  fc.sample(arb, { seed: 42, numRuns: n }).filter((v) => schema.safeParse(v).success).length / n;

describe('values derived from zod schemas', () => {
  it('finds the request schemas', () => {
    expect(requestSchemas.map(([n]) => n)).toEqual(
      expect.arrayContaining([
        'ContestCreateSchema',
        'EntryInputSchema',
        'ScoreSaveSchema',
        'LoginRequestSchema',
      ]),
    );
  });

  it('mostly pass the schema they come from, and their mutations mostly do not', () => {
    const rows = requestSchemas.map(([name, s]) => ({
      name,
      valid: rate(validFor(s, dict), s),
      mutated: rate(mutated(validFor(s, dict)), s),
    }));
    console.table(
      rows.map((r) => ({
        ...r,
        valid: `${Math.round(r.valid * 100)}%`,
        mutated: `${Math.round(r.mutated * 100)}%`,
      })),
    );
    // Cross-field refinements (a measurement criterion's rule, unique ids) are met by chance only.
    expect(rows.filter((r) => r.valid >= 0.5).length).toBeGreaterThanOrEqual(rows.length * 0.85);
    for (const r of rows) expect(r.mutated, r.name).toBeLessThan(0.5);
  });

  it('walks every kind of zod node the shared schemas use', () => {
    const seen = new Set<string>();
    const walk = (s: any, depth = 0) => {
      if (!s?._zod || depth > 12) return;
      const d = s._zod.def;
      seen.add(d.type);
      for (const k of ['innerType', 'in', 'element', 'keyType', 'valueType', 'left', 'right'])
        walk(d[k], depth + 1);
      for (const x of Object.values(d.shape ?? {})) walk(x, depth + 1);
      for (const x of d.options ?? []) walk(x, depth + 1);
    };
    for (const [, s] of requestSchemas) walk(s);
    // `custom` (a predicate zod cannot describe) is the one node given arbitrary JSON.
    const handled = [
      'custom',
      'string',
      'number',
      'boolean',
      'enum',
      'literal',
      'object',
      'array',
      'optional',
      'nullable',
      'default',
      'pipe',
      'transform',
      'record',
      'union',
      'readonly',
      'prefault',
      'null',
      'tuple',
      'lazy',
      'intersection',
      'date',
      'catch',
    ];
    expect([...seen].filter((t) => !handled.includes(t))).toEqual([]);
  });

  it('draws ids and codes from the world, and small real numbers for versions', () => {
    const ids = fc.sample(arbitraryFor(shared.IdSchema, dict), { seed: 1, numRuns: 100 });
    expect(ids.filter((v) => v === dict.ids[0]).length).toBeGreaterThan(50);
    expect(ids.every((v) => shared.IdSchema.safeParse(v).success)).toBe(true);
    const versions = fc.sample(arbitraryFor(shared.EntryRestoreSchema, dict), { seed: 1, numRuns: 100 }) as {
      version: number;
    }[];
    expect(versions.filter((v) => v.version <= 2).length).toBeGreaterThan(40);
  });

  it('turns query values into strings, repeating array keys', () => {
    expect(toQueryPairs({ a: 1, b: ['x', 'y'], c: undefined, d: true })).toEqual([
      ['a', '1'],
      ['b', 'x'],
      ['b', 'y'],
      ['d', 'true'],
    ]);
    expect(queryString([['a[$gt]', SENTINEL]])).toBe(`a%5B%24gt%5D=${encodeURIComponent(SENTINEL)}`);
    // A lone surrogate has no UTF-8: sent as its CESU bytes rather than crashing the generator.
    expect(queryString([['q', '\ud800']])).toBe('q=%ED%A0%80');
    expect(
      fc
        .sample(hostileQueryPairs(['round']), { seed: 3, numRuns: 50 })
        .flat()
        .some(([k]) => k.includes('[$')),
    ).toBe(true);
  });
});

describe('the leak detector', () => {
  const op = (k: string, v: unknown) => JSON.parse(JSON.stringify({ [k]: v }));

  it('flags an operator holding a sentinel wherever it sits in a filter, update or pipeline', () => {
    expect(findLeaks([{ code: op('$gt', SENTINEL) }]).leaks).toMatchObject([
      { key: '$gt', kind: 'operator' },
    ]);
    expect(findLeaks([{ $set: { values: op('$where', SENTINEL_NUMBER) } }]).leaks.map((l) => l.key)).toEqual([
      '$set',
      '$where',
    ]);
    expect(findLeaks([[{ $match: { code: { $in: [SENTINEL] } } }]]).leaks.map((l) => l.key)).toEqual([
      '$match',
      '$in',
    ]);
    expect(findLeaks([{ values: { [`${DOTTED_KEY}x`]: 1 } }]).leaks).toMatchObject([{ kind: 'dotted-key' }]);
  });

  it('leaves the server own operators alone and counts operators under $eq as neutralized', () => {
    expect(
      findLeaks([{ contestId: 'x', _id: { $in: ['a', 'b'] }, seq: { $lt: 5 }, $or: [{ code: /x/i }] }]),
    ).toEqual({ leaks: [], neutralized: 0 });
    expect(findLeaks([{ code: { $eq: op('$gt', SENTINEL) } }])).toEqual({ leaks: [], neutralized: 1 });
    // Plain data that happens to equal the sentinel is not an operator.
    expect(findLeaks([{ comment: SENTINEL }]).leaks).toEqual([]);
  });

  it('keeps __proto__ an own key, so it reaches the server in the JSON', () => {
    expect(JSON.stringify(POLLUTERS[0])).toContain('"__proto__"');
    const withKey = fc
      .sample(mutated(fc.constant({ a: 1 })), { seed: 9, numRuns: 300 })
      .map((v) => JSON.stringify(v) ?? '');
    expect(withKey.some((s) => s.includes('"__proto__"'))).toBe(true);
    expect(({} as Record<string, unknown>).fzPolluted).toBeUndefined();
  });
});
