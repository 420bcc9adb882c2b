import type { ContestForMember } from '@pingxuan/shared';

/** The school a caller sees this contest through, or null when they organize the whole of it. */
export function schoolScopeOf(
  contest: Pick<ContestForMember, 'roles' | 'school'>,
  isAdmin: boolean | undefined,
): string | null {
  if (isAdmin || contest.roles.includes('organizer')) return null;
  return contest.roles.includes('schoolOrganizer') ? (contest.school ?? '') : null;
}

/** Pages of a contest a school organizer may use; the server refuses them everything else. */
export const SCHOOL_PAGES = ['entries', 'entries/import', 'results'] as const;
