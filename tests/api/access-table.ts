// Who may call what: the one table tests/api/access.test.ts holds the real app to. A route missing here fails
// that test, so every new route has to be classified on purpose.

/** The callers every route is tried with, all relative to one seeded contest. */
export const CALLERS = [
  'anonymous',
  /** An account with no membership anywhere. */
  'signedIn',
  /** A member of the contest with the role teacher. */
  'teacher',
  /** An active judge of the contest. */
  'judge',
  /** A member of the contest with the role recorder (enters measured values). */
  'recorder',
  /** A school organizer of the contest: its own school's entries (all of the seeded ones) and their ranking. */
  'schoolOrganizer',
  /** An organizer of the contest. */
  'organizer',
  /** An organizer of another contest only. */
  'otherOrganizer',
  /** An administrator with no membership: counts as organizer of every contest. */
  'admin',
] as const;
export type Caller = (typeof CALLERS)[number];

export type Rule = {
  /** Callers answered on the merits: never 401 or 403. Everyone else gets 401 (anonymous) or 403. */
  allow: readonly Caller[];
  /**
   * Access that rests on more than the caller: a secret in the request (the teacher's feedback link, a judge's
   * printed sign-in code, a password) or the contest being published (404 for everyone until then), or the
   * organizer having turned the venue scoreboard on (404 for everyone until then).
   */
  gate?: 'feedbackToken' | 'signInCode' | 'password' | 'published' | 'scoreboard';
  /** Ends the caller's session, so it is tried on a session of its own. */
  endsSession?: true;
};

const everyone: readonly Caller[] = CALLERS;
const accounts: readonly Caller[] = CALLERS.filter((c) => c !== 'anonymous');
const organizers: readonly Caller[] = ['organizer', 'admin'];
const judges: readonly Caller[] = ['judge'];
/** Organizers and school organizers: the entry routes, limited to the school organizer's own school. */
const orSchool: readonly Caller[] = ['schoolOrganizer', 'organizer', 'admin'];

