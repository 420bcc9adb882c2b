import type { ScoringProblem } from '../engine/errors.js';

export type AssignmentInputProblem = ScoringProblem;

const SHOWN_IN_MESSAGE = 20;

/** Thrown instead of a partial plan; `problems` lists every problem found, not just the first. */
export class AssignmentInputError extends Error {
  readonly problems: AssignmentInputProblem[];

  constructor(problems: AssignmentInputProblem[]) {
    const lines = problems.slice(0, SHOWN_IN_MESSAGE).map((p) => `  ${formatPath(p.path)}: ${p.message}`);
    if (problems.length > SHOWN_IN_MESSAGE)
      lines.push(`  ... and ${problems.length - SHOWN_IN_MESSAGE} more`);
    super(
      `Invalid assignment input (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.name = 'AssignmentInputError';
    this.problems = problems;
  }
}

function formatPath(path: (string | number)[]): string {
  if (path.length === 0) return '(input)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Parses with zod and turns its issues into AssignmentInputError. */
export function parseOrThrow<T>(
  schema: {
    safeParse(
      input: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  input: unknown,
): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new AssignmentInputError(
    parsed.error.issues.map((issue) => ({
      path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
      message: issue.message,
    })),
  );
}
