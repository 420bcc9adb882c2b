/** Placeholder until the settings screen lands (being built now). */
export function SettingsPage() {
  return null;
}
