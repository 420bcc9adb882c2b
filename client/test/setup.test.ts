import { describe, expect, it } from 'vitest';
import { ContestUpdateSchema, JudgeInputSchema, RubricInputSchema } from '@pingxuan/shared';
import { ApiError } from '../src/api';
import setupZh from '../src/i18n/setup.zh.json';
import {
  batches,
  bilingual,
  describeIssue,
  describePath,
  describeServerMessage,
  errorsUnder,
  indexUnder,
  issueErrors,
  moveItem,
  numberOrUndefined,
  pathKey,
  percentToShare,
  serverErrors,
  shareToPercent,
  splitLines,
} from '../src/organize/setup/forms';

const issues = (schema: { safeParse: (v: unknown) => any }, value: unknown) => {
  const r = schema.safeParse(value);
  expect(r.success).toBe(false);
  return r.error.issues;
};

describe('set-up form helpers', () => {
  it('names rubric problems with the same paths the server uses, in the organizer words', () => {
    const found = issues(RubricInputSchema, {
      criteria: [
        { id: 'content', name: { zh: '内容' }, weight: 60, maxScore: 10, step: 3 },
        { id: 'content', name: { zh: ' ' }, weight: 0, maxScore: 10, step: 1 },
        { id: 'bad id', name: { zh: '书写' }, weight: undefined, maxScore: 10, step: 1 },
      ],
    });
    const errors = issueErrors(found, (i) => JSON.stringify(describeIssue(i)));
    expect(errors).toMatchObject({
      'criteria.0.step': JSON.stringify({ key: 'steps' }),
      'criteria.1.name.zh': JSON.stringify({ key: 'required' }),
      'criteria.1.weight': JSON.stringify({ key: 'above', n: 0 }),
      'criteria.2.id': JSON.stringify({ key: 'code' }),
      'criteria.2.weight': JSON.stringify({ key: 'number' }),
    });
  });

  it('names measurement rule problems at the rule inputs, bands numbered from 1', () => {
    const found = issues(RubricInputSchema, {
      criteria: [
        {
          id: 'time',
          name: { zh: '用时' },
          weight: 50,
          maxScore: 10,
          kind: 'measurement',
          rule: { type: 'linear', best: 5, worst: 5 },
        },
        {
          id: 'gap',
          name: { zh: '间隙' },
          weight: 50,
          maxScore: 10,
          kind: 'measurement',
          rule: {
            type: 'bands',
            bands: [
              { min: 0, max: 1, points: 12 },
              { min: 0.5, max: 0.2, points: 5 },
            ],
          },
        },
        { id: 'look', name: { zh: '外观' }, weight: 10, maxScore: 10, kind: 'measurement' },
      ],
    });
    const errors = issueErrors(found, (i) => JSON.stringify(describeIssue(i)));
    expect(errors).toMatchObject({
      'criteria.0.rule.worst': JSON.stringify({ key: 'bestWorst' }),
      'criteria.1.rule.bands.0.points': JSON.stringify({ key: 'bandPoints', n: 10 }),
      'criteria.1.rule.bands.1.max': JSON.stringify({ key: 'bandOrder' }),
      'criteria.1.rule.bands.1': JSON.stringify({ key: 'bandOverlap', n: 1 }),
      'criteria.2.rule': JSON.stringify({ key: 'needsRule' }),
    });
    for (const key of ['bestWorst', 'bandOrder', 'bandPoints', 'bandOverlap', 'needsRule', 'noRule'])
      expect(setupZh.errors).toHaveProperty(key);
  });

  it('names a duplicate id once every item is right on its own (zod refines the list only then)', () => {
    const criterion = { name: { zh: '内容' }, weight: 1, maxScore: 10, step: 1 };
    const found = issues(RubricInputSchema, {
      criteria: [
        { id: 'content', ...criterion },
        { id: 'content', ...criterion },
      ],
    });
    expect(found.map((i: any) => [pathKey(i.path), describeIssue(i)])).toEqual([
      ['criteria.1.id', { key: 'duplicateId' }],
    ]);
  });

  it('reads settings problems: integers, ranges and a tier without any rule', () => {
    const found = issues(ContestUpdateSchema, {
      version: 1,
      settings: {
        aggregation: { method: 'mean', trim: 1.5, normalization: 'none', minJudges: 0 },
        tiers: [{ id: 'first', name: { zh: '一等奖' } }],
        bootstrapSamples: 6000,
      },
    });
    const keys = Object.fromEntries(found.map((i: any) => [pathKey(i.path), describeIssue(i)]));
    expect(keys).toEqual({
      'settings.aggregation.trim': { key: 'integer' },
      'settings.aggregation.minJudges': { key: 'min', n: 1 },
      'settings.tiers.0': { key: 'tierRule' },
      'settings.bootstrapSamples': { key: 'max', n: 5000 },
    });
  });

  it('keeps the first message of each field only', () => {
    const errors = issueErrors(
      [
        { code: 'custom', path: ['a'], message: 'first' },
        { code: 'custom', path: ['a'], message: 'second' },
        { code: 'custom', path: ['b', 0], message: 'other' },
      ],
      (i) => i.message,
    );
    expect(errors).toEqual({ a: 'first', 'b.0': 'other' });
  });

  it("takes the server's field errors without the body prefix, and the single field of a 409", () => {
    const bad = new ApiError(400, 'bad_request', 'x', [
      { path: 'body.conflictEntryCodes.1', message: 'no entry with code "ZZ9" in this contest' },
      { path: 'body.name', message: 'required' },
    ]);
    expect(serverErrors(bad)).toEqual({
      'conflictEntryCodes.1': 'no entry with code "ZZ9" in this contest',
      name: 'required',
    });
    const taken = new ApiError(409, 'conflict', 'body.name: a panel named "A" already exists', [], {
      field: 'body.name',
    });
    expect(serverErrors(taken)).toEqual({ name: 'a panel named "A" already exists' });
    expect(serverErrors(new ApiError(409, 'conflict', 'stale', [], { current: {} }))).toEqual({});
  });

  it('collects the errors of a list field and finds item positions', () => {
    const errors = { conflictEntryCodes: 'a', 'conflictEntryCodes.2': 'b', conflictSchools: 'c' };
    expect(errorsUnder(errors, 'conflictEntryCodes')).toEqual(['a', 'b']);
    expect(indexUnder('criteria.3.weight', 'criteria')).toBe(3);
    expect(indexUnder('criteria', 'criteria')).toBeNull();
    expect(indexUnder('settings.tiers.1', 'settings.tiers')).toBe(1);
  });

  it('names a path for the error summary', () => {
    const lists = { 'settings.tiers': (i: number) => `等级 ${i + 1}` };
    const fields = { quota: '名额', name: '比赛名称' };
    expect(describePath('settings.tiers.1.quota', lists, fields)).toBe('等级 2 · 名额');
    expect(describePath('settings.tiers.0', lists, fields)).toBe('等级 1');
    expect(describePath('name', lists, fields)).toBe('比赛名称');
    expect(describePath('mystery.path', lists, fields)).toBe('mystery.path');
  });

  it('moves rows within bounds and leaves the original list alone', () => {
    const list = ['a', 'b', 'c'];
    expect(moveItem(list, 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(list, 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(list, 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(list, 2, 1)).toEqual(['a', 'b', 'c']);
    expect(list).toEqual(['a', 'b', 'c']);
  });

  it('turns typed text into values: numbers, lists, bilingual names, percentages, batches', () => {
    expect(numberOrUndefined(' ')).toBeUndefined();
    expect(numberOrUndefined('12.5')).toBe(12.5);
    expect(Number.isNaN(numberOrUndefined('abc'))).toBe(true);
    expect(splitLines('实验小学\n 第一中学 ；育才小学、\n\n')).toEqual(['实验小学', '第一中学', '育才小学']);
    expect(bilingual('一等奖', '  ')).toEqual({ zh: '一等奖' });
    expect(bilingual('一等奖', 'First')).toEqual({ zh: '一等奖', en: 'First' });
    expect(shareToPercent(0.1)).toBe(10);
    expect(percentToShare(7)).toBe(0.07);
    expect(shareToPercent(percentToShare(12.5))).toBe(12.5);
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([], 50)).toEqual([]);
  });

  it('accepts a judge form as the server would', () => {
    const r = JudgeInputSchema.safeParse({
      name: '评委甲',
      conflictSchools: splitLines('实验小学'),
      conflictEntryCodes: splitLines('R01, R02'),
    });
    expect(r.success).toBe(true);
  });

  it('names the server checks it knows in the reader words, each with a text of its own', () => {
    const samples: [string, string, Record<string, string>][] = [
      ['no entry with code "ZZ99" in this contest', 'noEntryCode', { code: 'ZZ99' }],
      ['a panel named "第一评审组" already exists', 'panelTaken', { name: '第一评审组' }],
      ['"judge1" is already a judge of this contest', 'alreadyJudge', { username: 'judge1' }],
      ['the account "old" is disabled', 'accountDisabled', { username: 'old' }],
      ['no such panel in this contest', 'noPanel', {}],
      ['"flow" is not a criterion of any rubric', 'notCriterion', { id: 'flow' }],
      ['no category "x" in this contest (primary, secondary)', 'noCategory', { id: 'x' }],
      ['no subject "y" in this contest (none defined)', 'noSubject', { id: 'y' }],
      ['code "R01" is already an entry of this contest', 'codeTaken', { code: 'R01' }],
      ['entry codes are fixed once judging has started (judges know works by code)', 'codeFixed', {}],
      [
        'assigned judge(s) 评委甲, 评委乙 would have a conflict of interest; reassign them first',
        'conflictAssigned',
        { names: '评委甲, 评委乙' },
      ],
      ['not a judge of this contest', 'notJudge', {}],
      ['评委甲 is deactivated', 'deactivated', {}],
    ];
    for (const [message, key, values] of samples) {
      expect(describeServerMessage(message), message).toEqual({ key, values });
      const text = (setupZh.server as Record<string, string>)[key];
      expect(text, key).toBeTruthy();
      for (const name of Object.keys(values)) expect(text).toContain(`{{${name}}}`);
    }
    expect(describeServerMessage('something new the server says')).toBeNull();
  });
});
