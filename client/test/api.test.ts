import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, asApiError, errorFromResponse } from '../src/api';
import { homeFor, safeNext } from '../src/routing';
import type { Role } from '@pingxuan/shared';

afterEach(() => vi.unstubAllGlobals());

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('api', () => {
  it('sends JSON with same-origin credentials to /api and returns the parsed answer', async () => {
    const fetchMock = vi.fn(async () => json(200, { ok: 1 }));
    vi.stubGlobal('fetch', fetchMock);
    await expect(api.post('/auth/login', { username: 'a' })).resolves.toEqual({ ok: 1 });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/auth/login');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{"username":"a"}' });
    expect((init.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('turns the server error body into an ApiError with status, code and fields', async () => {
    vi.stubGlobal('fetch', async () =>
      json(400, {
        error: {
          code: 'bad_request',
          message: 'body.username: too short',
          fields: [{ path: 'body.username', message: 'too short' }],
        },
      }),
    );
    const err = await api.post('/auth/login', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect([e.status, e.code, e.fields.length]).toEqual([400, 'bad_request', 1]);
    expect(e.fieldMessage('username')).toBe('too short');
    expect(e.fieldMessage('password')).toBeUndefined();
  });

  it('keeps extra error details (409 current) and survives bodies that are not ours', () => {
    const e = errorFromResponse(409, {
      error: { code: 'conflict', message: 'stale', current: { version: 3 } },
    });
    expect(e.details).toEqual({ current: { version: 3 } });
    const odd = errorFromResponse(502, '<html>');
    expect([odd.status, odd.code]).toEqual([502, 'http_502']);
  });

  it('reports an unreachable server as status 0', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const e = await api.get<never>('/contests').catch(asApiError);
    expect(e.isNetwork).toBe(true);
    expect(e.status).toBe(0);
  });

  it('answers 204 without a body', async () => {
    vi.stubGlobal('fetch', async () => new Response(null, { status: 204 }));
    await expect(api.post('/auth/logout')).resolves.toBeUndefined();
  });
});

describe('routing after sign-in', () => {
  const me = (isAdmin: boolean, memberships: { contestId: string; role: Role }[]) => ({
    id: 'u',
    username: 'u',
    displayName: 'U',
    isAdmin,
    memberships,
  });

  it('sends organizers and admins to the contest list and a judge of one contest to its judging page', () => {
    expect(homeFor(me(true, []))).toBe('/contests');
    expect(
      homeFor(
        me(false, [
          { contestId: 'c1', role: 'organizer' },
          { contestId: 'c2', role: 'judge' },
        ]),
      ),
    ).toBe('/contests');
    expect(homeFor(me(false, [{ contestId: 'c2', role: 'judge' }]))).toBe('/judge/c2');
    expect(
      homeFor(
        me(false, [
          { contestId: 'c2', role: 'judge' },
          { contestId: 'c3', role: 'judge' },
        ]),
      ),
    ).toBe('/contests');
  });

  it('sends a user who only records for one contest to its recording screen', () => {
    expect(homeFor(me(false, [{ contestId: 'c4', role: 'recorder' }]))).toBe('/record/c4');
    expect(
      homeFor(
        me(false, [
          { contestId: 'c4', role: 'recorder' },
          { contestId: 'c5', role: 'recorder' },
        ]),
      ),
    ).toBe('/contests');
    // Recording besides another role: the contest list offers both.
    expect(
      homeFor(
        me(false, [
          { contestId: 'c4', role: 'recorder' },
          { contestId: 'c4', role: 'teacher' },
        ]),
      ),
    ).toBe('/contests');
    expect(homeFor(me(true, [{ contestId: 'c4', role: 'recorder' }]))).toBe('/contests');
  });

  it('sends a user who only looks after a school in one contest to that school’s entries', () => {
    expect(homeFor(me(false, [{ contestId: 'c6', role: 'schoolOrganizer' }]))).toBe('/contests/c6/entries');
    expect(
      homeFor(
        me(false, [
          { contestId: 'c6', role: 'schoolOrganizer' },
          { contestId: 'c7', role: 'schoolOrganizer' },
        ]),
      ),
    ).toBe('/contests');
    expect(
      homeFor(
        me(false, [
          { contestId: 'c6', role: 'schoolOrganizer' },
          { contestId: 'c6', role: 'organizer' },
        ]),
      ),
    ).toBe('/contests');
    expect(homeFor(me(true, [{ contestId: 'c6', role: 'schoolOrganizer' }]))).toBe('/contests');
  });

  it('follows only same-site paths in ?next=', () => {
    expect(safeNext('/contests/abc')).toBe('/contests/abc');
    expect(safeNext('//evil.example/x')).toBeNull();
    expect(safeNext('/\\evil.example')).toBeNull();
    expect(safeNext('https://evil.example')).toBeNull();
    expect(safeNext(null)).toBeNull();
  });
});
