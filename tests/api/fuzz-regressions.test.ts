// Bugs the hostile-input fuzzer (fuzz.test.ts) found, each pinned by the request that showed it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshot, startTestApp, type Client, type TestApp } from './harness.js';

let t: TestApp;
let admin: Client;
let contestId: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signedIn('fuzz-regressions', { isAdmin: true });
  const created = await admin.post('/api/contests', { name: '回归测试' });
  expect(created.status).toBe(201);
  contestId = created.body.id;
});
afterAll(async () => t?.close());

describe('multipart bodies busboy cannot read', () => {
  // Were 500 "Internal server error": multer passes busboy's parse errors on as plain errors.
  const bodies = (field: string): [string, string, RegExp][] => [
    [
      'multipart/form-data; boundary=zzz',
      '--zzz\r\nnot a header\r\n\r\nx\r\n--zzz--\r\n',
      /Malformed part header/,
    ],
    [
      'multipart/form-data; boundary=zzz',
      '--zzz\r\nContent-Disposition: form-data; name="a\u0000b"\r\n\r\nx\r\n--zzz--\r\n',
      /Malformed part header/,
    ],
    [
      'multipart/form-data; boundary=zzz',
      `--zzz\r\nContent-Disposition: form-data; name="${field}"; filename="a.csv"\r\n\r\nabc`,
      /Unexpected end of form/,
    ],
    ['multipart/form-data', 'no boundary at all', /Boundary not found/],
  ];
  const routes: [string, string][] = [
    ['entries/import', 'file'],
    ['judges/import', 'file'],
    ['photos', 'photos'],
  ];
  for (const [route, field] of routes)
    for (const [type, text, reason] of bodies(field))
      it(`POST .../${route} with ${JSON.stringify(text.slice(0, 40))} is a 400 naming "${field}" and changes nothing`, async () => {
        const before = await snapshot(t.conn);
        const r = await admin.post(`/api/contests/${contestId}/${route}`, text, { 'content-type': type });
        expect(r.status, JSON.stringify(r.body)).toBe(400);
        expect(r.body.error.message).toMatch(reason);
        expect(r.body.error.fields).toEqual([{ path: field, message: 'malformed multipart body' }]);
        expect(await snapshot(t.conn)).toBe(before);
      });

  it('a photo route given an entry upload with a NUL in a field name (as the fuzzer sent it) answers 400', async () => {
    const fd = new FormData();
    fd.append('a\u0000b', '𠀀𠀁');
    fd.append('photos', new Blob([new Uint8Array(287)]), '__proto__.jpg');
    const r = await admin.post(`/api/contests/${contestId}/entries/${'0'.repeat(24)}/photos`, fd);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
  });
});

describe('sign-in bodies whose name is an object', () => {
  // Was a 500: the rate limiter keyed on String(username) before validation, and an object whose own
  // toString is not a function cannot be turned into a string.
  for (const [route, body] of [
    ['/api/auth/login', '{"username":{"toString":"fz-plain"},"password":"x"}'],
    ['/api/auth/login', '{"username":{"toString":1,"valueOf":2},"password":"x"}'],
    ['/api/auth/code-login', '{"code":{"toString":"fz-plain"}}'],
  ] as const)
    it(`${route} with ${body} is a 400 naming the field`, async () => {
      const before = await snapshot(t.conn);
      const r = await t.client().post(route, body, { 'content-type': 'application/json' });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.fields.map((f: { path: string }) => f.path)).toContain(
        route.endsWith('code-login') ? 'body.code' : 'body.username',
      );
      expect(await snapshot(t.conn)).toBe(before);
    });
});

describe('text that is not valid Unicode', () => {
  // Was accepted (201) and stored with U+FFFD in place of the lone surrogate, so the stored text differed
  // from the answer and the audit event's hash no longer matched: /admin/audit/verify said "event edited".
  const cases: [string, string][] = [
    ['{"name":"x\\ud800y"}', 'body.name'],
    ['{"name":"ok","categories":[{"id":"a","name":{"zh":"\\udfff"}}]}', 'body.categories.0.name.zh'],
    ['{"name":"ok","\\udc00":1}', 'body.\ufffd'],
  ];
  for (const [json, path] of cases)
    it(`POST /api/contests with ${json} is a 400 naming ${path} and changes nothing`, async () => {
      const before = await snapshot(t.conn);
      const r = await admin.post('/api/contests', json, { 'content-type': 'application/json' });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.fields).toEqual([{ path, message: 'invalid Unicode' }]);
      expect(await snapshot(t.conn)).toBe(before);
      expect((await admin.get('/api/admin/audit/verify')).body).toMatchObject({ ok: true });
    });

  it('takes characters outside the basic plane (surrogate pairs) as they are', async () => {
    const r = await admin.post('/api/contests', { name: '𠀀板书😀', description: '👩‍👩‍👧‍👦' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect((await admin.get(`/api/contests/${r.body.id}`)).body.name).toBe('𠀀板书😀');
  });

  it('walks a body nested a hundred thousand levels deep without overflowing the stack', async () => {
    const r = await admin.post('/api/contests', '['.repeat(100_000) + ']'.repeat(100_000), {
      'content-type': 'application/json',
    });
    expect(r.status).toBe(400);
  });

  it('keeps the audit chain verifiable when an event carries ill-formed text from elsewhere (an import, say)', async () => {
    await t.ctx.audit.append({
      actor: null,
      action: 'test.unicode',
      target: { type: 'test' },
      after: JSON.parse('{"title":"x\\ud800","k\\udc00":["\\udfff"]}'),
    });
    expect((await admin.get('/api/admin/audit/verify')).body).toMatchObject({ ok: true });
  });
});
