// What the recorder's screens compute from the server's sheet; pure, so unit tests cover it.
import {
  measurementPoints,
  type MeasurementRule,
  type RecordingCell,
  type RecordingList,
} from '@pingxuan/shared';

export type RecordingCriterion = RecordingList['criteria'][number];
export type RecordingEntry = RecordingList['entries'][number];

/** How a cell stands for this recorder, in the order the screen explains it. */
export type CellState =
  | 'empty' // nobody has entered it
  | 'yourTurn' // double entry: another recorder entered it, this one has not
  | 'waiting' // double entry: this recorder entered it, waiting for the second
  | 'counted' // it counts (single entry, two agreeing readings)
  | 'disagreement' // two readings differ: nothing counts until the organizer decides
  | 'resolved' // the organizer decided: locked
  | 'full'; // two other recorders entered it: not this recorder's to enter

export function cellState(cell: RecordingCell | undefined, doubleEntry: boolean): CellState {
  if (!cell || cell.status === null) return 'empty';
  switch (cell.status) {
    case 'recorded':
    case 'agreed':
      return cell.own || !doubleEntry ? 'counted' : 'full';
    case 'pending':
      return cell.own ? 'waiting' : 'yourTurn';
    case 'disagreement':
      return cell.own ? 'disagreement' : 'full';
    case 'resolved':
      return 'resolved';
  }
}

/** Still this recorder's to enter (a disagreement is the organizer's to decide, though the recorder may correct it). */
export const needsRecorder = (s: CellState) => s === 'empty' || s === 'yourTurn';

/** Cells of one entry still needing this recorder, and disagreements, of all measured criteria. */
export function entryProgress(entry: RecordingEntry, criteria: RecordingCriterion[], doubleEntry: boolean) {
  const states = criteria.map((c) => cellState(entry.cells[c.id], doubleEntry));
  return {
    left: states.filter(needsRecorder).length,
    disagreements: states.filter((s) => s === 'disagreement').length,
    total: states.length,
  };
}

/** A refresh read before a save landed must not take the saved cell back: per cell, the higher version wins. */
export function newest(shown: RecordingList, fetched: RecordingList): RecordingList {
  const before = new Map(shown.entries.map((e) => [e.entryId, e.cells]));
  return {
    ...fetched,
    entries: fetched.entries.map((e) => {
      const old = before.get(e.entryId);
      if (!old) return e;
      const cells = Object.fromEntries(
        Object.entries(e.cells).map(([id, c]) => {
          const o = old[id];
          return [id, o && o.version > c.version ? o : c];
        }),
      );
      return { ...e, cells };
    }),
  };
}

/**
 * What a save would replace on the server: the recorder's own reading, or in single entry the counted value
 * (someone else's). Null when nothing would be overwritten (double entry keeps each recorder's reading apart).
 */
export function replacedValue(cell: RecordingCell, doubleEntry: boolean): number | null {
  return cell.own?.value ?? (doubleEntry ? null : cell.value);
}

/** Entries whose code contains the query (any case, ignoring spaces and dashes, as codes are read aloud). */
export function matchesCode(code: string, query: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[\s\-_]/g, '');
  const q = norm(query);
  return !q || norm(code).includes(q);
}

/**
 * The number typed on a phone's keypad: digits with one decimal point or comma, an optional minus.
 * Null when it is not such a number (the field says so; nothing is sent).
 */
export function parseValue(text: string): number | null {
  const s = text.trim().replace(/\s+/g, '').replace(',', '.');
  if (!/^[-−]?(\d+\.?\d*|\.\d+)$/.test(s)) return null;
  const n = Number(s.replace('−', '-'));
  return Number.isFinite(n) ? n : null;
}

/** Points for a value as the engine converts it; null when the rule takes no such value. */
export function previewPoints(c: RecordingCriterion, value: number | null): number | null {
  return value === null ? null : measurementPoints({ maxScore: c.maxScore, rule: c.rule }, value);
}

/** The unit the organizer gave the rule (s, mm, 个), if any. */
export function unitOf(rule: MeasurementRule): string | null {
  const unit = (rule as { unit?: unknown }).unit;
  return typeof unit === 'string' && unit.trim() ? unit.trim() : null;
}

/** Points shown with at most two decimals, as the scoring engine's totals are. */
export const roundPoints = (n: number) => Math.round(n * 100) / 100;

/** 32 hex digits from getRandomValues, which (unlike randomUUID) also works on a LAN over plain HTTP. */
export function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `r-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
