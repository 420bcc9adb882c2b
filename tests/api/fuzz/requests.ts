// Requests as fast-check generates them for one route: who sends it, the path with real or garbage ids,
// the query, the body (JSON from the route's zod schema, mutated, raw text, or multipart uploads) and headers.
import fc from 'fast-check';
import zlib from 'node:zlib';
import type { z } from 'zod';
import { toQueryPairs, validFor, type Dictionary } from './zod-arbitrary.js';
import {
  HOSTILE_KEYS,
  ODD_STRINGS,
  SENTINEL,
  bigString,
  hostileQueryPairs,
  hostileValue,
  mutated,
  queryString,
} from './hostile.js';
import type { RouteInfo, UploadSpec } from './routes.js';
import { PERSONAS, type Persona, type World } from './world.js';

export type Part =
  { name: string; value: string } | { name: string; fileName: string; data: Uint8Array; type: string };
export type Body =
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; contentType: string | null; text: string }
  | { kind: 'multipart'; parts: Part[] };

export type FuzzRequest = {
  persona: Persona;
  method: string;
  path: string;
  query: string;
  body: Body | null;
  headers: Record<string, string>;
  /** Which generator made the body, for the figures. */
  shape: string;
};

export type KnownSchemas = { body?: z.ZodType; query?: z.ZodType };

const MB = 1024 * 1024;

/** Path segments: encoded, except lone surrogates (no UTF-8 form) which go as CESU bytes. */
export function encodeSegment(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s.replace(/[\ud800-\udfff]/g, '%ED%A0%80').replace(/[^%\w-]/g, (c) => encodeURIComponent(c));
  }
}

const garbageParam: fc.Arbitrary<{ value: string; raw: boolean }> = fc.oneof(
  { arbitrary: fc.stringMatching(/^[0-9a-f]{24}$/).map((value) => ({ value, raw: false })), weight: 3 },
  {
    arbitrary: fc
      .constantFrom(...ODD_STRINGS, SENTINEL, '$gt', '{"$gt":""}', 'x'.repeat(5000))
      .map((value) => ({ value, raw: false })),
    weight: 4,
  },
  {
    arbitrary: fc
      .constantFrom('%', '%ZZ', '%E0%A4%A', '%00', '%2e%2e', '..%2F..%2F', '%24gt', '%5B%24ne%5D')
      .map((value) => ({ value, raw: true })),
    weight: 2,
  },
  {
    arbitrary: fc
      .string({ unit: 'binary', minLength: 1, maxLength: 30 })
      .map((value) => ({ value, raw: false })),
    weight: 1,
  },
);

/** Fills `:params` with ids of one seeded contest (the photo of the entry picked, and so on), now and then garbage. */
function pathArb(route: RouteInfo, world: World, contest: number) {
  const n = route.params.length;
  return fc
    .record({
      picks: fc.array(fc.nat(), { minLength: n, maxLength: n }),
      // One id in ten is garbage, the rest real.
      garbage: fc.array(
        fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: garbageParam, weight: 1 }),
        { minLength: n, maxLength: n },
      ),
    })
    .map(({ picks, garbage }) => {
      const c = world.contests[contest]!;
      let entry = c.entries[0]!;
      const pick = <T>(list: T[], i: number): T | undefined =>
        list.length ? list[i % list.length] : undefined;
      let path = route.path;
      route.params.forEach((name, i) => {
        const g = garbage[i];
        let value: string;
        if (g) value = g.raw ? g.value : encodeSegment(g.value);
        else {
          const p = picks[i]!;
          const real: Record<string, () => string | undefined> = {
            contestId: () => c.id,
            entryId: () => (entry = pick(c.entries, p)!).id,
            photoId: () =>
              pick(entry.photos, p) ??
              pick(
                c.entries.flatMap((e) => e.photos),
                p,
              ),
            judgeId: () => pick(c.judges, p),
            panelId: () => pick(c.panels, p),
            membershipId: () => pick(c.memberships, p),
            scoreId: () => pick(c.scores, p),
            roundId: () => pick(c.rounds, p),
            criterionId: () => pick(c.criteria, p),
            token: () => pick(c.tokens, p),
          };
          // A parameter this list does not know yet: any id or code of the contest.
          value = encodeSegment(
            real[name]?.() ?? pick([...world.dicts[contest]!.codes, ...world.dicts[contest]!.ids], p)!,
          );
        }
        path = path.replace(`:${name}`, value);
      });
      return path;
    });
}

