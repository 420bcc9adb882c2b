/** Placeholder until the entries screen lands (being built now). */
export function EntriesPage() {
  return null;
}
