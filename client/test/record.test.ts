import { describe, expect, it } from 'vitest';
import { measurementPoints, type RecordingCell } from '@pingxuan/shared';
import {
  cellState,
  entryProgress,
  matchesCode,
  newest,
  parseValue,
  previewPoints,
  replacedValue,
  type RecordingCriterion,
} from '../src/record/recording';

const cell = (p: Partial<RecordingCell>): RecordingCell => ({
  status: null,
  version: 0,
  own: null,
  value: null,
  ...p,
});
const own = (value: number) => ({ value, at: '2025-05-01T08:00:00.000Z' });

const time: RecordingCriterion = {
  id: 'time',
  name: { zh: '用时（秒）' },
  description: { zh: '' },
  maxScore: 30,
  rule: { type: 'linear', best: 60, worst: 180 },
};
const leak: RecordingCriterion = {
  id: 'leak',
  name: { zh: '气密检测' },
  description: { zh: '' },
  maxScore: 10,
  rule: { type: 'passFail' },
};

describe('the recorder sheet', () => {
  it('reads a cell as this recorder sees it, in double and single entry', () => {
    expect(cellState(undefined, true)).toBe('empty');
    expect(cellState(cell({ status: 'pending', version: 1 }), true)).toBe('yourTurn');
    expect(cellState(cell({ status: 'pending', version: 1, own: own(95) }), true)).toBe('waiting');
    expect(cellState(cell({ status: 'agreed', own: own(95), value: 95 }), true)).toBe('counted');
    expect(cellState(cell({ status: 'agreed', value: 95 }), true)).toBe('full');
    expect(cellState(cell({ status: 'disagreement', own: own(95) }), true)).toBe('disagreement');
    expect(cellState(cell({ status: 'disagreement' }), true)).toBe('full');
    expect(cellState(cell({ status: 'resolved', value: 90 }), true)).toBe('resolved');
    // Single entry: another recorder's value counts, and this recorder may correct it.
    expect(cellState(cell({ status: 'recorded', value: 95 }), false)).toBe('counted');
  });

  it('counts what is left per entry, disagreements apart', () => {
    const entry = {
      entryId: 'e1',
      code: 'W01',
      category: null,
      cells: {
        time: cell({ status: 'disagreement', own: own(95) }),
        leak: cell({ status: 'pending', version: 1 }),
      },
    };
    expect(entryProgress(entry, [time, leak], true)).toEqual({ left: 1, disagreements: 1, total: 2 });
  });

  it('takes the numbers a phone keypad types, and nothing else', () => {
    expect(parseValue('95')).toBe(95);
    expect(parseValue(' 1.5 ')).toBe(1.5);
    expect(parseValue('1,5')).toBe(1.5);
    expect(parseValue('-0.2')).toBe(-0.2);
    expect(parseValue('.5')).toBe(0.5);
    for (const bad of ['', 'abc', '1.2.3', '1e400', '12 s', '--1', 'Infinity'])
      expect(parseValue(bad)).toBeNull();
  });

  it('previews the points the engine gives', () => {
    expect(previewPoints(time, 95)).toBe(measurementPoints(time, 95));
    expect(previewPoints(time, 60)).toBe(30);
    expect(previewPoints(leak, 1)).toBe(10);
    expect(previewPoints(leak, 2)).toBeNull();
    expect(previewPoints(time, null)).toBeNull();
  });

  it('finds codes however they are typed, and knows what a save would replace', () => {
    expect(matchesCode('W-01', 'w01')).toBe(true);
    expect(matchesCode('W01', '02')).toBe(false);
    expect(replacedValue(cell({ status: 'pending', version: 1 }), true)).toBeNull();
    expect(replacedValue(cell({ status: 'recorded', value: 90 }), false)).toBe(90);
    expect(replacedValue(cell({ status: 'pending', own: own(80) }), true)).toBe(80);
  });

  it('keeps a saved cell when a refresh read before the save comes back', () => {
    const sheet = (cells: Record<string, RecordingCell>) => ({
      contest: { id: 'c', name: 'x', status: 'judging' },
      roundId: 'main',
      doubleEntry: true,
      criteria: [time],
      entries: [{ entryId: 'e1', code: 'W01', category: null, cells }],
    });
    const saved = cell({ status: 'pending', version: 2, own: own(95) });
    const stale = cell({ status: 'pending', version: 1 });
    expect(newest(sheet({ time: saved }), sheet({ time: stale })).entries[0]!.cells.time).toBe(saved);
    const later = cell({ status: 'agreed', version: 3, own: own(95), value: 95 });
    expect(newest(sheet({ time: saved }), sheet({ time: later })).entries[0]!.cells.time).toBe(later);
  });
});