function queryArb(known: KnownSchemas, dict: Dictionary): fc.Arbitrary<{ query: string; shape: string }> {
  const keys = known.query ? Object.keys(((known.query as any)._zod.def.shape ?? {}) as object) : [];
  const options: { arbitrary: fc.Arbitrary<{ query: string; shape: string }>; weight: number }[] = [
    { arbitrary: fc.constant({ query: '', shape: 'none' }), weight: 2 },
    {
      arbitrary: fc
        .tuple(hostileQueryPairs(keys), fc.boolean())
        .map(([p, raw]) => ({ query: queryString(p, raw), shape: 'hostile' })),
      weight: 2,
    },
  ];
  if (known.query) {
    const valid = validFor(known.query, dict);
    options.push(
      { arbitrary: valid.map((v) => ({ query: queryString(toQueryPairs(v)), shape: 'valid' })), weight: 4 },
      {
        arbitrary: mutated(valid).map((v) => ({ query: queryString(toQueryPairs(v)), shape: 'mutated' })),
        weight: 2,
      },
      {
        arbitrary: fc
          .tuple(valid, hostileQueryPairs(keys))
          .map(([v, h]) => ({ query: queryString([...toQueryPairs(v), ...h]), shape: 'valid+hostile' })),
        weight: 2,
      },
    );
  }
  return fc.oneof(...options);
}

const rawBodies: fc.Arbitrary<Body> = fc.oneof(
  fc.constantFrom<Body>(
    { kind: 'raw', contentType: 'application/json', text: '{"name":' },
    { kind: 'raw', contentType: 'application/json', text: '' },
    { kind: 'raw', contentType: 'application/json', text: 'null' },
    { kind: 'raw', contentType: 'application/json', text: '"just a string"' },
    { kind: 'raw', contentType: 'application/json', text: '1e999' },
    { kind: 'raw', contentType: 'application/json', text: '[]' },
    { kind: 'raw', contentType: 'application/json', text: '\ufeff{}' },
    { kind: 'raw', contentType: 'application/json', text: '{"a":1,"a":{"$gt":""}}' },
    { kind: 'raw', contentType: 'application/json; charset=utf-16', text: '{}' },
    { kind: 'raw', contentType: 'application/json; charset=latin1', text: '{"name":"\u00e9"}' },
    { kind: 'raw', contentType: 'text/plain', text: '{"name":"x"}' },
    {
      kind: 'raw',
      contentType: 'application/x-www-form-urlencoded',
      text: 'name[$gt]=&__proto__[fzPolluted]=1',
    },
    {
      kind: 'raw',
      contentType: 'application/xml',
      text: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    },
    { kind: 'raw', contentType: null, text: '{"name":"x"}' },
    {
      kind: 'raw',
      contentType: 'multipart/form-data; boundary=zzz',
      text: '--zzz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc',
    },
    { kind: 'raw', contentType: 'multipart/form-data', text: 'no boundary at all' },
  ),
  // Far past and just under the 1 MB JSON limit; deep nesting as text (JSON.parse recursion).
  fc
    .constantFrom('name', 'title', 'comment', 'reason', 'username')
    .chain((field) =>
      fc.constantFrom<Body>(
        { kind: 'raw', contentType: 'application/json', text: `{"${field}":"${bigString(MB + 1)}"}` },
        { kind: 'raw', contentType: 'application/json', text: `{"${field}":"${bigString(MB - 100, 'y')}"}` },
      ),
    ),
  fc.constantFrom(1_000, 100_000).map((d): Body => ({
    kind: 'raw',
    contentType: 'application/json',
    text: '['.repeat(d) + ']'.repeat(d),
  })),
  fc.constantFrom(1_000, 50_000).map((d): Body => ({
    kind: 'raw',
    contentType: 'application/json',
    text: '{"a":'.repeat(d) + '1' + '}'.repeat(d),
  })),
  // Fifty thousand keys: every one is an unrecognized key the 400 must survive naming.
  fc.constant(null).map((): Body => ({
    kind: 'raw',
    contentType: 'application/json',
    text: `{${Array.from({ length: 50_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`,
  })),
);

