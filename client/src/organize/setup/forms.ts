// Pure helpers of the set-up screens (contest, rubric, entries, judges), free of React for unit tests.
import type { ApiError } from '../../api';

/** Messages by field path, as `settings.tiers.0.quota` (zod paths joined with dots, no `body.`). */
export type FieldErrors = Record<string, string>;

/** The parts of a zod issue the screens read; structural, so no direct dependency on zod here. */
export type Issue = {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  expected?: string;
  format?: string;
};

export type IssueText =
  | { key: 'required' | 'number' | 'integer' | 'format' | 'code' | 'choice' | 'tierRule' | 'steps' }
  | { key: 'duplicateId' | 'bestWorst' | 'bandOrder' | 'needsRule' | 'noRule' }
  | { key: 'bandPoints' | 'bandOverlap'; n: number }
  | {
      key: 'minLength' | 'maxLength' | 'min' | 'max' | 'above' | 'below' | 'minItems' | 'maxItems';
      n: number;
    }
  | { key: 'server'; message: string };

export const pathKey = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/**
 * What a zod issue means in the organizer's words: a key of the `setup:errors` texts (the schemas'
 * own messages are English), or the schema's message when it has no better name.
 */
export function describeIssue(issue: Issue): IssueText {
  const n = Number(issue.minimum ?? issue.maximum ?? 0);
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return n <= 1 ? { key: 'required' } : { key: 'minLength', n };
      if (issue.origin === 'array') return { key: 'minItems', n };
      return issue.inclusive === false ? { key: 'above', n } : { key: 'min', n };
    case 'too_big':
      if (issue.origin === 'string') return { key: 'maxLength', n };
      if (issue.origin === 'array') return { key: 'maxItems', n };
      return issue.inclusive === false ? { key: 'below', n } : { key: 'max', n };
    case 'invalid_type':
      if (issue.expected === 'int') return { key: 'integer' };
      if (issue.expected === 'number') return { key: 'number' };
      return { key: 'required' };
    case 'invalid_format':
      // The only pattern the set-up schemas use is the code pattern (ids, entry codes).
      return issue.format === 'regex' ? { key: 'code' } : { key: 'format' };
    case 'invalid_value':
      return { key: 'choice' };
    case 'custom':
      if (/needs a quota, a share or a minScore/.test(issue.message)) return { key: 'tierRule' };
      if (/whole number of steps/.test(issue.message)) return { key: 'steps' };
      if (/^duplicate .* id/.test(issue.message)) return { key: 'duplicateId' };
      return ruleIssue(issue.message) ?? { key: 'server', message: issue.message };
    default:
      return { key: 'server', message: issue.message };
  }
}

/** The measurement rule checks of shared/engine/measurement.ts, by their (English) messages. */
export function ruleIssue(message: string): IssueText | null {
  if (message === 'best and worst must differ') return { key: 'bestWorst' };
  if (message === 'max must be above min') return { key: 'bandOrder' };
  if (message === 'a measurement criterion needs a rule') return { key: 'needsRule' };
  if (message === 'only measurement criteria take a rule') return { key: 'noRule' };
  const points = /^must be between 0 and maxScore \((.+)\)$/.exec(message);
  if (points) return { key: 'bandPoints', n: Number(points[1]) };
  // Bands are numbered from 1 on screen, from 0 in the schema's message.
  const overlap = /^overlaps band (\d+)$/.exec(message);
  if (overlap) return { key: 'bandOverlap', n: Number(overlap[1]) + 1 };
  return null;
}

/** One message per field (the first issue of each path), in the order of the issues. */
export function issueErrors(issues: readonly Issue[], text: (issue: Issue) => string): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = pathKey(issue.path);
    if (!(key in out)) out[key] = text(issue);
  }
  return out;
}

/**
 * The fields a refusal names: the 400's `fields` (paths like `body.settings.tiers.0.id`), or the single
 * `field` some 409s carry (a username or panel name already taken), without the `body.` in front.
 */
export function serverErrors(error: ApiError): FieldErrors {
  const out: FieldErrors = {};
  const strip = (p: string) => p.replace(/^(body|query|params)\./, '');
  for (const f of error.fields) {
    const key = strip(f.path);
    if (!(key in out)) out[key] = f.message;
  }
  const field = error.details.field;
  if (typeof field === 'string' && field) {
    const key = strip(field);
    // The message reads `body.username: "x" is already …`; the input shows only what follows the path.
    if (!(key in out)) out[key] = error.message.replace(/^[\w.]+:\s*/, '');
  }
  return out;
}

/** Messages for a field and everything under it (`conflictEntryCodes` collects `conflictEntryCodes.2`). */
export function errorsUnder(errors: FieldErrors, prefix: string): string[] {
  return Object.entries(errors)
    .filter(([k]) => k === prefix || k.startsWith(`${prefix}.`))
    .map(([, v]) => v);
}

