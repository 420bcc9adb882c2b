import type { Me } from '@pingxuan/shared';

/** Where a user lands after signing in: organizers to the contest list, judges to their judging page. */
export function homeFor(me: Me): string {
  const organizes = me.isAdmin || me.memberships.some((m) => m.role === 'organizer');
  const judging = [...new Set(me.memberships.filter((m) => m.role === 'judge').map((m) => m.contestId))];
  if (!organizes && judging.length === 1) return `/judge/${encodeURIComponent(judging[0]!)}`;
  return '/contests';
}

/** Only same-site paths are followed after sign-in (no `//evil.example`). */
export function safeNext(next: string | null): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  return next;
}