/** Files of every sort with names an organizer might use or an attacker would. */
export type FileKit = { jpeg: Buffer; pixelBomb: Buffer; xlsx: Buffer };

/** A PNG header claiming 100000 x 100000 pixels over a few bytes of data: a decompression bomb's first step. */
export function pixelBombPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const idat = zlib.deflateSync(Buffer.alloc(100_000 * 3 + 1)); // one row; the rest is missing
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function fileArb(spec: UploadSpec, world: World, kit: FileKit): fc.Arbitrary<Part> {
  const codes = world.contests.flatMap((c) => c.entries.map((e) => e.code));
  const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
  const photoData = fc.oneof(
    { arbitrary: fc.constant({ data: new Uint8Array(kit.jpeg), type: 'image/jpeg' }), weight: 4 },
    {
      arbitrary: fc.constantFrom(
        { data: bytes('just some text, not an image'), type: 'image/jpeg' },
        { data: bytes('%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF'), type: 'application/pdf' },
        { data: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]), type: 'application/zip' },
        { data: new Uint8Array(0), type: 'image/jpeg' },
        { data: new Uint8Array(kit.jpeg.subarray(0, 100)), type: 'image/jpeg' },
        {
          data: bytes(
            '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>',
          ),
          type: 'image/svg+xml',
        },
        { data: bytes('GIF89a\u0001\u0000\u0001\u0000garbage'), type: 'image/gif' },
        { data: new Uint8Array(kit.pixelBomb), type: 'image/png' },
        { data: bytes('MZ\u0090\u0000 not really an exe'), type: 'application/octet-stream' },
      ),
      weight: 6,
    },
    { arbitrary: fc.uint8Array({ maxLength: 3000 }).map((data) => ({ data, type: 'image/png' })), weight: 2 },
    // Past MAX_UPLOAD_MB: a JPEG start followed by zeros.
    {
      arbitrary: fc.constant(null).map(() => ({
        data: Buffer.concat([kit.jpeg, Buffer.alloc(spec.maxBytes + 1)]),
        type: 'image/jpeg',
      })),
      weight: 1,
    },
  );
  const photoName = fc.oneof(
    fc
      .constantFrom(...codes)
      .chain((c) => fc.constantFrom(`${c}.jpg`, `${c.toLowerCase()}.JPG`, `${c}.png`, `${c}-2.jpeg`)),
    fc.constantFrom(
      'photo.jpg',
      '../../etc/passwd.jpg',
      '__proto__.jpg',
      'constructor.png',
      '中文作品.jpg',
      `${'x'.repeat(300)}.jpg`,
      '.jpg',
      'noext',
      'evil.svg',
      'image.jpg.exe',
      '$gt.jpg',
      'a\u0000b.jpg',
      'CON.jpg',
    ),
  );
  const csvRow = fc.tuple(
    fc.oneof(fc.constantFrom(...codes), fc.stringMatching(/^[A-Z][0-9]{2}$/)),
    fc.constantFrom(...ODD_STRINGS, '教师', '学校1'),
    fc.constantFrom('小学组', 'primary', '', '$gt', '__proto__'),
  );
  const tableData = fc.oneof(
    {
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            '作品编号,教师姓名,学校,组别,作品名称',
            'code,teacherName,school,category,title',
            'name,username,school,panel,conflictSchools',
            '姓名,用户名,学校,评审组,回避作品',
            '__proto__,constructor,toString,prototype,hasOwnProperty',
            'code,code,code,$gt,a.b',
            '',
            '\ufeff作品编号,教师姓名,学校',
          ),
          fc.array(csvRow, { maxLength: 6 }),
        )
        .map(([head, rows]) => ({
          data: bytes(
            [
              head,
              ...rows.map((r) =>
                [r[0], r[1], r[1], r[2], `=${r[1]}`]
                  .map((c) => `"${String(c).replace(/"/g, '""')}"`)
                  .join(','),
              ),
            ].join('\r\n'),
          ),
          type: 'text/csv',
        })),
      weight: 5,
    },
    {
      arbitrary: fc.constantFrom(
        {
          data: new Uint8Array(kit.xlsx),
          type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        },
        { data: bytes('"unterminated,quote\n'), type: 'text/csv' },
        { data: new Uint8Array(Buffer.from('作品编号,教师姓名\r\nA1,王\r\n', 'utf16le')), type: 'text/csv' },
        { data: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]), type: 'application/zip' },
        { data: new Uint8Array(0), type: 'text/csv' },
        { data: bytes(`作品编号,教师姓名,学校\n${'Z01,王,学校\n'.repeat(20_000)}`), type: 'text/csv' },
        { data: bytes(`a,${'b,'.repeat(20_000)}\n1,2\n`), type: 'text/csv' },
      ),
      weight: 3,
    },
    {
      arbitrary: fc
        .uint8Array({ maxLength: 3000 })
        .map((data) => ({ data, type: 'application/octet-stream' })),
      weight: 1,
    },
    {
      arbitrary: fc
        .constant(null)
        .map(() => ({ data: new Uint8Array(spec.maxBytes + 1).fill(0x41), type: 'text/csv' })),
      weight: 1,
    },
  );
  const tableName = fc.constantFrom(
    'entries.csv',
    'judges.xlsx',
    'x.txt',
    '.csv',
    '中文名单.csv',
    '../x.csv',
    'a.XLSX',
    '__proto__.csv',
  );
  const [data, name] = spec.kind === 'photos' ? [photoData, photoName] : [tableData, tableName];
  return fc
    .tuple(
      data,
      name,
      fc.oneof(
        { arbitrary: fc.constant(spec.field), weight: 8 },
        { arbitrary: fc.constantFrom('wrong', 'photos', 'file', '__proto__', ''), weight: 1 },
      ),
    )
    .map(([d, fileName, field]) => ({ name: field, fileName, data: d.data, type: d.type }));
}