/** A list item's index in a path under `prefix` (`criteria.3.weight` → 3), or null. */
export function indexUnder(path: string, prefix: string): number | null {
  if (!path.startsWith(`${prefix}.`)) return null;
  const n = Number(path.slice(prefix.length + 1).split('.')[0]);
  return Number.isInteger(n) ? n : null;
}

/** The list with item `i` moved by `delta` places (clamped at the ends); a new array. */
export function moveItem<T>(list: readonly T[], i: number, delta: number): T[] {
  const j = Math.max(0, Math.min(list.length - 1, i + delta));
  if (i < 0 || i >= list.length || i === j) return [...list];
  const out = [...list];
  const [item] = out.splice(i, 1);
  out.splice(j, 0, item as T);
  return out;
}

/** A number input's text as a number: blank is undefined (left out), anything else as typed (NaN stays NaN). */
export function numberOrUndefined(text: string): number | undefined {
  const s = text.trim();
  return s === '' ? undefined : Number(s);
}

/** A list typed one per line (or separated by commas and semicolons, full-width too): trimmed, blanks dropped. */
export function splitLines(text: string): string[] {
  return text
    .split(/[\n;,；，、]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Bilingual text of an input pair: English left out when blank, as the server stores it. */
export function bilingual(zh: string, en: string): { zh: string; en?: string } {
  return en.trim() ? { zh, en } : { zh };
}

/** A share 0..1 shown as a percentage and back, without 0.1 × 100 = 10.000000000000002. */
export const shareToPercent = (share: number): number => Math.round(share * 1e8) / 1e6;
export const percentToShare = (percent: number): number => Math.round(percent * 1e6) / 1e8;

/** Splits a list into batches of at most `size` (bulk photo uploads go 50 files per request). */
export function batches<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

let seq = 0;
/** A key for a row being edited (rows move, so their index cannot be the key). */
export const rowKey = (): string => `r${++seq}`;

/**
 * Names a field path for the error summary: list items by their position (`tiers.2.quota` → "Tier 3 ·
 * Quota"), other fields by their label; an unknown path is shown as it is.
 */
export function describePath(
  path: string,
  lists: Record<string, (index: number) => string>,
  fields: Record<string, string>,
): string {
  for (const [prefix, item] of Object.entries(lists)) {
    const i = indexUnder(path, prefix);
    if (i === null) continue;
    const rest = path
      .split('.')
      .slice(prefix.split('.').length + 1)
      .join('.');
    return rest ? `${item(i)} · ${fields[rest] ?? rest}` : item(i);
  }
  return fields[path] ?? path;
}

export type ServerText = { key: ServerKey; values: Record<string, string> };
type ServerKey =
  | 'noEntryCode'
  | 'panelTaken'
  | 'alreadyJudge'
  | 'accountDisabled'
  | 'noPanel'
  | 'notCriterion'
  | 'noCategory'
  | 'noSubject'
  | 'codeTaken'
  | 'codeFixed'
  | 'conflictAssigned'
  | 'notJudge'
  | 'deactivated';

/** The server's field messages (English, from its checks against the database) that have a name here. */
const SERVER_MESSAGES: [RegExp, ServerKey, string[]][] = [
  [/^no entry with code "(.+)" in this contest$/, 'noEntryCode', ['code']],
  [/^a panel named "(.+)" already exists$/, 'panelTaken', ['name']],
  [/^"(.+)" is already a judge of this contest$/, 'alreadyJudge', ['username']],
  [/^the account "(.+)" is disabled$/, 'accountDisabled', ['username']],
  [/^no such panel in this contest$/, 'noPanel', []],
  [/^"(.+)" is not a criterion of any rubric$/, 'notCriterion', ['id']],
  [/^no category "(.+?)" in this contest/, 'noCategory', ['id']],
  [/^no subject "(.+?)" in this contest/, 'noSubject', ['id']],
  [/^code "(.+)" is already an entry of this contest$/, 'codeTaken', ['code']],
  [/^entry codes are fixed once judging has started/, 'codeFixed', []],
  [/^assigned judge\(s\) (.+) would have a conflict of interest/, 'conflictAssigned', ['names']],
  [/^not a judge of this contest$/, 'notJudge', []],
  [/^(?:this judge|.+) is deactivated$/, 'deactivated', []],
];

/** A server field message in the reader's words when it is one of the known ones; null keeps it as sent. */
export function describeServerMessage(message: string): ServerText | null {
  for (const [re, key, names] of SERVER_MESSAGES) {
    const m = re.exec(message);
    if (m) return { key, values: Object.fromEntries(names.map((n, i) => [n, m[i + 1] ?? ''])) };
  }
  return null;
}
