/**
 * Conflicts of interest: a judge must never see (or score) an entry from the own school, from a school
 * declared as a conflict, or an entry named by code. Pure, so the server (assignment, blind views) and the
 * client (organizer preview) decide alike.
 */

export type ConflictJudge = {
  school?: string | null;
  conflictSchools?: readonly string[] | null;
  conflictEntryCodes?: readonly string[] | null;
};
export type ConflictEntry = { code: string; school?: string | null };

/**
 * School names as people type them: NFKC folds full-width letters, digits and brackets to half-width,
 * whitespace is dropped (Chinese names carry none, stray spaces are typos) and case is ignored.
 * When in doubt two names count as the same: an extra conflict costs one judge for one entry, a missed one
 * costs trust in the result.
 */
export function normalizeSchool(name: string | null | undefined): string {
  return (name ?? '').normalize('NFKC').replace(/\s+/gu, '').toLowerCase();
}

/** Entry codes compared the same forgiving way (trimmed, NFKC, case-insensitive). */
export function normalizeEntryCode(code: string | null | undefined): string {
  return (code ?? '').normalize('NFKC').trim().toLowerCase();
}

/** Precomputes a judge's normalized conflicts, for checking many entries. */
export function conflictChecker(judge: ConflictJudge): (entry: ConflictEntry) => boolean {
  const schools = new Set([judge.school ?? '', ...(judge.conflictSchools ?? [])].map(normalizeSchool).filter(Boolean));
  const codes = new Set((judge.conflictEntryCodes ?? []).map(normalizeEntryCode).filter(Boolean));
  return (entry) => {
    const school = normalizeSchool(entry.school);
    if (school && schools.has(school)) return true;
    const code = normalizeEntryCode(entry.code);
    return code !== '' && codes.has(code);
  };
}

/** True when the judge must not see this entry: own school, a declared school, or the entry's code. */
export function hasConflict(judge: ConflictJudge, entry: ConflictEntry): boolean {
  return conflictChecker(judge)(entry);
}