function multipartArb(spec: UploadSpec, world: World, kit: FileKit): fc.Arbitrary<Body> {
  const field = fc
    .tuple(
      fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.constantFrom('dryRun', 'replace', 'name')),
      fc.constantFrom(...ODD_STRINGS),
    )
    .map(([name, value]) => ({ name, value }));
  return fc
    .tuple(
      fc.array(fileArb(spec, world, kit), { minLength: 0, maxLength: Math.min(spec.maxFiles + 1, 4) }),
      fc.array(field, { maxLength: 7 }),
    )
    .map(([files, fields]): Body => ({ kind: 'multipart', parts: [...fields, ...files] }));
}

function bodyArb(
  route: RouteInfo,
  known: KnownSchemas,
  dict: Dictionary,
  world: World,
  kit: FileKit,
): fc.Arbitrary<{ body: Body | null; shape: string }> {
  const tag = (shape: string) => (body: Body | null) => ({ body, shape });
  const options: { arbitrary: fc.Arbitrary<{ body: Body | null; shape: string }>; weight: number }[] = [
    { arbitrary: fc.constant({ body: null, shape: 'none' }), weight: 1 },
    {
      arbitrary: hostileValue.map((value): Body => ({ kind: 'json', value })).map(tag('hostile')),
      weight: 2,
    },
    { arbitrary: rawBodies.map(tag('raw')), weight: 2 },
  ];
  if (known.body) {
    const valid = validFor(known.body, dict);
    options.push(
      { arbitrary: valid.map((value): Body => ({ kind: 'json', value })).map(tag('valid')), weight: 8 },
      {
        arbitrary: mutated(valid)
          .map((value): Body => ({ kind: 'json', value }))
          .map(tag('mutated')),
        weight: 8,
      },
    );
  } else {
    options.push({
      arbitrary: mutated(fc.jsonValue({ maxDepth: 2 }))
        .map((value): Body => ({ kind: 'json', value }))
        .map(tag('mutated')),
      weight: 2,
    });
  }
  if (route.upload)
    options.push({ arbitrary: multipartArb(route.upload, world, kit).map(tag('multipart')), weight: 14 });
  return fc.oneof(...options);
}

