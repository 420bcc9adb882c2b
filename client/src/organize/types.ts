// Shapes of the organizer API answers this console reads (the server builds them; shared has no schema yet).
import type { ContestStatus, Distribution, EntryResult, JudgeStatistics, ResultFlag } from '@pingxuan/shared';

export type Named = { zh: string; en?: string | null };

export type JudgeProgress = {
  judgeId: string;
  name: string;
  panelId: string | null;
  panelName: string | null;
  active: boolean;
  assigned: number;
  submitted: number;
  drafts: number;
  /** Submitted share of assigned work, 0..1. */
  done: number;
  lastActivityAt: string | null;
  behind: boolean;
};

/** GET /contests/:id/progress */
export type ProgressReport = {
  roundId: string;
  status: ContestStatus;
  totals: { entries: number; assignments: number; submitted: number; drafts: number };
  entries: { complete: number; started: number; notStarted: number; unassigned: number };
  categories: { category: string | null; entries: number; complete: number }[];
  panels: {
    panelId: string | null;
    panelName: string | null;
    judges: number;
    assigned: number;
    submitted: number;
    drafts: number;
    done: number;
  }[];
  judges: JudgeProgress[];
};

export type ResultsSummary = {
  roundId: string;
  engineVersion: string;
  computedAt: string;
  counts: { entries: number; ranked: number; incomplete: number; scores: number };
  criteria: { id: string; name: Named; weight: number; maxScore: number }[];
  tiers: { id: string; name: Named; count: number; quota: number | null; cutoffScore: number | null }[];
  judges: (JudgeStatistics & { name: string })[];
  reliability: { judges: { id: string; name: string }[]; entryCount: number; icc: number | null }[];
  distributions: { score: Distribution; criteria: Record<string, Distribution> };
};

export type ResultRow = Omit<EntryResult, 'judgeTotals'> & {
  code: string;
  title: string;
  teacherName: string;
  school: string;
  subject: string | null;
  judgeTotals: (EntryResult['judgeTotals'][number] & { judgeName: string })[];
};

/** GET /contests/:id/results */
export type ResultsPage = {
  summary: ResultsSummary;
  status: ContestStatus;
  total: number;
  offset: number;
  entries: ResultRow[];
};

export type { ResultFlag };

/** GET /contests/:id/audit */
export type AuditEvent = {
  seq: number;
  at: string;
  actor: { userId: string | null; username: string | null };
  action: string;
  contestId: string | null;
  target: { type: string; id: string | null };
  before: unknown;
  after: unknown;
  ip: string | null;
  hash: string;
};
export type AuditPage = { events: AuditEvent[]; nextBefore: number | null };

export type ImportCheck = { dryRun: boolean; imported: number; wouldImport: number };
