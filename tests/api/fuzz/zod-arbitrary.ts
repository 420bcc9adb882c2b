// Fast-check arbitraries derived from zod 4 schemas by walking their definitions: values that mostly pass the
// schema, drawn where possible from the seeded contest's real ids and codes so requests get past "not found".
import fc from 'fast-check';
import type { z } from 'zod';

/** Real values of the seeded world: ids of its documents, its codes (rounds, tiers, criteria...), plain strings. */
export type Dictionary = { ids: string[]; codes: string[]; strings: string[]; numbers: number[] };

type Def = { type: string; [k: string]: any };
type Check = { check: string; [k: string]: any };

const defOf = (s: z.ZodType): Def => (s as any)._zod.def;
const checksOf = (s: z.ZodType): Check[] => (defOf(s).checks ?? []).map((c: any) => c._zod.def as Check);

const ID_PATTERN = '^[0-9a-f]{24}$';
/** Arrays and strings without a tight upper bound are kept short: the point is shape, not size (sizes are mutations). */
const SOFT_MAX_ITEMS = 5;
const SOFT_MAX_CHARS = 40;

function lengthBounds(checks: Check[]) {
  let min = 0;
  let max = Infinity;
  for (const c of checks) {
    if (c.check === 'min_length') min = Math.max(min, c.minimum);
    if (c.check === 'max_length') max = Math.min(max, c.maximum);
    if (c.check === 'length_equals') min = max = c.length;
  }
  return { min, max };
}

function stringArb(schema: z.ZodType, dict: Dictionary): fc.Arbitrary<string> {
  const checks = checksOf(schema);
  const { min, max } = lengthBounds(checks);
  const formats = checks.filter((c) => c.check === 'string_format');
  const patterns = formats.map((c) => c.pattern).filter((p): p is RegExp => p instanceof RegExp);
  const matchesAll = (s: string) => s.length >= min && s.length <= max && patterns.every((p) => p.test(s));
  const known = [...dict.ids, ...dict.codes, ...dict.strings].filter(matchesAll);
  const options: { arbitrary: fc.Arbitrary<string>; weight: number }[] = [];
  if (known.length) {
    const isId = patterns.some((p) => p.source === ID_PATTERN);
    options.push({ arbitrary: fc.constantFrom(...known), weight: isId ? 6 : 3 });
  }
  const format = formats.find((c) => c.format !== 'regex')?.format;
  // No filters (a filter that rarely passes stalls fast-check): a generated value that misses a bound is
  // simply one more invalid input.
  if (format === 'url') options.push({ arbitrary: fc.webUrl(), weight: 2 });
  else if (format === 'email') options.push({ arbitrary: fc.emailAddress(), weight: 2 });
  else if (format === 'uuid' || format === 'guid') options.push({ arbitrary: fc.uuid(), weight: 2 });
  else if (format === 'datetime')
    options.push({ arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), weight: 2 });
  else if (patterns.length) {
    options.push({ arbitrary: fc.stringMatching(patterns[0]!), weight: 2 });
  } else {
    const hi = Math.min(max, Math.max(min, SOFT_MAX_CHARS));
    options.push({ arbitrary: fc.string({ minLength: min, maxLength: hi, unit: 'grapheme' }), weight: 2 });
    options.push({ arbitrary: fc.string({ minLength: min, maxLength: hi }), weight: 1 });
    // Also a string to zod: lone surrogates (no UTF-8 form), NUL, direction overrides, invisible characters.
    const odd = fc.constantFrom(
      '\ud800',
      '\udfff',
      '\u0000',
      '\u202e',
      '\u200b',
      '\ufeff',
      '\u0085',
      '\u2028',
    );
    options.push({
      arbitrary: fc.string({
        minLength: Math.max(min, 1),
        maxLength: hi,
        unit: fc.oneof(odd, fc.constantFrom('a', '字', ' ')),
      }),
      weight: 1,
    });
  }
  return fc.oneof(...options);
}