const headerArb: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      // Always drawn (the score routes require it): mostly valid, sometimes missing or hostile.
      idempotency: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 2 },
        { arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/), weight: 12 },
        {
          arbitrary: fc.constantFrom(
            '',
            'short',
            '$gt',
            '__proto__',
            'x'.repeat(200),
            'key with spaces',
            '{"$gt":""}',
          ),
          weight: 2,
        },
      ),
      ifNoneMatch: fc.constantFrom('*', '"x"', 'W/"x"', ''),
      cookie: fc.constantFrom(
        'pingxuan_sid=%E0%A4%A',
        `pingxuan_sid=${'a'.repeat(4000)}`,
        'pingxuan_sid=$gt',
        'pingxuan_sid={"$ne":null}',
        'pingxuan_sid=',
        '__proto__=x; constructor=y',
      ),
    },
    { requiredKeys: ['idempotency'] },
  )
  .map((h) => ({
    ...(h.idempotency !== undefined ? { 'idempotency-key': h.idempotency } : {}),
    ...(h.ifNoneMatch !== undefined ? { 'if-none-match': h.ifNoneMatch } : {}),
    ...(h.cookie !== undefined ? { cookie: h.cookie } : {}),
  }));

export const PERSONA_WEIGHTS: Record<Persona, number> = {
  admin: 4,
  organizer: 3,
  judge: 3,
  anonymous: 2,
  recorder: 2,
  schoolOrganizer: 2,
};

/** `admitted`: personas the route let past its access check before; they are sent three times as often. */
export function requestArb(
  route: RouteInfo,
  known: KnownSchemas,
  world: World,
  kit: FileKit,
  admitted: Set<Persona> = new Set(),
): fc.Arbitrary<FuzzRequest> {
  const persona = fc.oneof(
    ...PERSONAS.map((p) => ({
      arbitrary: fc.constant(p),
      weight: PERSONA_WEIGHTS[p] * (admitted.has(p) ? 3 : 1),
    })),
  );
  const canHaveBody = route.method !== 'GET' && route.method !== 'HEAD';
  // One contest per request: the path's ids are its own, and so (four times in five) are the body's.
  return fc
    .tuple(
      fc.nat({ max: world.contests.length - 1 }),
      fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, fc.constant(false)),
    )
    .chain(([contest, own]) => {
      const dict = own ? world.dicts[contest]! : world.dict;
      return fc.record({
        persona,
        path: pathArb(route, world, contest),
        query: queryArb(known, dict),
        body: canHaveBody
          ? bodyArb(route, known, dict, world, kit)
          : fc.constant({ body: null, shape: 'none' }),
        headers: headerArb,
      });
    })
    .map(({ persona, path, query, body, headers }) => {
      // Session cookies belong to personas; odd cookies are sent by the anonymous one only.
      if (persona !== 'anonymous') delete headers.cookie;
      return {
        persona,
        method: route.method,
        path,
        query: query.query,
        body: body.body,
        headers,
        shape: body.shape === 'none' ? `query:${query.shape}` : body.shape,
      };
    });
}
