/** Placeholder until the assignments screen lands (being built now). */
export function AssignmentsPage() {
  return null;
}