function numberArb(schema: z.ZodType, dict: Dictionary): fc.Arbitrary<number> {
  let min = -1e9;
  let max = 1e9;
  let minExclusive = false;
  let maxExclusive = false;
  let integer = false;
  let multipleOf: number | undefined;
  for (const c of checksOf(schema)) {
    if (c.check === 'greater_than') [min, minExclusive] = [c.value, !c.inclusive];
    if (c.check === 'less_than') [max, maxExclusive] = [c.value, !c.inclusive];
    if (c.check === 'number_format' && /int/.test(c.format)) integer = true;
    if (c.check === 'multiple_of') multipleOf = c.value;
  }
  const lo = Math.ceil(min);
  const hi = Math.floor(max);
  const between = (a: number, b: number) => fc.integer({ min: Math.min(a, b), max: Math.max(a, b) });
  // Small numbers first: versions, counts and scores of the seeded contest are small.
  const small = between(Math.max(lo, 0), Math.max(Math.min(hi, 10), Math.max(lo, 0)));
  const ints = between(Math.max(lo, -(2 ** 31)), Math.min(hi, 2 ** 31));
  const halves = between(Math.max(lo * 2, -200), Math.min(hi * 2, 200)).map((n) => n / 2);
  const doubles = fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  // Numbers of the world (document versions) make `version` fields match now and then.
  const real = dict.numbers.filter((n) => n >= min && n <= max);
  const arb = integer
    ? fc.oneof(
        { arbitrary: small, weight: 4 },
        { arbitrary: ints, weight: 1 },
        ...(real.length ? [{ arbitrary: fc.constantFrom(...real), weight: 4 }] : []),
      )
    : fc.oneof(
        { arbitrary: small, weight: 3 },
        { arbitrary: halves, weight: 2 },
        { arbitrary: doubles, weight: 1 },
      );
  // Exclusive bounds (positive(), say) are met by stepping off the bound rather than filtering.
  return arb.map((n) => {
    let v = multipleOf ? Math.round(n / multipleOf) * multipleOf : n;
    if (minExclusive && v <= min) v = integer ? Math.floor(min) + 1 : min + (multipleOf ?? 0.5);
    if (maxExclusive && v >= max) v = integer ? Math.ceil(max) - 1 : max - (multipleOf ?? 0.5);
    return v;
  });
}

/** An arbitrary producing values of the schema's input type (what a client sends), mostly valid. */
export function arbitraryFor(schema: z.ZodType, dict: Dictionary, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  if (depth > 12) return fc.constant(null);
  const inner = (s: z.ZodType) => arbitraryFor(s, dict, depth + 1);
  switch (def.type) {
    case 'string':
      return stringArb(schema, dict);
    case 'number':
      return numberArb(schema, dict);
    case 'bigint':
      return fc.bigInt().map(String);
    case 'boolean':
      return fc.boolean();
    case 'date':
      return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
    case 'null':
      return fc.constant(null);
    case 'undefined':
    case 'void':
      return fc.constant(undefined);
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, unknown>));
    case 'optional':
      return fc.option(inner(def.innerType), { nil: undefined, freq: 4 });
    case 'nullable':
      return fc.option(inner(def.innerType), { nil: null, freq: 4 });
    case 'default':
    case 'prefault':
      // Left out, the default applies: both are valid inputs.
      return fc.option(inner(def.innerType), { nil: undefined, freq: 3 });
    case 'readonly':
    case 'catch':
    case 'nonoptional':
    case 'success':
      return inner(def.innerType);
    case 'pipe':
      return inner(def.in);
    case 'lazy':
      return inner(def.getter());
    case 'transform':
    case 'any':
    case 'unknown':
    case 'custom':
      return fc.jsonValue({ maxDepth: 2 });
    case 'array': {
      const { min, max } = lengthBounds(checksOf(schema));
      return fc.array(inner(def.element), {
        minLength: min,
        maxLength: Math.min(max, Math.max(min, SOFT_MAX_ITEMS)),
      });
    }
    case 'tuple':
      return fc.tuple(...(def.items as z.ZodType[]).map(inner));
    case 'set':
      return fc.array(inner(def.valueType), { maxLength: SOFT_MAX_ITEMS });
    case 'union':
      return fc.oneof(...(def.options as z.ZodType[]).map(inner));
    case 'intersection':
      return fc
        .tuple(inner(def.left), inner(def.right))
        .map(([a, b]) => (a && b && typeof a === 'object' && typeof b === 'object' ? { ...a, ...b } : a));
    case 'record':
    case 'map': {
      const keys = fc.oneof(
        ...(dict.codes.length ? [fc.constantFrom(...dict.codes)] : []),
        inner(def.keyType).map(String),
      );
      return fc.dictionary(keys, inner(def.valueType), { maxKeys: SOFT_MAX_ITEMS });
    }
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      const required: string[] = [];
      for (const [k, s] of Object.entries(shape)) {
        model[k] = inner(s);
        const t = defOf(s).type;
        if (t !== 'optional' && t !== 'default' && t !== 'prefault') required.push(k);
      }
      // Keys whose arbitrary chose `undefined` are dropped, as JSON would.
      return fc
        .record(model, { requiredKeys: required })
        .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/**
 * Mostly-valid values made more often valid without a filter: a few candidates are drawn and the first the
 * schema accepts is kept (cross-field refinements such as unique ids are met by chance, not by design).
 */
export function validFor(schema: z.ZodType, dict: Dictionary, tries = 4): fc.Arbitrary<unknown> {
  return fc
    .array(arbitraryFor(schema, dict), { minLength: tries, maxLength: tries })
    .map((c) => c.find((v) => schema.safeParse(v).success) ?? c[0]);
}

/** Query strings carry strings only: numbers and booleans become their text, arrays repeat the key. */
export function toQueryPairs(value: unknown): [string, string][] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) pairs.push([k, String(x)]);
    else pairs.push([k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)]);
  }
  return pairs;
}
