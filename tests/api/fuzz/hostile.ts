// Hostile inputs beyond the schemas (wrong types, operators, prototype keys, sizes, odd unicode) and the
// detector that tells an operator a client smuggled in from one the server put in a query itself.
import fc from 'fast-check';

/**
 * Operands that only ever appear inside operator objects or under `$`-keys the fuzzer sends. The server's
 * own operators never carry them, so a `$`-key holding one in a logged query came from a request.
 */
export const SENTINEL = 'fz\u2620operand';
export const SENTINEL_NUMBER = 987654.321;
/** Property a polluted Object.prototype would gain. */
export const POLLUTION_KEY = 'fzPolluted';
/** Plain data the fuzzer sends where it is not an operand: a leaf of deep nesting, the value of odd keys. */
export const MARKER = 'fz-plain';
/** Prefix of dotted keys the fuzzer sends: a key with it in an update or filter is a client-chosen path. */
export const DOTTED_KEY = 'fzdot.';

/** Builds JSON text into a value, so `__proto__` stays an own key (an object literal would set the prototype). */
const j = (text: string): unknown => JSON.parse(text);
const S = JSON.stringify(SENTINEL);

/** Operators with the sentinel as operand: reaching a query unescaped is a finding. */
export const SENTINEL_OPERATORS: unknown[] = [
  j(`{"$gt": ${S}}`),
  j(`{"$gte": ${SENTINEL_NUMBER}}`),
  j(`{"$lt": ${SENTINEL_NUMBER}}`),
  j(`{"$ne": ${S}}`),
  j(`{"$nin": [${S}]}`),
  j(`{"$in": [${S}]}`),
  j(`{"$regex": ${S}, "$options": "i"}`),
  j(`{"$where": ${S}}`),
  j(`{"$exists": true, "$ne": ${S}}`),
  j(`{"$expr": {"$eq": [${S}, ${S}]}}`),
  j(`{"$elemMatch": {"$gt": ${S}}}`),
  j(`{"$not": {"$eq": ${S}}}`),
  j(`{"$set": {"isAdmin": ${S}}}`),
  j(`{"$function": {"body": ${S}, "args": [], "lang": "js"}}`),
];

/** The classic payloads as written in the wild; without a sentinel they test crashes and writes, not leaks. */
export const PLAIN_OPERATORS: unknown[] = [
  j('{"$gt": ""}'),
  j('{"$ne": null}'),
  j('{"$exists": true}'),
  j('{"$where": "1"}'),
  j('{"$regex": ".*"}'),
];

export const POLLUTERS: unknown[] = [
  j(`{"__proto__": {"${POLLUTION_KEY}": ${S}}}`),
  j(`{"constructor": {"prototype": {"${POLLUTION_KEY}": ${S}}}}`),
  j(`{"prototype": {"${POLLUTION_KEY}": ${S}}}`),
  j(`{"__proto__": {"isAdmin": true, "role": "organizer"}}`),
];

/** Keys that are dangerous as property names, operators or paths. */
export const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '$where',
  '$gt',
  '$ne',
  '$set',
  '$',
  `${DOTTED_KEY}x`,
  `${DOTTED_KEY}$gt`,
  '',
  ' ',
  'a\u0000b',
  '𠀀',
  'x'.repeat(300),
];

export const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '\u202eevil',
  '\u200b',
  '\ufeff',
  'Ａ'.repeat(50),
  '𠀀𠀁',
  '👩‍👩‍👧‍👦',
  'Z̷̢̛a̶l̸g̵o̴',
  '$gt',
  '$where',
  '__proto__',
  'constructor',
  'toString',
  '../../../etc/passwd',
  '..\\..\\windows',
  '<script>alert(1)</script>',
  "'; db.dropDatabase(); '",
  '=HYPERLINK("http://x")',
  '+1+1',
  '@SUM(1)',
  'true',
  'null',
  'undefined',
  'NaN',
  '1e999',
  '-0',
  '0x10',
  '000000000000000000000000',
  'ffffffffffffffffffffffff',
  '2026-02-30T25:61:61Z',
  '%00',
  '%ZZ',
  '\r\nSet-Cookie: x=1',
  '{"$gt":""}',
];

const WRONG_TYPES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  -0.0,
  2 ** 53 + 2,
  1e308,
  -1e308,
  5e-324,
  '',
  '0',
  [],
  {},
  [[]],
  [null],
  { 0: 1 },
];

/** Strings of awkward sizes; 1 MB + 1 is past the JSON body limit, the rest are past every field's maximum. */
export const bigString = (n: number, ch = 'x') => ch.repeat(n);

