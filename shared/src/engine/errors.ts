export interface ScoringProblem {
  path: (string | number)[];
  message: string;
}

const SHOWN_IN_MESSAGE = 20;

/** Thrown instead of a partial result; `problems` lists every problem found, not just the first. */
export class ScoringInputError extends Error {
  readonly problems: ScoringProblem[];

  constructor(problems: ScoringProblem[]) {
    const lines = problems.slice(0, SHOWN_IN_MESSAGE).map((p) => `  ${formatPath(p.path)}: ${p.message}`);
    if (problems.length > SHOWN_IN_MESSAGE)
      lines.push(`  ... and ${problems.length - SHOWN_IN_MESSAGE} more`);
    super(
      `Invalid scoring input (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.name = 'ScoringInputError';
    this.problems = problems;
  }
}

export function formatPath(path: (string | number)[]): string {
  if (path.length === 0) return '(input)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
