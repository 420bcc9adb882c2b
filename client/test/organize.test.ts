import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatScore,
  formatSigned,
  iccBand,
  niceStep,
  sortJudges,
  ticks,
} from '../src/organize/format';

const judge = (name: string, done: number, panelName: string | null, lastActivityAt: string | null) => ({
  name,
  done,
  panelName,
  lastActivityAt,
});

describe('organizer console helpers', () => {
  it('chooses round axis steps and ticks that cover the largest value', () => {
    expect(niceStep(10)).toBe(5);
    expect(niceStep(4)).toBe(1);
    expect(niceStep(37)).toBe(10);
    expect(niceStep(0)).toBe(1);
    expect(ticks(1)).toEqual([0, 0.5, 1]);
    expect(ticks(37)).toEqual([0, 10, 20, 30, 40]);
    expect(ticks(40)).toEqual([0, 10, 20, 30, 40]);
    expect(ticks(127)).toEqual([0, 50, 100, 150]);
  });

  it('reads an ICC after the usual guideline, bounds included in the better band', () => {
    expect([0.2, 0.5, 0.74, 0.75, 0.9, 0.99].map(iccBand)).toEqual([
      'poor',
      'moderate',
      'moderate',
      'good',
      'excellent',
      'excellent',
    ]);
  });

  it('writes scores with two decimals, signs on differences, and a dash for none', () => {
    expect(formatScore(92, 'zh')).toBe('92.00');
    expect(formatScore(null, 'en')).toBe('—');
    expect(formatSigned(2.5, 'en')).toBe('+2.50');
    expect(formatSigned(-1.05, 'en')).toBe('−1.05');
    expect(formatSigned(0, 'en')).toBe('0.00');
  });

  it('says how long ago in the reader language', () => {
    const now = new Date('2025-05-01T10:00:00Z');
    expect(formatAgo('2025-05-01T09:57:00Z', now, 'en')).toBe('3 minutes ago');
    expect(formatAgo('2025-05-01T09:57:00Z', now, 'zh')).toBe('3分钟前');
    expect(formatAgo('2025-05-01T07:00:00Z', now, 'en')).toBe('3 hours ago');
    expect(formatAgo('2025-05-01T09:59:50Z', now, 'en')).toBe('now');
  });

  it('sorts judges by the chosen column, ties by name, never-active as the oldest', () => {
    const list = [
      judge('王老师', 0.5, '乙组', '2025-05-01T09:00:00Z'),
      judge('李老师', 1, '甲组', null),
      judge('赵老师', 0.5, null, '2025-05-01T08:00:00Z'),
    ];
    expect(sortJudges(list, 'done', true).map((j) => j.name)).toEqual(['王老师', '赵老师', '李老师']);
    expect(sortJudges(list, 'done', false).map((j) => j.name)).toEqual(['李老师', '赵老师', '王老师']);
    // Chinese order (pinyin: jiǎ before yǐ); judges without a panel last.
    expect(sortJudges(list, 'panel', true).map((j) => j.panelName)).toEqual(['甲组', '乙组', null]);
    expect(sortJudges(list, 'lastActivity', true).map((j) => j.name)).toEqual(['李老师', '赵老师', '王老师']);
    // The input is left as it was.
    expect(list.map((j) => j.name)).toEqual(['王老师', '李老师', '赵老师']);
  });
});
