import { describe, expect, it } from 'vitest';
import {
  attachmentName,
  deviationLimit,
  formField,
  groupLoads,
  readExtraForm,
  readPlanForm,
  readWhole,
  samePlanInput,
  withJudgeNames,
} from '../src/organize/assign/logic';

const load = (judgeId: string, name: string, panelId: string | null, count: number) => ({
  judgeId,
  name,
  panelId,
  count,
});

describe('assignment screen helpers', () => {
  it('reads whole numbers as typed, full-width digits included, within the limits', () => {
    expect(readWhole(' 5 ', 1, 50, true)).toEqual({ value: 5 });
    expect(readWhole('１２', 1, 50, true)).toEqual({ value: 12 });
    expect(readWhole('', 1, 50, true).problem?.kind).toBe('required');
    expect(readWhole('', 0, 9, false)).toEqual({});
    expect(readWhole('2.5', 1, 50, true).problem?.kind).toBe('integer');
    expect(readWhole('abc', 1, 50, true).problem?.kind).toBe('integer');
    expect(readWhole('0', 1, 50, true).problem).toEqual({ kind: 'range', min: 1, max: 50 });
    expect(readWhole('-1', 0, 4294967295, false).problem?.kind).toBe('range');
    expect(readWhole('4294967296', 0, 4294967295, false).problem?.kind).toBe('range');
  });

  it('turns the plan form into the request, or names each bad field', () => {
    const ok = readPlanForm({ scope: 'pool', judgesPerEntry: '3', calibrationEntries: '2', seed: '' });
    expect(ok).toEqual({
      input: { scope: 'pool', judgesPerEntry: 3, calibrationEntries: 2 },
      problems: {},
    });
    expect(
      readPlanForm({ scope: 'panel', judgesPerEntry: '3', calibrationEntries: '0', seed: '42' }).input?.seed,
    ).toBe(42);
    const bad = readPlanForm({ scope: 'panel', judgesPerEntry: '0', calibrationEntries: '21', seed: 'x' });
    expect(bad.input).toBeNull();
    expect(Object.keys(bad.problems).sort()).toEqual(['calibrationEntries', 'judgesPerEntry', 'seed']);
    // A preview made without a seed is still the same request as long as nobody typed one.
    expect(samePlanInput(ok.input!, { ...ok.input! })).toBe(true);
    expect(samePlanInput(ok.input!, { ...ok.input!, seed: 1 })).toBe(false);
  });

  it('asks for at least one flag and a budget for extra judges', () => {
    expect(readExtraForm({ boundary: false, disagreement: true, budget: '10', extraPerEntry: '2' })).toEqual({
      input: { flags: ['disagreement'], budget: 10, extraPerEntry: 2 },
      problems: {},
    });
    const bad = readExtraForm({ boundary: false, disagreement: false, budget: '', extraPerEntry: '11' });
    expect(bad.input).toBeNull();
    expect(Object.keys(bad.problems).sort()).toEqual(['budget', 'extraPerEntry', 'flags']);
    expect(formField('body.flags.0')).toBe('flags');
    expect(formField('body.judgesPerEntry')).toBe('judgesPerEntry');
  });

  it('groups loads by panel in the panels order, judges without a panel last, with the spread', () => {
    const loads = [
      load('j3', '中赵', 'p2', 7),
      load('j1', '小王', 'p1', 5),
      load('j4', '中钱', 'p2', 8),
      load('j2', '小李', 'p1', 4),
      load('j5', '散客', null, 1),
    ];
    const groups = groupLoads(loads, { p1: 1, p2: 1 }, ['p1', 'p2']);
    expect(groups.map((g) => g.id)).toEqual(['p1', 'p2', 'none']);
    expect(groups[0]!.loads.map((l) => l.name)).toEqual(['小李', '小王']);
    expect(groups[1]).toMatchObject({ spread: 1, min: 7, max: 8 });
    // No spread from the server (extra judges): worked out from the loads.
    expect(groupLoads(loads, {}, ['p2', 'p1'])[0]).toMatchObject({ id: 'p2', spread: 1 });
    const pool = groupLoads(loads, { pool: 7 }, ['p1', 'p2']);
    expect(pool).toHaveLength(1);
    expect(pool[0]).toMatchObject({ id: 'pool', spread: 7, min: 1, max: 8 });
  });

  it('scales deviations to a round limit that holds the largest', () => {
    expect(deviationLimit([30, -10, null])).toBe(40);
    expect(deviationLimit([2.5, -1])).toBe(4);
    expect(deviationLimit([null])).toBe(1);
    expect(deviationLimit([-0.2])).toBe(1);
  });

  it('reads the UTF-8 file name of a download', () => {
    const header = `attachment; filename="certificates-first.pdf"; filename*=UTF-8''${encodeURIComponent('一等奖-证书.pdf')}`;
    expect(attachmentName(header, 'x.pdf')).toBe('一等奖-证书.pdf');
    expect(attachmentName('attachment; filename="a.pdf"', 'x.pdf')).toBe('a.pdf');
    expect(attachmentName(null, 'x.pdf')).toBe('x.pdf');
    expect(attachmentName("attachment; filename*=UTF-8''%E4%ZZ", 'x.pdf')).toBe('x.pdf');
  });

  it('puts the names of judges into reasons that name them by id', () => {
    const id = '65f0a1b2c3d4e5f6a7b8c9d0';
    const names = new Map([[id, '小刘']]);
    expect(withJudgeNames(`小学组评审：接替退出的评委（${id}）未完成的评审；`, names)).toBe(
      '小学组评审：接替退出的评委（小刘）未完成的评审；',
    );
    expect(withJudgeNames('评委（65f0a1b2c3d4e5f6a7b8c9d1）', names)).toBe(
      '评委（65f0a1b2c3d4e5f6a7b8c9d1）',
    );
  });
});
