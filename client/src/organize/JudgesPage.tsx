/** Placeholder until the judges screen lands (being built now). */
export function JudgesPage() {
  return null;
}
