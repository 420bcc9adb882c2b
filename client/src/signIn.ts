import type { Me } from '@pingxuan/shared';
import { api } from './api';

const pending = new Map<string, Promise<Me>>();

/**
 * Redeems a one-time sign-in code. A code works once, so a second call with the same code (React's strict
 * mode runs effects twice in development, a double tap on a tablet) shares the first request.
 */
export function redeemCode(code: string): Promise<Me> {
  const key = code.trim();
  let p = pending.get(key);
  if (!p) {
    p = api.post<Me>('/auth/code-login', { code: key });
    pending.set(key, p);
    // Kept a moment after success to absorb the repeat; dropped at once on failure so a retry really retries.
    p.then(
      () => setTimeout(() => pending.delete(key), 5_000),
      () => pending.delete(key),
    );
  }
  return p;
}

/** The contest a judge's code belongs to: the one judge membership, if there is exactly one. */
export function judgeContest(me: Me): string | null {
  const ids = [...new Set(me.memberships.filter((m) => m.role === 'judge').map((m) => m.contestId))];
  return ids.length === 1 ? ids[0]! : null;
}
