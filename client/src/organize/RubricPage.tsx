/** Placeholder until the rubric screen lands (being built now). */
export function RubricPage() {
  return null;
}
