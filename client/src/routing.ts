import type { Me } from '@pingxuan/shared';

/**
 * Where a user lands after signing in: organizers to the contest list, judges to their judging page, a
 * recorder who is nothing else to the recording screen of their one contest, a school organizer who is
 * nothing else to their school's entries of their one contest.
 */
export function homeFor(me: Me): string {
  const organizes = me.isAdmin || me.memberships.some((m) => m.role === 'organizer');
  const contestsAs = (role: string) => [
    ...new Set(me.memberships.filter((m) => m.role === role).map((m) => m.contestId)),
  ];
  const judging = contestsAs('judge');
  if (!organizes && judging.length === 1) return `/judge/${encodeURIComponent(judging[0]!)}`;
  const recording = contestsAs('recorder');
  const onlyRecorder = me.memberships.every((m) => m.role === 'recorder');
  if (!organizes && onlyRecorder && recording.length === 1)
    return `/record/${encodeURIComponent(recording[0]!)}`;
  const schools = contestsAs('schoolOrganizer');
  const onlySchool = me.memberships.every((m) => m.role === 'schoolOrganizer');
  if (!organizes && onlySchool && schools.length === 1)
    return `/contests/${encodeURIComponent(schools[0]!)}/entries`;
  return '/contests';
}

/** Only same-site paths are followed after sign-in (no `//evil.example`). */
export function safeNext(next: string | null): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  return next;
}