export const ACCESS_TABLE: Record<string, Rule> = {
  'GET /api/health': { allow: everyone },

  // Accounts and sessions
  'POST /api/auth/login': { allow: everyone, gate: 'password' },
  'POST /api/auth/code-login': { allow: everyone, gate: 'signInCode' },
  'POST /api/auth/logout': { allow: accounts, endsSession: true },
  'GET /api/auth/me': { allow: accounts },
  'POST /api/auth/password': { allow: accounts, gate: 'password' },
  'POST /api/admin/users': { allow: ['admin'] },
  'GET /api/admin/users': { allow: ['admin'] },
  'PATCH /api/admin/users/:userId': { allow: ['admin'] },
  'GET /api/admin/audit/verify': { allow: ['admin'] },

  // Contests, rubric, members
  'POST /api/contests': { allow: ['admin'] },
  'GET /api/contests': { allow: accounts },
  'GET /api/contests/:contestId': {
    allow: ['teacher', 'judge', 'recorder', 'schoolOrganizer', 'organizer', 'admin'],
  },
  'PATCH /api/contests/:contestId': { allow: organizers },
  'POST /api/contests/:contestId/status': { allow: organizers },
  'GET /api/contests/:contestId/rounds/:roundId/rubric': { allow: ['judge', 'organizer', 'admin'] },
  'PUT /api/contests/:contestId/rounds/:roundId/rubric': { allow: organizers },
  'GET /api/contests/:contestId/members': { allow: organizers },
  'POST /api/contests/:contestId/members': { allow: organizers },
  'DELETE /api/contests/:contestId/members/:membershipId': { allow: organizers },
  'POST /api/contests/:contestId/members/:membershipId/sign-in-code': { allow: organizers },
  'GET /api/contests/:contestId/audit': { allow: organizers },

  // Judges and panels
  'GET /api/contests/:contestId/judges': { allow: organizers },
  'POST /api/contests/:contestId/judges': { allow: organizers },
  'POST /api/contests/:contestId/judges/import': { allow: organizers },
  'POST /api/contests/:contestId/judges/sign-in-codes': { allow: organizers },
  'GET /api/contests/:contestId/judges/:judgeId': { allow: organizers },
  'PATCH /api/contests/:contestId/judges/:judgeId': { allow: organizers },
  'DELETE /api/contests/:contestId/judges/:judgeId': { allow: organizers },
  'PUT /api/contests/:contestId/judges/:judgeId/conflicts': { allow: organizers },
  'GET /api/contests/:contestId/judges/:judgeId/conflicting-entries': { allow: organizers },
  'POST /api/contests/:contestId/judges/:judgeId/sign-in-code': { allow: organizers },
  'POST /api/contests/:contestId/judges/:judgeId/replace': { allow: organizers },
  'GET /api/contests/:contestId/panels': { allow: organizers },
  'POST /api/contests/:contestId/panels': { allow: organizers },
  'PATCH /api/contests/:contestId/panels/:panelId': { allow: organizers },
  'DELETE /api/contests/:contestId/panels/:panelId': { allow: organizers },
  'POST /api/contests/:contestId/panels/:panelId/judges': { allow: organizers },

  // Entries and photos
  'GET /api/contests/:contestId/entries': { allow: orSchool },
  'POST /api/contests/:contestId/entries': { allow: orSchool },
  'GET /api/contests/:contestId/entries/import-template': { allow: orSchool },
  'POST /api/contests/:contestId/entries/import': { allow: orSchool },
  'POST /api/contests/:contestId/entries/feedback-links': { allow: organizers },
  'POST /api/contests/:contestId/photos': { allow: organizers },
  'GET /api/contests/:contestId/entries/:entryId': { allow: orSchool },
  'PATCH /api/contests/:contestId/entries/:entryId': { allow: orSchool },
  'POST /api/contests/:contestId/entries/:entryId/withdraw': { allow: orSchool },
  'POST /api/contests/:contestId/entries/:entryId/restore': { allow: orSchool },
  'POST /api/contests/:contestId/entries/:entryId/photos': { allow: orSchool },
  'DELETE /api/contests/:contestId/entries/:entryId/photos/:photoId': { allow: orSchool },
  // Judges see the photos of the entries assigned to them (the service answers 404 for the others).
  // School organizers see their own school's (404 for the others).
  'GET /api/contests/:contestId/entries/:entryId/photos/:photoId': {
    allow: ['judge', 'schoolOrganizer', 'organizer', 'admin'],
  },

  // Judging
  'GET /api/contests/:contestId/judging': { allow: judges },
  'GET /api/contests/:contestId/judging/entries/:entryId': { allow: judges },
  'PUT /api/contests/:contestId/judging/entries/:entryId/score': { allow: judges },
  'POST /api/contests/:contestId/judging/entries/:entryId/submit': { allow: judges },
  'POST /api/contests/:contestId/scores/:scoreId/reopen': { allow: organizers },
  'GET /api/contests/:contestId/scores': { allow: organizers },
  'GET /api/contests/:contestId/progress': { allow: organizers },

  // Measurements (skills contests): recorders enter values, organizers follow and decide them
  'GET /api/contests/:contestId/recording': { allow: ['recorder'] },
  'PUT /api/contests/:contestId/measurements/:entryId/:criterionId': { allow: ['recorder'] },
  'GET /api/contests/:contestId/measurements': { allow: organizers },
  'POST /api/contests/:contestId/measurements/:entryId/:criterionId/resolve': { allow: organizers },

  // Assignments
  'POST /api/contests/:contestId/assignments': { allow: organizers },
  'GET /api/contests/:contestId/assignments': { allow: organizers },
  'POST /api/contests/:contestId/assignments/extra': { allow: organizers },
  'GET /api/contests/:contestId/assignments/calibration': { allow: organizers },
  'POST /api/contests/:contestId/assignments/calibration/release': { allow: organizers },
  'POST /api/contests/:contestId/advancement': { allow: organizers },
  'GET /api/contests/:contestId/advancements': { allow: organizers },
  'GET /api/contests/:contestId/advancements/:advancementId/export': { allow: organizers },

  // Results and certificates
  // School organizers: their own school's ranking, without judges' names or statistics.
  'GET /api/contests/:contestId/results': { allow: orSchool },
  'GET /api/contests/:contestId/results/export': { allow: orSchool },
  'GET /api/contests/:contestId/certificates': { allow: organizers },
  'GET /api/contests/:contestId/certificates/:entryId': { allow: organizers },

  // Teachers' feedback: the link is the key
  'GET /api/feedback/:token': { allow: everyone, gate: 'feedbackToken' },
  'GET /api/feedback/:token/photos/:photoId': { allow: everyone, gate: 'feedbackToken' },

  // Public pages: everyone, once published
  'GET /api/public/contests': { allow: everyone },
  'GET /api/public/contests/:contestId/winners': { allow: everyone, gate: 'published' },
  'GET /api/public/contests/:contestId/showcase': { allow: everyone, gate: 'published' },
  'GET /api/public/contests/:contestId/scoreboard': { allow: everyone, gate: 'scoreboard' },
  'GET /api/public/contests/:contestId/entries/:entryId/photos/:photoId': {
    allow: everyone,
    gate: 'published',
  },
};