/** Nesting deep enough to hit recursion in any walker that does not guard against it. */
export function deepNest(depth: number, kind: 'array' | 'object'): unknown {
  let v: unknown = MARKER;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

/** One hostile value, weighted toward the cheap ones; big sizes are rarer. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...SENTINEL_OPERATORS), weight: 6 },
  { arbitrary: fc.constantFrom(...PLAIN_OPERATORS), weight: 2 },
  { arbitrary: fc.constantFrom(...POLLUTERS), weight: 3 },
  { arbitrary: fc.constantFrom(...WRONG_TYPES), weight: 5 },
  { arbitrary: fc.constantFrom(...ODD_STRINGS), weight: 5 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 2 },
  { arbitrary: fc.constantFrom(10_000, 100_000).map((n) => bigString(n)), weight: 1 },
  {
    arbitrary: fc
      .constantFrom(50, 2000)
      .chain((d) => fc.constantFrom(deepNest(d, 'array'), deepNest(d, 'object'))),
    weight: 1,
  },
  { arbitrary: fc.array(fc.constantFrom(...SENTINEL_OPERATORS), { minLength: 1, maxLength: 3 }), weight: 1 },
  // Long lists of well-formed ids (past every array maximum, or into a big $in) and of mixed junk.
  {
    arbitrary: fc
      .constantFrom(1_001, 10_000)
      .map((n) =>
        Array.from({ length: n }, (_, i) =>
          i % 7 === 6 ? MARKER : `${i.toString(16).padStart(8, '0')}${'a'.repeat(16)}`,
        ),
      ),
    weight: 1,
  },
  {
    // `$`-keys get the sentinel (they are operators); the others plain data.
    arbitrary: fc
      .constantFrom(...HOSTILE_KEYS)
      .map((k) => j(`{${JSON.stringify(k)}: ${k.startsWith('$') ? S : JSON.stringify(MARKER)}}`)),
    weight: 2,
  },
);

type Path = (string | number)[];

function paths(value: unknown, at: Path = [], out: Path[] = [], depth = 0): Path[] {
  out.push(at);
  if (depth > 8 || value === null || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value))
    paths(v, [...at, Array.isArray(value) ? Number(k) : k], out, depth + 1);
  return out;
}

function clone(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (!path.length) return value;
  let node = root as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) node = node[p] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  // defineProperty keeps `__proto__` an own key rather than re-pointing the prototype.
  Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  return root;
}

function deleteAt(root: unknown, path: Path): unknown {
  if (!path.length) return undefined;
  let node = root as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) node = node[p] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (Array.isArray(node)) node.splice(Number(last), 1);
  else delete node[last];
  return root;
}

type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'addKey'; at: number; key: string; value: unknown }
  | { kind: 'wrap'; how: 'array' | 'string' | 'nest' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }),
    weight: 6,
  },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }), weight: 2 },
  {
    arbitrary: fc
      .record({
        kind: fc.constant('addKey' as const),
        at: fc.nat(),
        key: fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 10 })),
        value: fc.oneof(hostileValue, fc.constant(SENTINEL), fc.constant(SENTINEL_NUMBER)),
      })
      .map((m) => (m.key.startsWith('$') || typeof m.value === 'object' ? m : { ...m, value: MARKER })),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('wrap' as const),
      how: fc.constantFrom('array' as const, 'string' as const, 'nest' as const),
    }),
    weight: 1,
  },
);

function applyMutation(value: unknown, m: Mutation): unknown {
  if (m.kind === 'wrap')
    return m.how === 'array' ? [value] : m.how === 'string' ? JSON.stringify(value) : { value };
  const all = paths(value);
  const at = all[m.at % all.length]!;
  if (m.kind === 'replace') return setAt(value, at, clone(m.value));
  if (m.kind === 'delete') return deleteAt(value, at);
  // addKey: onto the nearest object at or above the chosen node.
  let target = at;
  const nodeAt = (p: Path) => p.reduce<any>((n, k) => n?.[k], value);
  while (target.length && (typeof nodeAt(target) !== 'object' || nodeAt(target) === null))
    target = target.slice(0, -1);
  const node = nodeAt(target);
  if (node === null || typeof node !== 'object') return value;
  return setAt(value, [...target, Array.isArray(node) ? node.length : m.key], clone(m.value));
}

/** A valid value with one to three hostile edits: a field replaced, removed, an extra key, or the whole wrapped. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([v, ms]) => ms.reduce<unknown>((acc, m) => applyMutation(acc, m), clone(v) ?? {}));
}

/** Query-string attacks: bracket operators, repeated keys, prototype keys, odd encodings. */
export function hostileQueryPairs(knownKeys: string[]): fc.Arbitrary<[string, string][]> {
  const key = fc.oneof(
    fc.constantFrom(...(knownKeys.length ? knownKeys : ['q'])),
    fc.constantFrom(...HOSTILE_KEYS),
  );
  const op = fc.constantFrom('$gt', '$ne', '$in', '$regex', '$where', '$exists', '$expr');
  const value = fc.oneof(
    fc.constant(SENTINEL),
    fc.constantFrom(...ODD_STRINGS),
    fc.string({ maxLength: 20 }),
  );
  const pair: fc.Arbitrary<[string, string][]> = fc.oneof(
    fc.tuple(key, op).map(([k, o]) => [[`${k}[${o}]`, SENTINEL]] as [string, string][]),
    fc.tuple(key, op).map(([k, o]) => [[`${k}[${o}]`, '']] as [string, string][]),
    fc.tuple(key, value, value).map(
      ([k, a, b]) =>
        [
          [k, a],
          [k, b],
        ] as [string, string][],
    ),
    fc.tuple(key, value).map(([k, v]) => [[`${k}[]`, v]] as [string, string][]),
    fc.constantFrom<[string, string][]>(
      [[`__proto__[${POLLUTION_KEY}]`, SENTINEL]],
      [[`constructor[prototype][${POLLUTION_KEY}]`, SENTINEL]],
      [['__proto__', SENTINEL]],
      [[`__proto__.${POLLUTION_KEY}`, SENTINEL]],
    ),
    fc.tuple(key, value).map(([k, v]) => [[k, v]] as [string, string][]),
    // Past Node's 16 KB header limit now and then (a 431), mostly long but within it.
    fc
      .tuple(key, fc.constantFrom(2_000, 2_000, 2_000, 20_000))
      .map(([k, n]) => [[k, bigString(n)]] as [string, string][]),
  );
  return fc.array(pair, { minLength: 1, maxLength: 3 }).map((l) => l.flat());
}

/** Encodes pairs; a few raw, unencodable or malformed escapes are kept as they are on purpose. */
export function queryString(pairs: [string, string][], raw = false): string {
  const enc = (s: string) => {
    if (raw) return s.replace(/[#\s]/g, encodeURIComponent);
    try {
      return encodeURIComponent(s);
    } catch {
      return s.replace(/[\ud800-\udfff]/g, '%ED%A0%80'); // a lone surrogate has no UTF-8 form: send CESU bytes
    }
  };
  return pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
}

/** Whether a value contains a sentinel anywhere (string or number), looking into arrays and objects. */
function hasSentinel(v: unknown, depth = 0): boolean {
  if (v === SENTINEL || v === SENTINEL_NUMBER) return true;
  if (depth > 50 || v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some((x) => hasSentinel(x, depth + 1));
  if (!isPlain(v)) return false;
  return Object.values(v).some((x) => hasSentinel(x, depth + 1));
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null || Array.isArray(v);
}

export type Leak = { path: string; key: string; kind: 'operator' | 'dotted-key' };

/**
 * Walks what the server sent to MongoDB. A `$`-key whose operand holds a sentinel, or a key carrying the
 * fuzzer's dotted prefix, came from a request: a leak. Under `$eq` everything is a literal (that is how
 * mongoose's sanitizeFilter defuses operators), so those are counted apart as neutralized, not leaks.
 */
export function findLeaks(value: unknown): { leaks: Leak[]; neutralized: number } {
  const leaks: Leak[] = [];
  let neutralized = 0;
  const seen = new Set<object>();
  const walk = (v: unknown, path: string, literal: boolean, depth: number) => {
    if (v === null || typeof v !== 'object' || depth > 60 || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`, literal, depth + 1));
    // Mongoose documents and maps are read through their plain form; ObjectIds, dates, buffers are leaves.
    const plain = isPlain(v)
      ? v
      : typeof (v as any).toObject === 'function'
        ? (v as any).toObject()
        : v instanceof Map
          ? Object.fromEntries(v)
          : null;
    if (!plain) return;
    for (const [k, x] of Object.entries(plain)) {
      const here = `${path}.${k}`;
      if (k.startsWith('$') && k !== '$eq' && hasSentinel(x)) {
        if (literal) neutralized++;
        else leaks.push({ path: here, key: k, kind: 'operator' });
      }
      if (k.includes(DOTTED_KEY) && !literal) leaks.push({ path: here, key: k, kind: 'dotted-key' });
      walk(x, here, literal || k === '$eq', depth + 1);
    }
  };
  walk(value, '', false, 0);
  return { leaks, neutralized };
}

/** Own properties of the built-in prototypes, to prove none was added by a request. */
export function prototypeFingerprint(): string {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype]
    .map((p) => Object.getOwnPropertyNames(p).sort().join(','))
    .join('|');
}

export function polluted(): boolean {
  return POLLUTION_KEY in {} || 'isAdmin' in {} || 'role' in {};
}
